import { Job } from "bullmq";
import { type QueueName, queue } from "./queues.server";

// What the queue page (队列状态) reads from BullMQ and the two repairs it offers: counts per state,
// how long the oldest waiting job has waited, the failed jobs, and putting failed jobs back.

export const JOB_STATES = ["waiting", "active", "completed", "failed", "delayed"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** How many failed jobs a queue's section lists (the count above it says how many there are). */
export const FAILED_SHOWN = 50;

export type FailedJob = {
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  /** When it failed for the last time (ms since the epoch); absent on a job that never ran. */
  failedAt: number | null;
};

export type QueueSnapshot = {
  counts: Record<JobState, number>;
  /** Since when the oldest waiting job has been due (ms since the epoch), or null with none waiting. */
  oldestWaitingSince: number | null;
  failed: FailedJob[];
};

export async function queueSnapshot(name: QueueName): Promise<QueueSnapshot> {
  const q = queue(name);
  const [counts, oldest, failed] = await Promise.all([
    q.getJobCounts(...JOB_STATES),
    // Lists are filled from the left and worked from the right: ascending, the first is the oldest.
    q.getJobs(["wait"], 0, 0, true),
    q.getFailed(0, FAILED_SHOWN - 1),
  ]);
  const [first] = oldest;
  return {
    counts: {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      delayed: counts.delayed ?? 0,
    },
    // A delayed job waits from the time it was due, not from when it was added.
    oldestWaitingSince: first ? first.timestamp + (first.delay ?? 0) : null,
    failed: failed.map((job) => ({
      id: job.id ?? "",
      name: job.name,
      failedReason: job.failedReason ?? "",
      attemptsMade: job.attemptsMade,
      failedAt: job.finishedOn ?? null,
    })),
  };
}

/** Puts one failed job back to waiting; false when there is no such job or it is no longer failed. */
export async function retryFailedJob(name: QueueName, jobId: string): Promise<boolean> {
  const job = await Job.fromId(queue(name), jobId);
  if (!job || (await job.getState()) !== "failed") return false;
  await job.retry("failed");
  return true;
}

/** Puts every failed job of a queue back to waiting; returns how many there were. */
export async function retryAllFailedJobs(name: QueueName): Promise<number> {
  const q = queue(name);
  const count = await q.getFailedCount();
  if (count > 0) await q.retryJobs({ state: "failed", count: 1000 });
  return count;
}
