import type { Job } from "bullmq";
import { announceNewNeed } from "~/domain/matching/suggestions.server";
import { JOB_PAYLOADS } from "~/queue/queues.server";

/** The matching queue: a newly posted need gets its suggestions and its community's workers are told
 * (idempotent: the notification's dedupe key makes a retry notify nobody twice). */
export async function processMatching(job: Job) {
  switch (job.name) {
    case "suggestForNeed": {
      const { needId } = JOB_PAYLOADS.matching.suggestForNeed.parse(job.data);
      return announceNewNeed(needId);
    }
    default:
      throw new Error(`unknown matching job: ${job.name}`);
  }
}
