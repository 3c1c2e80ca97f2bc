import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { db, type Tx } from "~/lib/db.server";
import { conflict, unauthenticated, validationError } from "~/lib/errors";
import { REGISTRATION_STATUS_LABELS } from "../activities/activities.schema";
import { upcomingRegistrationsOf, withdrawUpcomingRegistrationsOf } from "../activities/registrations.server";
import { recordAudit } from "../audit.server";
import { categoryName } from "../catalog/categories";
import { MATCH_STATUS_LABELS } from "../matching/matching.schema";
import { anonymiseNeedsOf } from "../needs/need-erasure.server";
import { cancellableNeedsOf } from "../needs/need-lifecycle.server";
import { NEED_STATUS_LABELS } from "../needs/needs.schema";
import { describeScopes } from "../territory/territory.server";
import { bookingsForExport, eraseBookingsOf } from "../venues/booking-privacy.server";
import type { deleteAccountSchema } from "./accounts.schema";
import { type Actor, ROLE_LABELS, STAFF_ROLES } from "./actor";
import { hashPassword, verifyPassword } from "./passwords.server";
import { DELETED_USER_NAME, deletedPhoneOf, PRIVACY_NOTICE_VERSION } from "./privacy";
import type { MyData } from "./privacy.schema";
import { passwordCheckPasses } from "./throttle.server";

// The person's rights over their own data (PIPL; GB/T 35273 §7.2; ADR 0013): 下载我的数据 and
// 注销账号. Both act on the signed-in person only, so the actor is the whole authorization.

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => date?.toISOString() ?? null;

/** Everything held about the person, and nothing about anyone else: other people appear only as a
 * provider's or an activity's name, as they already do on the pages the person sees. */
