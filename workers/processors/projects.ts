import type { Job } from "bullmq";
import { alertBehindProject, behindProjectIds, currentWeek } from "~/domain/projects/alerts.server";
import { JOB_PAYLOADS, queue } from "~/queue/queues.server";

/** The projects queue: the weekly scan queues one alert per project behind its pace; each alert
 * checks the project again and notifies at most once a week (see alerts.server.ts). */
export async function processProjects(job: Job) {
  const payloads = JOB_PAYLOADS.projects;
  switch (job.name) {
    case "alertBehindProjects": {
      payloads.alertBehindProjects.parse(job.data);
      const week = currentWeek();
      const ids = await behindProjectIds();
      for (const projectId of ids) {
        // One job per project and week: a repeated scan adds nothing new.
        await queue("projects").add(
          "alertBehindProject",
          { projectId, week },
          { jobId: `alertBehindProject-${projectId}-${week}` },
        );
      }
      return { queued: ids.length };
    }
    case "alertBehindProject": {
      const { projectId, week } = payloads.alertBehindProject.parse(job.data);
      return { alerted: await alertBehindProject(projectId, week) };
    }
    default:
      throw new Error(`unknown projects job: ${job.name}`);
  }
}
