import type { Tx } from "~/lib/db.server";

// The transactional outbox (ADR 0003): a change announces itself in the same transaction as the change,
// with ids and a version only. The worker's relay (app/search/relay.server.ts) brings the search index
// up to date for `*.changed` rows and hands event rows to their queue, so neither depends on Redis or
// the engine being up when the change is made.

export type OutboxAggregate = "Provider" | "Service" | "Need" | "Activity";

/** Events that start background work, each with the job the relay enqueues for it. */
export const OUTBOX_EVENTS = {
  "need.posted": { queue: "matching", job: "suggestForNeed", idKey: "needId" },
  /** Published or retimed: (re)schedule its start, finish and reminders. */
  "activity.scheduled": { queue: "activities", job: "scheduleActivity", idKey: "activityId" },
  /** It finished, or check-ins or walk-ins changed after it did: recount its tally and its
   * community's day. */
  "activity.attendance": { queue: "statistics", job: "tallyActivity", idKey: "activityId" },
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
