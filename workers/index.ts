import { type Processor, Queue, Worker } from "bullmq";
import { disconnectDb } from "~/lib/db.server";
import { loadEnvOrExit, workerEnv } from "~/lib/env.server";
import { describeError, logger } from "~/lib/logger.server";
import { disconnectRedis } from "~/lib/redis.server";
import { runOutboxRelay } from "~/outbox/relay.server";
import { bullOptions, closeQueues, QUEUE_NAMES, type QueueName } from "~/queue/queues.server";
import { searchEngine } from "~/search/engines.server";
import { processActivities } from "./processors/activities";
import { processMaintenance } from "./processors/maintenance";
import { processMatching } from "./processors/matching";
import { processProjects } from "./processors/projects";
import { processStatistics } from "./processors/statistics";
import { processVenues } from "./processors/venues";

// The worker process: one BullMQ Worker per queue, registered here explicitly, recurring work as
// job schedulers, graceful shutdown on SIGTERM/SIGINT (active jobs finish, then connections close).

const PROCESSORS: Record<QueueName, Processor> = {
  maintenance: processMaintenance,
  matching: processMatching,
  activities: processActivities,
  statistics: processStatistics,
  venues: processVenues,
  projects: processProjects,
};

const env = loadEnvOrExit(workerEnv);

// The outbox relay polls PostgreSQL rather than waiting on Redis, and starts first: the index keeps
// up even while Redis is down (only event rows wait for it).
const stopRelay = new AbortController();
const relay = runOutboxRelay(searchEngine(), { idleMs: env.OUTBOX_POLL_MS, signal: stopRelay.signal });

// Schedulers are upserted with the worker's patient connection, so a worker started while Redis is
// still coming up waits for it instead of crashing.
const maintenance = new Queue("maintenance", bullOptions("worker"));
await maintenance.upsertJobScheduler(
  "heartbeat",
  { every: env.HEARTBEAT_EVERY_MS },
  { name: "heartbeat", data: {} },
);
const activities = new Queue("activities", bullOptions("worker"));
// The sweep repairs missed life-cycle steps.
await activities.upsertJobScheduler(
  "sweep",
  { every: env.ACTIVITY_SWEEP_MS },
  { name: "sweepActivities", data: {} },
);
// The nightly recount moved to the statistics queue; a scheduler left from before would run a job
// the activities queue no longer knows.
await activities.removeJobScheduler("nightly-stats");
const venues = new Queue("venues", bullOptions("worker"));
// Like the activities' sweep: lapses and reminders a lost job or a stopped worker missed.
await venues.upsertJobScheduler(
  "sweep",
  { every: env.ACTIVITY_SWEEP_MS },
  { name: "sweepBookings", data: {} },
);
const statistics = new Queue("statistics", bullOptions("worker"));
// Postings, matches, approvals and publications land on today: recounting the latest days keeps the
// statistics a sweep behind at most (activities' days are recounted when they finish); the nightly
// run recounts the last 40 days' figures.
await statistics.upsertJobScheduler(
  "latest-days",
  { every: env.STATS_RECOUNT_MS },
  { name: "recountLatestDays", data: {} },
);
await statistics.upsertJobScheduler(
  "nightly-stats",
  { pattern: "0 30 3 * * *", tz: "Asia/Shanghai" },
  { name: "recomputeRecentStats", data: {} },
);

const projects = new Queue("projects", bullOptions("worker"));
// Monday morning, China time: the week's behind-pace alerts (one per project and ISO week).
await projects.upsertJobScheduler(
  "weekly-behind-alerts",
  { pattern: "0 0 9 * * 1", tz: "Asia/Shanghai" },
  { name: "alertBehindProjects", data: {} },
);

const workers = QUEUE_NAMES.map((name) => {
  const worker = new Worker(name, PROCESSORS[name], {
    ...bullOptions("worker"),
    concurrency: env.WORKER_CONCURRENCY,
    lockDuration: env.WORKER_LOCK_MS,
    stalledInterval: env.WORKER_STALLED_MS,
  });
  worker.on("completed", (job) => logger.debug("job completed", { queue: name, job: job.name, id: job.id }));
  worker.on("failed", (job, error) =>
    logger.warn("job failed", {
      queue: name,
      job: job?.name,
      id: job?.id,
      attempts: job?.attemptsMade,
      ...describeError(error),
    }),
  );
  worker.on("error", (error) => logger.error("worker error", { queue: name, ...describeError(error) }));
  return worker;
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info("worker shutting down", { signal });
  stopRelay.abort();
  await Promise.allSettled([relay, ...workers.map((worker) => worker.close())]);
  await Promise.allSettled([
    maintenance.close(),
    activities.close(),
    venues.close(),
    statistics.close(),
    projects.close(),
    closeQueues(),
    disconnectDb(),
    disconnectRedis(),
  ]);
  logger.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// Announced only once a signal would be handled: a SIGTERM sent on seeing this line (as an operator or
// a test does) gets the graceful shutdown, not the default that kills the process outright.
logger.info("worker started", {
  queues: QUEUE_NAMES.join(","),
  concurrency: env.WORKER_CONCURRENCY,
  engine: searchEngine().name,
});
