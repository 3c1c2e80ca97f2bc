import type { Prisma, Registration } from "@prisma/client";
import { BUSY_TRANSACTION, db, type Tx } from "~/lib/db.server";
import { conflict, notFound, validationError } from "~/lib/errors";
import type { Paging } from "~/lib/paging";
import type { Actor } from "../accounts/actor";
import { findOnBehalfHolder, NO_RESIDENT_IN_SCOPE } from "../accounts/on-behalf.server";
import { createResidentAccount, unknownPasswordHash } from "../accounts/resident-accounts.server";
import { recordAudit } from "../audit.server";
import { authorize } from "../policy";
import { placeOf } from "../territory/places";
import { activitySelect, loadActivity, lockActivity, publicActivity } from "./activity-rows.server";
import { AlreadyRegistered, type Claimant, type ClaimedPlace, claimPlace } from "./seat-claims.server";
import {
  leaveWaitlist,
  promoteFromWaitlist,
  registrationOf,
  registrationView,
  toRegistrationView,
} from "./waitlist.server";

// Registration (报名), giving a place up, and a person's own list. Places are claimed from the
// activity's seat counter (seat-claims.server.ts, ADR 0019), so N parallel registrations for C seats
// give exactly min(N, C) seats and the rest wait in the order they claimed their place; a freed seat
// goes to the first person on the waitlist, who is told. The web form, the API and 代办 all register
// through registerForActivity.

/** `quiet`: the number's holder lives outside the staff member's scope, so nothing about their
 * account (that it exists, that they already hold a place) may show in the answer (ADR 0028).
 * `nameGiven`: the name the desk knows them by, kept on the registration for the organisers' lists
 * instead of the account's. */
type NamedClaimant = Claimant & { name: string; quiet: boolean; nameGiven: string | null };

/** Who claims the place: oneself (nothing is read before the claim: whether the activity is open is
 * the counter's business), or (代办) the holder of a phone number, found by the one rule of 代办
 * (findOnBehalfHolder): a resident of a community in the staff member's scope is registered as
 * themselves. Given the person's name, any other number is registered too: a number with no account
 * gets a resident account of the activity's community (createResidentAccount, as 代办需求 does), and
 * one held outside the scope registers its holder, who stands at the desk; the answer is the same
 * either way and names the person as the worker typed them, so it never tells whether a number is
 * registered elsewhere (the registration keeps that name as `nameGiven`, which the organisers' lists
 * show instead of the account's). Without a name, both get the same refusal. Once served, such a
 * holder is known to the scope by that name, as a number the desk opened an account for is. */
async function claimantOf(
  actor: Actor,
  activityId: string,
  values: { phone?: string; name?: string },
): Promise<NamedClaimant> {
  const self = {
    userId: actor.userId,
    registeredById: null,
    name: actor.name,
    quiet: false,
    nameGiven: null,
  };
  const { phone } = values;
  if (!phone) return self;
  // The kept copy (ADR 0016), for the activity's community.
  const row = await publicActivity(activityId);
  if (row.status === "DRAFT") throw notFound("该活动不存在或已被删除");
  const place = placeOf(row);
  authorize(actor, "activity.registerOnBehalf", { communityPath: place });
  const holder = await findOnBehalfHolder(actor, phone, "activity.registerOnBehalf");
  if (holder.kind === "self") return self;
  if (holder.kind === "resident") {
    const { userId, name, nameGiven } = holder;
    return { userId, registeredById: actor.userId, name, quiet: false, nameGiven };
  }
  if (!values.name) throw validationError({ phone: NO_RESIDENT_IN_SCOPE });
  // Hashed whoever holds the number, so the time taken does not tell either.
  const passwordHash = await unknownPasswordHash();
  const named = { registeredById: actor.userId, name: values.name };
  if (holder.userId) return { ...named, userId: holder.userId, quiet: true, nameGiven: values.name };
  const account = { phone, name: values.name, communityId: place.communityId, passwordHash };
  const userId = await db().$transaction((tx) => createResidentAccount(tx, account, actor.userId));
  return { ...named, userId, quiet: false, nameGiven: null };
}

/** 报名: a seat while there are seats, else a place on the waitlist. */
export async function registerForActivity(
  actor: Actor,
  activityId: string,
  values: { phone?: string; name?: string },
) {
  return (await registerNamed(actor, activityId, values)).registration;
}

/** 代办报名 from the page: the registration and the name of the person registered, for the
 * confirmation (a worker reads a name, not a masked number). */
export async function registerOnBehalf(
  actor: Actor,
  activityId: string,
  values: { phone: string; name?: string },
) {
  return registerNamed(actor, activityId, values);
}

