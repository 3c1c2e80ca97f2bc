import type { Job } from "bullmq";
import { redis } from "~/lib/redis.server";
import { JOB_PAYLOADS } from "~/queue/queues.server";

export const HEARTBEAT_KEY = "sanshe:worker:heartbeat";

/** The maintenance queue: a heartbeat for now, so operators can see the worker is alive. */
export async function processMaintenance(job: Job) {
  switch (job.name) {
    case "heartbeat": {
      JOB_PAYLOADS.maintenance.heartbeat.parse(job.data);
      await redis().set(HEARTBEAT_KEY, new Date().toISOString(), "EX", 24 * 3600);
      return { beatAt: Date.now() };
    }
    default:
      throw new Error(`unknown maintenance job: ${job.name}`);
  }
}
