import type { Job } from "bullmq";
import {
  activitySchedule,
  finishActivity,
  remindRegistrants,
  startActivity,
  sweepActivities,
} from "~/domain/activities/lifecycle.server";
import { JOB_PAYLOADS, queue } from "~/queue/queues.server";

/** The activities queue: scheduling the life cycle, its steps, reminders and the sweep that repairs
 * missed steps (tallies are counted on the statistics queue).
 * Each step checks the activity's current state, so a retried or stale job changes nothing. */
export async function processActivities(job: Job) {
  const payloads = JOB_PAYLOADS.activities;
  switch (job.name) {
    case "scheduleActivity": {
      const { activityId } = payloads.scheduleActivity.parse(job.data);
      const jobs = await activitySchedule(activityId);
      for (const planned of jobs) {
        const delay = Math.max(0, planned.runAt.getTime() - Date.now());
        // One job per step and time: rescheduling to a new time adds a new job, the old one finds
        // the time changed and does nothing.
        const jobId = [planned.name, planned.data.before, activityId, planned.runAt.getTime()]
          .filter(Boolean)
          .join("-");
        await queue("activities").add(planned.name, planned.data, { delay, jobId });
      }
      return { scheduled: jobs.length };
    }
    case "startActivity": {
      const { activityId, at } = payloads.startActivity.parse(job.data);
      return { started: await startActivity(activityId, new Date(at)) };
    }
    case "finishActivity": {
      const { activityId, at } = payloads.finishActivity.parse(job.data);
      return { finished: await finishActivity(activityId, new Date(at)) };
    }
    case "remindActivity": {
      const { activityId, before, at } = payloads.remindActivity.parse(job.data);
      return { reminded: await remindRegistrants(activityId, before, new Date(at)) };
    }
    case "sweepActivities": {
      payloads.sweepActivities.parse(job.data);
      return sweepActivities();
    }
    default:
      throw new Error(`unknown activities job: ${job.name}`);
  }
}