async function registerNamed(actor: Actor, activityId: string, values: { phone?: string; name?: string }) {
  const { name, quiet, nameGiven, ...claimant } = await claimantOf(actor, activityId, values);
  let claimed: ClaimedPlace | null;
  try {
    claimed = await claimPlace(activityId, claimant);
  } catch (error) {
    if (!(error instanceof AlreadyRegistered)) throw error;
    const existing = await registrationOf(activityId, claimant.userId);
    // Someone outside the scope who already holds a place: answered as a fresh registration would be.
    if (quiet && existing) return { registration: await toRegistrationView(existing), registrantName: name };
    throw conflict(existing?.status === "WAITLISTED" ? "已在候补名单中" : "已经报过名了");
  }
  if (claimed) {
    if (nameGiven) await db().registration.update({ where: { id: claimed.id }, data: { nameGiven } });
    return { registration: registrationView(claimed, claimed.waitlistPosition), registrantName: name };
  }
  // No place claimed: no such activity, a draft, or the counter says registration is closed.
  const row = await loadActivity(activityId);
  if (row.status === "DRAFT") throw notFound("该活动不存在或已被删除");
  throw conflict(row.status === "CANCELLED" ? "该活动已取消，不能报名" : "该活动已结束，不能报名");
}

/** DELETE /registrations/me: frees the seat, which goes to the first on the waitlist. */
export async function cancelMyRegistration(actor: Actor, activityId: string) {
  const visible = await loadActivity(activityId);
  await db().$transaction(async (tx) => {
    const row = await lockActivity(tx, activityId);
    const mine = await tx.registration.findUnique({
      where: { activityId_userId: { activityId, userId: actor.userId } },
    });
    if (!mine || mine.status === "CANCELLED") throw notFound("您没有报名这个活动");
    if (row.status === "FINISHED" || row.status === "CANCELLED")
      throw conflict("活动已结束或已取消，无需取消报名");
    if (mine.checkedInAt) throw conflict("您已签到，不能取消报名");
    await giveUpPlace(tx, actor, mine, visible.title);
  }, BUSY_TRANSACTION);
}

/** Cancels a seat or waitlist place (the row stays, CANCELLED, and can be reopened); a freed seat
 * goes to the first waiting. `because` says why when it was not the person's own choice. */
async function giveUpPlace(
  tx: Tx,
  actor: Actor,
  place: Pick<Registration, "id" | "activityId" | "status">,
  title: string,
  because?: string,
) {
  await tx.registration.update({
    where: { id: place.id },
    data: { status: "CANCELLED", cancelledAt: new Date() },
  });
  await recordAudit(tx, {
    actorId: actor.userId,
    action: "registration.cancel",
    targetType: "Registration",
    targetId: place.id,
    data: { activityId: place.activityId, from: place.status, ...(because ? { because } : {}) },
  });
  if (place.status === "REGISTERED") await promoteFromWaitlist(tx, place.activityId, title, 1);
  else await leaveWaitlist(tx, place.activityId);
}

/** A person's seats and waitlist places that they could still give up (cancelMyRegistration's rule). */
export const upcomingRegistrationsOf = (userId: string) =>
  ({
    userId,
    status: { in: ["REGISTERED", "WAITLISTED"] },
    checkedInAt: null,
    activity: { status: { in: ["PUBLISHED", "ONGOING"] } },
  }) satisfies Prisma.RegistrationWhereInput;

/** Account deletion (ADR 0013), inside the caller's transaction: seats and waitlist places in
 * activities still to come (or under way, not checked in) are given up as cancelMyRegistration would,
 * each freed seat going to the first waiting. Past registrations and check-ins stay: they are the
 * figures' rows. Activities are locked in id order so two deletions cannot deadlock. */
export async function withdrawUpcomingRegistrationsOf(tx: Tx, actor: Actor) {
  const open = upcomingRegistrationsOf(actor.userId);
  const activityIds = (
    await tx.registration.findMany({
      where: open,
      select: { activityId: true },
      orderBy: { activityId: "asc" },
    })
  ).map((row) => row.activityId);
  let withdrawn = 0;
  for (const activityId of activityIds) {
    const row = await lockActivity(tx, activityId);
    const mine = await tx.registration.findFirst({ where: { ...open, activityId } });
    if (!mine) continue;
    await giveUpPlace(tx, actor, mine, row.title, "account.delete");
    withdrawn += 1;
  }
  return withdrawn;
}

/** 我的活动: the caller's registrations, latest start first (what is coming, then what is past). */
export async function listMyRegistrations(actor: Actor, query: Paging) {
  const where = { userId: actor.userId, status: { in: ["REGISTERED" as const, "WAITLISTED" as const] } };
  const [total, rows] = await db().$transaction([
    db().registration.count({ where }),
    db().registration.findMany({
      where,
      orderBy: [{ activity: { startsAt: "desc" } }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: { activity: { select: activitySelect } },
    }),
  ]);
  const items = await Promise.all(
    rows.map(async ({ activity, ...registration }) => ({
      registration: await toRegistrationView(registration),
      activity: {
        id: activity.id,
        title: activity.title,
        venue: activity.venue,
        startsAt: activity.startsAt.toISOString(),
        endsAt: activity.endsAt.toISOString(),
        status: activity.status,
        communityName: activity.community.name,
      },
    })),
  );
  return { items, total, page: query.page, pageSize: query.pageSize };
}
