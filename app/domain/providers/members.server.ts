import type { Prisma } from "@prisma/client";
import { DAY_MS } from "~/lib/china-time";
import { db, type Tx } from "~/lib/db.server";
import { conflict, notFound } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { assertUnderLimit, countAgainstLimit, LIMITS } from "../accounts/throttle.server";
import { recordAudit } from "../audit.server";
import { notify, providerOwnerIds } from "../notifications/notifications.server";
import { authorize } from "../policy";
import {
  INVITATION_DAYS,
  type InvitationSent,
  type MyInvitation,
  PROVIDER_STATUS_LABELS,
  type SentInvitation,
} from "./providers.schema";

// Membership of a provider is by invitation only (ADR 0017): an owner invites a phone number, the
// answer is the same whether or not anybody holds it, and whoever holds (or later registers) the
// number accepts or declines in 我的 → 我的机构. A member may leave at any time; the only owner may
// not. Membership is not part of what the search index shows, so it is audited but not versioned.

const providerSelect = {
  id: true,
  name: true,
  status: true,
  members: { select: { userId: true, role: true } },
} satisfies Prisma.ProviderSelect;

async function findProvider(id: string) {
  const row = ID_PATTERN.test(id)
    ? await db().provider.findUnique({ where: { id }, select: providerSelect })
    : null;
  if (!row) throw notFound("该机构不存在");
  return row;
}

async function phoneOf(actor: Actor) {
  const user = await db().user.findUniqueOrThrow({ where: { id: actor.userId }, select: { phone: true } });
  return user.phone;
}

/** The owner of an approved provider invites a phone number. The answer says only that it was sent:
 * a number with an account gets a notification, one without sees it after signing up, and an
 * existing member's number changes nothing. */
