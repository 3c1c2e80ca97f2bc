import type { Tx } from "~/lib/db.server";

// The transactional outbox (ADR 0003): a change to something searchable announces itself in the same
// transaction, with ids and a version only. The worker relays the rows to the search engine.

export type OutboxAggregate = "Provider" | "Service" | "Need" | "Activity";

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
