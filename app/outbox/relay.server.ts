import { Prisma } from "@prisma/client";
import { OUTBOX_EVENTS, type OutboxEventTopic } from "~/domain/outbox.server";
import { db, type Tx } from "~/lib/db.server";
import { describeError, logger } from "~/lib/logger.server";
import { queue } from "~/queue/queues.server";
import { dependentRefs, syncDocuments } from "~/search/documents.server";
import type { DocumentRef, SearchEngine, SearchType } from "~/search/engine";

// The outbox relay (DESIGN §3 rule 4): claims pending rows with FOR UPDATE SKIP LOCKED, so several
// relays can run at once, brings the index documents of `*.changed` rows up to date from PostgreSQL,
// and enqueues the job of each event row (job id = topic-row id, so a retried row never enqueues
// twice, while a later event for the same thing does). A failed row is retried with exponential backoff and, after MAX_ATTEMPTS, marked
// DEAD for an administrator to look at and retry.

export const BATCH_SIZE = 200;
export const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 5 * 60_000;

/** 1 s, 2 s, 4 s … capped at five minutes. */
export const backoffMs = (attempts: number) =>
  Math.min(1000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);

type ClaimedRow = { id: bigint; topic: string; aggregateType: string; aggregateId: string; attempts: number };

const TYPE_OF_AGGREGATE: Record<string, SearchType> = {
  Service: "service",
  Provider: "provider",
  Need: "need",
  Activity: "activity",
  Venue: "venue",
};

const isEventTopic = (topic: string): topic is OutboxEventTopic => Object.hasOwn(OUTBOX_EVENTS, topic);

/** Rebuilds the documents the rows point at (and, for a provider, its services). */
async function syncRows(tx: Tx, engine: SearchEngine, rows: readonly ClaimedRow[]) {
  const refs = new Map<string, DocumentRef>();
  for (const row of rows) {
    const type = TYPE_OF_AGGREGATE[row.aggregateType];
    if (type) refs.set(`${type}:${row.aggregateId}`, { type, id: row.aggregateId });
  }
  const providerIds = rows.filter((r) => r.aggregateType === "Provider").map((r) => r.aggregateId);
  for (const ref of await dependentRefs(tx, providerIds)) refs.set(`${ref.type}:${ref.id}`, ref);
  await syncDocuments(tx, engine, [...refs.values()]);
}

/** How long an event row waits for Redis before it is retried later: a queue whose Redis is down
 * waits for a connection instead of failing, and the relay must not hold its claim meanwhile. */
const ENQUEUE_TIMEOUT_MS = 3000;

async function enqueueEvent(row: ClaimedRow & { topic: OutboxEventTopic }) {
  const { queue: name, job, idKey } = OUTBOX_EVENTS[row.topic];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("Redis did not answer in time")), ENQUEUE_TIMEOUT_MS);
  });
  try {
    await Promise.race([
      queue(name).add(job, { [idKey]: row.aggregateId }, { jobId: `${row.topic}-${row.id}` }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export type RelayResult = { claimed: number; done: number; failed: number };

/** Relays one batch; returns how many rows it claimed, finished and failed. */
export async function relayOutboxBatch(engine: SearchEngine, limit = BATCH_SIZE): Promise<RelayResult> {
  return db().$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<ClaimedRow[]>`
        SELECT id, topic, "aggregateType", "aggregateId", attempts FROM "OutboxEvent"
        WHERE status = 'PENDING' AND "availableAt" <= now()
        ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      if (!rows.length) return { claimed: 0, done: 0, failed: 0 };

      const failures = new Map<bigint, string>();
      const indexRows = rows.filter((row) => row.topic.endsWith(".changed"));
      try {
        await syncRows(tx, engine, indexRows);
      } catch (error) {
        const reason = `search engine: ${describeError(error).errorMessage ?? "failed"}`;
        for (const row of indexRows) failures.set(row.id, reason);
      }
      for (const row of rows) {
        if (row.topic.endsWith(".changed")) continue;
        if (!isEventTopic(row.topic)) {
          failures.set(row.id, `unknown topic ${row.topic}`);
          continue;
        }
        try {
          await enqueueEvent({ ...row, topic: row.topic });
        } catch (error) {
          failures.set(row.id, `queue: ${describeError(error).errorMessage ?? "failed"}`);
        }
      }

      const doneIds = rows.filter((row) => !failures.has(row.id)).map((row) => row.id);
      if (doneIds.length) {
        await tx.$executeRaw`UPDATE "OutboxEvent" SET status = 'DONE', "processedAt" = now(), "lastError" = NULL
          WHERE id IN (${Prisma.join(doneIds)})`;
      }
      for (const row of rows.filter((r) => failures.has(r.id))) {
        const attempts = row.attempts + 1;
        await tx.outboxEvent.update({
          where: { id: row.id },
          data: {
            attempts,
            status: attempts >= MAX_ATTEMPTS ? "DEAD" : "PENDING",
            availableAt: new Date(Date.now() + backoffMs(attempts)),
            lastError: failures.get(row.id)?.slice(0, 500),
          },
        });
      }
      if (failures.size) {
        logger.warn("outbox rows failed", { failed: failures.size, claimed: rows.length });
      }
      return { claimed: rows.length, done: doneIds.length, failed: failures.size };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/** Relays until nothing is due (tests, reindex, the worker's loop). */
export async function drainOutbox(engine: SearchEngine): Promise<RelayResult> {
  const total = { claimed: 0, done: 0, failed: 0 };
  for (;;) {
    const result = await relayOutboxBatch(engine);
    total.claimed += result.claimed;
    total.done += result.done;
    total.failed += result.failed;
    if (result.claimed < BATCH_SIZE) return total;
  }
}

/** The worker's relay: drains, then waits `idleMs` before looking again; a database outage is logged
 * and retried. Resolves when `signal` aborts (graceful shutdown). */
export async function runOutboxRelay(engine: SearchEngine, options: { idleMs: number; signal: AbortSignal }) {
  // Each pause removes its abort listener when it ends (left behind, one would pile up per poll).
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        options.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      options.signal.addEventListener("abort", done, { once: true });
    });
  while (!options.signal.aborted) {
    try {
      await drainOutbox(engine);
      await pause(options.idleMs);
    } catch (error) {
      logger.error("outbox relay failed", describeError(error));
      await pause(Math.max(options.idleMs, 2000));
    }
  }
}
