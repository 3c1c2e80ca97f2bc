import type { Actor } from "~/domain/accounts/actor";
import { db, type Tx } from "~/lib/db.server";
import { conflict } from "~/lib/errors";
import { authorize, can } from "./policy";

// The transactional outbox (ADR 0003): a change announces itself in the same transaction as the change,
// with ids and a version only. The worker's relay (app/outbox/relay.server.ts) brings the search index
// up to date for `*.changed` rows and hands event rows to their queue, so neither depends on Redis or
// the engine being up when the change is made.

export type OutboxAggregate = "Provider" | "Service" | "Need" | "Activity" | "Booking" | "Venue";

/** Events that start background work, each with the job the relay enqueues for it. */
export const OUTBOX_EVENTS = {
  "need.posted": { queue: "matching", job: "suggestForNeed", idKey: "needId" },
  /** Published or retimed: (re)schedule its start, finish and reminders. */
  "activity.scheduled": { queue: "activities", job: "scheduleActivity", idKey: "activityId" },
  /** It finished, or check-ins or walk-ins changed after it did: recount its tally and its
   * community's day. */
  "activity.attendance": { queue: "statistics", job: "tallyActivity", idKey: "activityId" },
  /** A booking was made or its time or status changed: (re)schedule its lapse and its reminder. */
  "booking.scheduled": { queue: "venues", job: "scheduleBooking", idKey: "bookingId" },
  /** A booking was completed (or its attendance corrected): recount its territory's day. */
  "booking.attendance": { queue: "statistics", job: "tallyBooking", idKey: "bookingId" },
} as const;
export type OutboxEventTopic = keyof typeof OUTBOX_EVENTS;

/** Something searchable changed: its index document is rebuilt from the database. */
export async function recordOutbox(
  tx: Tx,
  aggregateType: OutboxAggregate,
  aggregateId: string,
  version: number,
) {
  await tx.outboxEvent.create({
    data: { topic: `${aggregateType.toLowerCase()}.changed`, aggregateType, aggregateId, version },
  });
}

/** Something happened that background work must follow up (e.g. notify workers of a new need). */
export async function recordEvent(
  tx: Tx,
  topic: OutboxEventTopic,
  aggregateType: OutboxAggregate,
  aggregateId: string,
  version: number,
) {
  await tx.outboxEvent.create({ data: { topic, aggregateType, aggregateId, version } });
}

/** Whether the actor may watch the background machinery (the outbox here, the queue board in
 * app/http): district admins only. */
export const mayWatchOperations = (actor: Actor | null) => can(actor, "operations.view", null);

/** Administration of the outbox (district admins): how many rows wait, and the last hundred rows
 * that failed every attempt (DEAD). */
export async function outboxHealth(actor: Actor) {
  authorize(actor, "operations.view", null);
  const [pending, dead] = await Promise.all([
    db().outboxEvent.count({ where: { status: "PENDING" } }),
    db().outboxEvent.findMany({
      where: { status: "DEAD" },
      orderBy: { id: "desc" },
      take: 100,
      select: {
        id: true,
        topic: true,
        aggregateType: true,
        aggregateId: true,
        attempts: true,
        lastError: true,
        createdAt: true,
      },
    }),
  ]);
  return { pending, dead };
}

const retryDead = (ids?: readonly bigint[]) =>
  db().outboxEvent.updateMany({
    where: { status: "DEAD", ...(ids ? { id: { in: [...ids] } } : {}) },
    data: { status: "PENDING", attempts: 0, availableAt: new Date() },
  });

/** Gives one dead row another chance, once its cause is fixed; a row no longer dead is a conflict. */
export async function retryDeadOutboxRow(actor: Actor, id: bigint) {
  authorize(actor, "operations.view", null);
  const { count } = await retryDead([id]);
  if (count === 0) throw conflict("这条记录已不在失败列表中，可能已经重试过了");
}

/** Gives every dead row another chance; returns how many. */
export async function retryAllDeadOutboxRows(actor: Actor) {
  authorize(actor, "operations.view", null);
  const { count } = await retryDead();
  return count;
}
