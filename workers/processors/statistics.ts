import type { Job } from "bullmq";
import { recountLatestDays } from "~/domain/stats/daily.server";
import { JOB_PAYLOADS } from "~/queue/queues.server";

/** The statistics queue: recounting daily figures from rows (idempotent, so retries are harmless). */
export async function processStatistics(job: Job) {
  const payloads = JOB_PAYLOADS.statistics;
  switch (job.name) {
    case "recountLatestDays": {
      payloads.recountLatestDays.parse(job.data);
      const { from, to } = await recountLatestDays();
      return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
    }
    default:
      throw new Error(`unknown statistics job: ${job.name}`);
  }
}
