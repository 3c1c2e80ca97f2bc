import { Worker } from "bullmq";
import { bullOptions, type QueueName, queue } from "~/queue/queues.server";

// Jobs in the real queues of the test's Redis key prefix, in the states the queue page shows.

/** Adds a job and fails it the way the worker does when its last attempt throws: taken by a worker
 * without a processor, then moved to failed with the error. Returns the job's id. */
export async function failedJob(
  name: QueueName,
  jobName: string,
  data: Record<string, string>,
  message: string,
): Promise<string> {
  const job = await queue(name).add(jobName, data, { attempts: 1 });
  const worker = new Worker(name, null, { ...bullOptions("worker"), autorun: false });
  try {
    const token = `test-${job.id}`;
    const taken = await worker.getNextJob(token);
    if (!taken || taken.id !== job.id) throw new Error(`expected to take job ${job.id} of ${name}`);
    await taken.moveToFailed(new Error(message), token);
  } finally {
    await worker.close();
  }
  return job.id ?? "";
}
