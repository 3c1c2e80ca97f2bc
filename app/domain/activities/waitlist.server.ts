import type { Registration } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { notify } from "../notifications/notifications.server";
import { type ActivityCounts, REGISTRATION_STATUS_LABELS, type RegistrationView } from "./activities.schema";

// The seats and the waitlist as rows and as the seat counter (ActivitySeats, ADR 0019) keep them: the
// counts, a registration as its owner sees it (with its place in the queue), and giving freed seats to
// the waitlist in order.

export async function countsOf(activityId: string, walkIns: number): Promise<ActivityCounts> {
  // One pass over the activity's registrations, on every view of its page.
  const [row] = await db().$queryRaw<{ registered: number; waitlisted: number; checkedIn: number }[]>`
    SELECT count(*) FILTER (WHERE status = 'REGISTERED')::int AS registered,
      count(*) FILTER (WHERE status = 'WAITLISTED')::int AS waitlisted,
      count(*) FILTER (WHERE status = 'REGISTERED' AND "checkedInAt" IS NOT NULL)::int AS "checkedIn"
    FROM "Registration" WHERE "activityId" = ${activityId}`;
  const checkedIn = row?.checkedIn ?? 0;
  return {
    registered: row?.registered ?? 0,
    waitlisted: row?.waitlisted ?? 0,
    checkedIn,
    walkIns,
    personTimes: checkedIn + walkIns,
  };
}

export const registrationOf = (activityId: string, userId: string) =>
  db().registration.findUnique({ where: { activityId_userId: { activityId, userId } } });

/** What a registration's view is made from (the claiming statement returns exactly this). */
export type RegistrationFacts = Pick<
  Registration,
  "id" | "activityId" | "status" | "checkInCode" | "checkedInAt" | "place" | "queuedAt" | "createdAt"
>;

/** The waitlist's order: by place, then (rows without one) by queuedAt, then by id. */
export const WAITLIST_ORDER = [{ place: "asc" }, { queuedAt: "asc" }, { id: "asc" }] as const;

/** A registration as its owner sees it, its waitlist position counted from the rows. */
export async function toRegistrationView(row: RegistrationFacts): Promise<RegistrationView> {
  const waitlistPosition =
    row.status === "WAITLISTED"
      ? (await db().registration.count({
          where: {
            activityId: row.activityId,
            status: "WAITLISTED",
            OR: [{ place: { lt: row.place } }, { place: row.place, queuedAt: { lt: row.queuedAt } }],
          },
        })) + 1
      : null;
  return registrationView(row, waitlistPosition);
}

/** A registration as its owner sees it, its waitlist position known (the claim says it). */
export function registrationView(row: RegistrationFacts, waitlistPosition: number | null): RegistrationView {
  return {
    id: row.id,
    activityId: row.activityId,
    status: row.status,
    statusLabel: REGISTRATION_STATUS_LABELS[row.status],
    checkInCode: row.status === "REGISTERED" ? row.checkInCode : null,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    waitlistPosition: row.status === "WAITLISTED" ? waitlistPosition : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Locks the activity's seat counter for the rest of the transaction (after the activity's own lock,
 * where both are taken) and says how many seats are held. */
export async function lockSeats(tx: Tx, activityId: string) {
  const [seats] = await tx.$queryRaw<{ capacity: number; taken: number }[]>`
    SELECT capacity, taken FROM "ActivitySeats" WHERE "activityId" = ${activityId} FOR UPDATE`;
  if (!seats) throw new Error(`activity ${activityId} has no seat counter`);
  return seats;
}

/** Returns `freed` seats to the counter, then gives the free seats to the waitlist in order, telling
 * each person promoted. The counter stays locked until the caller's transaction ends, so no
 * registration claims a seat in between. */
export async function promoteFromWaitlist(tx: Tx, activityId: string, title: string, freed = 0) {
  const [seats] = await tx.$queryRaw<{ capacity: number; taken: number }[]>`
    UPDATE "ActivitySeats" SET taken = taken - ${freed}::int WHERE "activityId" = ${activityId}
    RETURNING capacity, taken`;
  if (!seats) throw new Error(`activity ${activityId} has no seat counter`);
  const free = seats.capacity - seats.taken;
  if (free <= 0) return [];
  const next = await tx.registration.findMany({
    where: { activityId, status: "WAITLISTED" },
    orderBy: [...WAITLIST_ORDER],
    take: free,
    select: { id: true, userId: true },
  });
  if (next.length) {
    await tx.$executeRaw`
      UPDATE "ActivitySeats" SET taken = taken + ${next.length}::int, waiting = waiting - ${next.length}::int
      WHERE "activityId" = ${activityId}`;
  }
  for (const person of next) {
    await tx.registration.update({
      where: { id: person.id },
      data: { status: "REGISTERED", promotedAt: new Date() },
    });
    await notify(tx, {
      userIds: [person.userId],
      kind: "registration.promoted",
      title: "候补成功",
      body: `有人让出了名额，您已报上“${title}”。签到码在“我的活动”里。`,
      link: "/me/activities",
      dedupeKey: `registration.promoted:${person.id}:${Date.now()}`,
    });
  }
  return next;
}

/** A waitlist place given up: the counter's waiting count follows (locking the counter). */
export async function leaveWaitlist(tx: Tx, activityId: string) {
  await tx.$executeRaw`UPDATE "ActivitySeats" SET waiting = waiting - 1 WHERE "activityId" = ${activityId}`;
}
