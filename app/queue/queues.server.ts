import { Queue, type RedisOptions } from "bullmq";
import { z } from "zod";
import { sharedEnv } from "~/lib/env.server";
import { idSchema } from "~/lib/zod";

// Queue names and job payloads, registered explicitly. Payloads carry ids only (no personal data),
// so a job can be logged, retried and inspected safely (ADR 0002).

export const QUEUE_NAMES = [
  "maintenance",
  "matching",
  "activities",
  "statistics",
  "venues",
  "projects",
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const JOB_PAYLOADS = {
  maintenance: {
    heartbeat: z.object({}).strict(),
  },
  matching: {
    suggestForNeed: z.object({ needId: idSchema("needId") }).strict(),
  },
  activities: {
    scheduleActivity: z.object({ activityId: idSchema("activityId") }).strict(),
    /** `at` is the time the job was scheduled for: a job for a time since changed does nothing. */
    startActivity: z.object({ activityId: idSchema("activityId"), at: z.iso.datetime() }).strict(),
    finishActivity: z.object({ activityId: idSchema("activityId"), at: z.iso.datetime() }).strict(),
    remindActivity: z
      .object({ activityId: idSchema("activityId"), before: z.enum(["24h", "1h"]), at: z.iso.datetime() })
      .strict(),
    sweepActivities: z.object({}).strict(),
  },
  /** Counting, apart from the life cycle: a recount of a busy day takes seconds and waits for the
   * one before it, and a start or finish must not wait behind it. */
  statistics: {
    /** Recount today's and yesterday's daily figures (postings, matches, approvals, publications). */
    recountLatestDays: z.object({}).strict(),
    /** An activity's tally and its community's day, after it finished or its attendance changed. */
    tallyActivity: z.object({ activityId: idSchema("activityId") }).strict(),
    /** The nightly repair of the last 40 days. */
    recomputeRecentStats: z.object({}).strict(),
    /** A venue booking's territory day, after it was completed or its attendance changed. */
    tallyBooking: z.object({ bookingId: idSchema("bookingId") }).strict(),
  },
  /** Venue bookings' life cycle (issue 19): like the activities', stale-safe by `at`. */
  venues: {
    scheduleBooking: z.object({ bookingId: idSchema("bookingId") }).strict(),
    /** An unanswered request lapses at its answer time. */
    lapseBooking: z.object({ bookingId: idSchema("bookingId"), at: z.iso.datetime() }).strict(),
    /** The day-before reminder; `at` is the start it was scheduled for. */
    remindBooking: z.object({ bookingId: idSchema("bookingId"), at: z.iso.datetime() }).strict(),
    sweepBookings: z.object({}).strict(),
  },
  /** Government-purchased projects (ADR 0026): the weekly behind-pace alert. */
  projects: {
    /** Finds the projects behind their pace and queues one alert each (the Monday scheduler). */
    alertBehindProjects: z.object({}).strict(),
    /** One project's alert for one ISO week (China days): a job for another week does nothing. */
    alertBehindProject: z
      .object({ projectId: idSchema("projectId"), week: z.string().regex(/^\d{4}-W\d{2}$/) })
      .strict(),
  },
} satisfies Record<QueueName, Record<string, z.ZodType>>;

/** Retries with exponential backoff; finished jobs are trimmed so Redis does not grow. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** BullMQ's blocking connections need maxRetriesPerRequest = null (workers); producers fail fast. */
function bullConnection(role: "worker" | "producer"): RedisOptions {
  return {
    url: sharedEnv().REDIS_URL,
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
  };
}

/** A queue's or worker's connection and key prefix (BullMQ refuses ioredis' keyPrefix and takes its
 * own, which REDIS_KEY_PREFIX goes in front of). */
export function bullOptions(role: "worker" | "producer") {
  return { connection: bullConnection(role), prefix: `${sharedEnv().REDIS_KEY_PREFIX}bull` };
}

const queues = new Map<QueueName, Queue>();

/** The producer side of a queue, created on first use. */
export function queue(name: QueueName): Queue {
  let existing = queues.get(name);
  if (!existing) {
    existing = new Queue(name, {
      ...bullOptions("producer"),
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
    existing.on("error", () => undefined);
    queues.set(name, existing);
  }
  return existing;
}

export async function closeQueues() {
  await Promise.allSettled([...queues.values()].map((q) => q.close()));
  queues.clear();
}