export async function exportMyData(actor: Actor): Promise<MyData> {
  const user = await db().user.findUnique({
    where: { id: actor.userId },
    select: {
      id: true,
      name: true,
      phone: true,
      createdAt: true,
      updatedAt: true,
      privacyConsentAt: true,
      privacyNoticeVersion: true,
      community: { select: { id: true, name: true } },
      roles: { orderBy: { createdAt: "asc" } },
      needs: {
        orderBy: { createdAt: "asc" },
        include: {
          community: { select: { id: true, name: true } },
          matches: {
            orderBy: { createdAt: "asc" },
            include: { provider: { select: { name: true } }, service: { select: { title: true } } },
          },
        },
      },
      registrations: {
        orderBy: { createdAt: "asc" },
        include: {
          activity: {
            select: {
              id: true,
              title: true,
              venue: true,
              startsAt: true,
              endsAt: true,
              community: { select: { id: true, name: true } },
            },
          },
        },
      },
      notifications: { orderBy: { createdAt: "asc" } },
      memberships: {
        orderBy: { createdAt: "asc" },
        include: { provider: { select: { id: true, name: true, kind: true, status: true } } },
      },
      sessions: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!user) throw unauthenticated();
  const [scopeNames, audit] = await Promise.all([
    describeScopes(user.roles.map((grant) => grant.scopeId)),
    db().auditLog.findMany({
      where: { actorId: user.id },
      orderBy: { createdAt: "asc" },
      select: { action: true, targetType: true, targetId: true, createdAt: true },
    }),
  ]);
  return {
    exportedAt: iso(new Date()),
    account: {
      id: user.id,
      name: user.name,
      phone: user.phone,
      community: user.community,
      createdAt: iso(user.createdAt),
      updatedAt: iso(user.updatedAt),
      privacyConsentAt: isoOrNull(user.privacyConsentAt),
      privacyNoticeVersion: user.privacyNoticeVersion,
    },
    roles: user.roles.map((grant) => ({
      role: grant.role,
      roleLabel: ROLE_LABELS[grant.role],
      scopeType: grant.scopeType,
      scope: { id: grant.scopeId, name: scopeNames.get(grant.scopeId) ?? "" },
      grantedAt: iso(grant.createdAt),
    })),
    needs: user.needs.map((need) => ({
      id: need.id,
      title: need.title,
      description: need.description,
      category: need.category,
      categoryName: categoryName(need.category),
      community: need.community,
      urgency: need.urgency,
      preferredTime: need.preferredTime,
      status: need.status,
      statusLabel: NEED_STATUS_LABELS[need.status],
      onBehalf: need.onBehalf,
      requesterNameGiven: need.requesterNameGiven,
      closeReason: need.closeReason,
      rating: need.rating,
      ratingComment: need.ratingComment,
      createdAt: iso(need.createdAt),
      matchedAt: isoOrNull(need.matchedAt),
      fulfilledAt: isoOrNull(need.fulfilledAt),
      cancelledAt: isoOrNull(need.cancelledAt),
      closedAt: isoOrNull(need.closedAt),
      // Who proposed or decided is staff or a provider's people: the resident sees the provider only.
      matches: need.matches.map((match) => ({
        id: match.id,
        status: match.status,
        statusLabel: MATCH_STATUS_LABELS[match.status],
        providerName: match.provider.name,
        serviceTitle: match.service.title,
        note: match.note,
        declineReason: match.declineReason,
        createdAt: iso(match.createdAt),
        decidedAt: isoOrNull(match.decidedAt),
      })),
    })),
    registrations: user.registrations.map((registration) => ({
      id: registration.id,
      activity: {
        id: registration.activity.id,
        title: registration.activity.title,
        community: registration.activity.community,
        venue: registration.activity.venue,
        startsAt: iso(registration.activity.startsAt),
        endsAt: iso(registration.activity.endsAt),
      },
      status: registration.status,
      statusLabel: REGISTRATION_STATUS_LABELS[registration.status],
      checkInCode: registration.checkInCode,
      onBehalf: registration.registeredById !== null,
      nameGiven: registration.nameGiven,
      queuedAt: iso(registration.queuedAt),
      promotedAt: isoOrNull(registration.promotedAt),
      cancelledAt: isoOrNull(registration.cancelledAt),
      checkedInAt: isoOrNull(registration.checkedInAt),
      createdAt: iso(registration.createdAt),
    })),
    bookings: await bookingsForExport(db(), actor.userId),
    notifications: user.notifications.map((notification) => ({
      id: notification.id,
      kind: notification.kind,
      title: notification.title,
      body: notification.body,
      link: notification.link,
      readAt: isoOrNull(notification.readAt),
      createdAt: iso(notification.createdAt),
    })),
    providerMemberships: user.memberships.map((membership) => ({
      provider: membership.provider,
      role: membership.role,
      joinedAt: iso(membership.createdAt),
    })),
    sessions: user.sessions.map((session) => ({
      kind: session.kind,
      current: session.id === actor.sessionId,
      createdAt: iso(session.createdAt),
      lastUsedAt: iso(session.lastUsedAt),
      expiresAt: iso(session.expiresAt),
      revokedAt: isoOrNull(session.revokedAt),
    })),
    // The entry's data may name other people (a 代办's resident); the action and target suffice.
    auditEntries: audit.map((entry) => ({ ...entry, createdAt: iso(entry.createdAt) })),
  };
}

/** Why the person cannot delete their account themself, in words they can act on; empty when they
 * can. Staff accounts and a provider's only owner would leave work without anyone answerable. */
export async function deletionBlockers(actor: Actor, client: Tx = db()): Promise<string[]> {
  const [grants, owned] = await Promise.all([
    client.roleAssignment.findMany({
      where: { userId: actor.userId, role: { in: [...STAFF_ROLES] } },
      select: { role: true },
    }),
    client.providerMember.findMany({
      where: { userId: actor.userId, role: "OWNER" },
      select: {
        provider: {
          select: {
            name: true,
            members: { where: { role: "OWNER", userId: { not: actor.userId } }, select: { id: true } },
          },
        },
      },
    }),
  ]);
  const reasons: string[] = [];
  const roles = [...new Set(grants.map((grant) => ROLE_LABELS[grant.role]))];
  if (roles.length > 0) {
    reasons.push(
      `您目前是${roles.join("、")}。工作人员账号不能自行注销：请上级管理员先在“工作台 → 工作人员”里撤销您的工作人员身份。`,
    );
  }
  for (const { provider } of owned) {
    if (provider.members.length === 0) {
      reasons.push(`您是“${provider.name}”唯一的负责人。请先联系社区工作人员为该机构另行安排负责人。`);
    }
  }
  return reasons;
}

/** What the 注销账号 page tells the person before they confirm: whether they can, and what will be
 * cancelled. */
export async function deletionPreview(actor: Actor) {
  const [blockers, openNeeds, upcomingRegistrations] = await Promise.all([
    deletionBlockers(actor),
    db().need.count({ where: cancellableNeedsOf(actor.userId) }),
    db().registration.count({ where: upcomingRegistrationsOf(actor.userId) }),
  ]);
  return { blockers, openNeeds, upcomingRegistrations };
}

const WRONG_PASSWORD = "密码不正确，账号没有注销";

/** 注销账号: the password confirms it; then, in one transaction, the person's personal fields are
 * erased, their free texts anonymised, what is still to come cancelled and their sessions ended. The
 * row itself stays, so every figure that counts rows (needs, registrations, check-ins, unique
 * persons) is the same before and after (ADR 0013). Wrong passwords count against the same limit as
 * sign-ins. */
export async function deleteMyAccount(actor: Actor, values: z.output<typeof deleteAccountSchema>) {
  const user = await db().user.findUnique({
    where: { id: actor.userId },
    select: { phone: true, passwordHash: true, deletedAt: true },
  });
  if (!user || user.deletedAt) throw unauthenticated();
  const blockers = await deletionBlockers(actor);
  if (blockers.length > 0) throw conflict(blockers.join(""));
  // Signed in already: the session stands for the place the tries come from.
  const passes = await passwordCheckPasses(user.phone, `session:${actor.sessionId}`, () =>
    verifyPassword(user.passwordHash, values.password),
  );
  if (!passes) throw validationError({ password: WRONG_PASSWORD }, WRONG_PASSWORD);
  // The hash of a random secret nobody is told, as for accounts opened by 代办: a valid hash (so
  // verifying against it answers false rather than failing) that no password matches.
  const unusableHash = await hashPassword(randomBytes(32).toString("base64url"));
  const now = new Date();
  await db().$transaction(
    async (tx) => {
      // The user row is locked first, so a second deletion (a double click) waits and then finds
      // the account gone.
      await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${actor.userId} FOR UPDATE`;
      const current = await tx.user.findUnique({ where: { id: actor.userId }, select: { deletedAt: true } });
      if (!current || current.deletedAt) throw unauthenticated();
      const stillBlocked = await deletionBlockers(actor, tx);
      if (stillBlocked.length > 0) throw conflict(stillBlocked.join(""));
      const needs = await anonymiseNeedsOf(tx, actor, now);
      const registrationsWithdrawn = await withdrawUpcomingRegistrationsOf(tx, actor);
      const bookings = await eraseBookingsOf(tx, actor.userId, now);
      const { count: membershipsLeft } = await tx.providerMember.deleteMany({
        where: { userId: actor.userId },
      });
      await tx.notification.deleteMany({ where: { userId: actor.userId } });
      await tx.authSession.deleteMany({ where: { userId: actor.userId } });
      await tx.passwordResetCode.deleteMany({ where: { userId: actor.userId } });
      // The name given at a 代办 desk (ADR 0028) is the person's name too.
      await tx.registration.updateMany({
        where: { userId: actor.userId, nameGiven: { not: null } },
        data: { nameGiven: null },
      });
      // The home page counts registered residents by their RESIDENT grant; a deleted account is
      // no longer one. No figure reads the user's own community, so it goes too.
      await tx.roleAssignment.deleteMany({ where: { userId: actor.userId } });
      await tx.user.update({
        where: { id: actor.userId },
        data: {
          name: DELETED_USER_NAME,
          phone: deletedPhoneOf(actor.userId),
          passwordHash: unusableHash,
          communityId: null,
          deletedAt: now,
        },
      });
      await recordAudit(tx, {
        actorId: actor.userId,
        action: "account.delete",
        targetType: "User",
        targetId: actor.userId,
        data: {
          needsAnonymised: needs.anonymised,
          needsCancelled: needs.cancelled,
          registrationsWithdrawn,
          ...bookings,
          membershipsLeft,
        },
      });
    },
    { maxWait: 20_000, timeout: 20_000 },
  );
}

/** Records that the signed-in person agreed to the current privacy notice (accounts opened without
 * it, and everyone after the notice changes), audited like the consent given at sign-up. */
export async function agreeToPrivacyNotice(actor: Actor) {
  const agreedAt = new Date();
  await db().$transaction(async (tx) => {
    await tx.user.update({
      where: { id: actor.userId },
      data: { privacyConsentAt: agreedAt, privacyNoticeVersion: PRIVACY_NOTICE_VERSION },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "privacy.consent",
      targetType: "User",
      targetId: actor.userId,
      data: { version: PRIVACY_NOTICE_VERSION },
    });
  });
  return { privacyConsentAt: agreedAt.toISOString(), privacyNoticeVersion: PRIVACY_NOTICE_VERSION };
}