export async function inviteMember(
  actor: Actor,
  providerId: string,
  values: { phone: string },
): Promise<InvitationSent> {
  const row = await findProvider(providerId);
  authorize(actor, "provider.edit", { providerId: row.id });
  if (row.status !== "APPROVED") {
    throw conflict(`机构通过审核后才能邀请成员（当前状态：${PROVIDER_STATUS_LABELS[row.status]}）`);
  }
  authorize(actor, "provider.invite", { providerId: row.id });
  const now = new Date();
  await assertUnderLimit(LIMITS.invitePerUser, actor.userId);
  const expiresAt = new Date(now.getTime() + INVITATION_DAYS * DAY_MS);
  const invitee = await db().user.findUnique({ where: { phone: values.phone }, select: { id: true } });
  const alreadyMember = invitee !== null && row.members.some((member) => member.userId === invitee.id);
  await db().$transaction(async (tx) => {
    const invitation = await tx.providerInvitation.upsert({
      where: { providerId_phone: { providerId: row.id, phone: values.phone } },
      create: { providerId: row.id, phone: values.phone, invitedById: actor.userId, sentAt: now, expiresAt },
      update: {
        invitedById: actor.userId,
        sentAt: now,
        expiresAt,
        decidedAt: null,
        // A member's number is counted against the limit like any other, and stays decided.
        ...(alreadyMember ? {} : { status: "PENDING" }),
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "provider.member.invite",
      targetType: "Provider",
      targetId: row.id,
      data: { role: "OWNER", invitationId: invitation.id },
    });
    if (invitee && !alreadyMember) {
      await notify(tx, {
        userIds: [invitee.id],
        kind: "provider.invited",
        title: "机构邀请您加入",
        body: `“${row.name}”邀请您成为机构成员。是否加入由您决定：请在 我的 → 我的机构 中接受或谢绝，${INVITATION_DAYS}天内有效。`,
        link: "/me/providers",
        dedupeKey: `provider.invited:${invitation.id}:${now.getTime()}`,
      });
    }
  });
  await countAgainstLimit(LIMITS.invitePerUser, actor.userId);
  return { status: "SENT", phoneMasked: maskPhone(values.phone), expiresAt: expiresAt.toISOString() };
}

const openInvitation = (phone: string, now: Date) =>
  ({
    phone,
    status: "PENDING",
    expiresAt: { gt: now },
    provider: { status: "APPROVED" },
  }) satisfies Prisma.ProviderInvitationWhereInput;

/** The invitations waiting for the actor's answer: addressed to their number, unexpired, from a
 * provider that is approved (a suspended provider's invitations wait until it is restored). */
export async function listMyInvitations(actor: Actor): Promise<MyInvitation[]> {
  const rows = await db().providerInvitation.findMany({
    where: openInvitation(await phoneOf(actor), new Date()),
    orderBy: { sentAt: "desc" },
    select: {
      id: true,
      sentAt: true,
      expiresAt: true,
      provider: { select: { id: true, name: true, kind: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    providerId: row.provider.id,
    providerName: row.provider.name,
    providerKind: row.provider.kind,
    sentAt: row.sentAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  }));
}

/** The pending invitations of a provider, for its owners: numbers masked. */
export async function listSentInvitations(actor: Actor, providerId: string): Promise<SentInvitation[]> {
  const row = await findProvider(providerId);
  authorize(actor, "provider.edit", { providerId: row.id });
  const rows = await db().providerInvitation.findMany({
    where: { providerId: row.id, status: "PENDING", expiresAt: { gt: new Date() } },
    orderBy: { sentAt: "desc" },
    select: { id: true, phone: true, sentAt: true, expiresAt: true },
  });
  return rows.map((invitation) => ({
    id: invitation.id,
    phoneMasked: maskPhone(invitation.phone),
    sentAt: invitation.sentAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  }));
}

/** Someone else's invitation, or a spent one, is simply not found: ids reveal nothing. */
async function findMyInvitation(actor: Actor, id: string) {
  const now = new Date();
  const row = ID_PATTERN.test(id)
    ? await db().providerInvitation.findFirst({
        where: { id, ...openInvitation(await phoneOf(actor), now) },
        select: { id: true, providerId: true, provider: { select: { name: true } } },
      })
    : null;
  if (!row) throw notFound("该邀请不存在、已处理或已过期");
  return row;
}

/** Claims a pending invitation for one answer; a second answer (or a race) gets a conflict. */
async function answer(tx: Tx, id: string, status: "ACCEPTED" | "DECLINED") {
  const { count } = await tx.providerInvitation.updateMany({
    where: { id, status: "PENDING" },
    data: { status, decidedAt: new Date() },
  });
  if (count === 0) throw conflict("该邀请已处理");
}

/** The invited person joins as a member; the provider's owners are told. */
export async function acceptInvitation(actor: Actor, id: string) {
  const invitation = await findMyInvitation(actor, id);
  await db().$transaction(async (tx) => {
    await answer(tx, invitation.id, "ACCEPTED");
    await tx.providerMember.upsert({
      where: { providerId_userId: { providerId: invitation.providerId, userId: actor.userId } },
      create: { providerId: invitation.providerId, userId: actor.userId, role: "MEMBER" },
      update: {},
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "provider.member.join",
      targetType: "Provider",
      targetId: invitation.providerId,
      data: { role: "MEMBER", memberId: actor.userId, invitationId: invitation.id },
    });
    await notify(tx, {
      userIds: await providerOwnerIds(tx, invitation.providerId),
      kind: "provider.member.joined",
      title: "新成员已加入",
      body: `${actor.name}接受邀请，加入了“${invitation.provider.name}”。`,
      link: `/me/providers/${invitation.providerId}`,
      dedupeKey: `provider.member.joined:${invitation.id}`,
    });
  });
  return { providerId: invitation.providerId };
}

/** Declining tells nobody: the inviter must not learn that the number belongs to someone. */
export async function declineInvitation(actor: Actor, id: string) {
  const invitation = await findMyInvitation(actor, id);
  await db().$transaction((tx) => answer(tx, invitation.id, "DECLINED"));
}

/** A member leaves, or the owner removes one. The last owner cannot go: a provider always has
 * someone answerable for it. */
export async function removeMember(actor: Actor, providerId: string, userId: string) {
  const row = await findProvider(providerId);
  const leaving = userId === actor.userId;
  authorize(actor, leaving ? "provider.leave" : "provider.edit", { providerId: row.id });
  const member = row.members.find((m) => m.userId === userId);
  if (!member) throw notFound("该用户不是本机构成员");
  const owners = row.members.filter((m) => m.role === "OWNER").length;
  if (member.role === "OWNER") {
    if (!leaving) throw conflict("机构负责人不能被移除");
    if (owners === 1) {
      throw conflict("您是该机构唯一的负责人，不能退出；如机构不再运营，请联系社区工作人员");
    }
  }
  await db().$transaction(async (tx) => {
    await tx.providerMember.delete({ where: { providerId_userId: { providerId: row.id, userId } } });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: leaving ? "provider.member.leave" : "provider.member.remove",
      targetType: "Provider",
      targetId: row.id,
      data: { role: leaving ? member.role : "OWNER", memberId: userId },
    });
    if (leaving) {
      await notify(tx, {
        userIds: (await providerOwnerIds(tx, row.id)).filter((id) => id !== actor.userId),
        kind: "provider.member.left",
        title: "成员已退出",
        body: `${actor.name}退出了“${row.name}”。`,
        link: `/me/providers/${row.id}`,
        dedupeKey: `provider.member.left:${row.id}:${actor.userId}:${Date.now()}`,
      });
    }
  });
}

/** The member removed from the actor's own list on the page: `me` in the path means the actor. */
export const memberIdFromPath = (actor: Actor, userId: string) => (userId === "me" ? actor.userId : userId);
