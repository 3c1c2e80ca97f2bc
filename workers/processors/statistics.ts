import type { Job } from "bullmq";
import { recomputeActivityFigures, recomputeRecent } from "~/domain/activities/tallies.server";
import { recountLatestDays } from "~/domain/stats/daily.server";
import { recountBookingDay } from "~/domain/venues/booking-figures.server";
import { JOB_PAYLOADS } from "~/queue/queues.server";

/** The statistics queue: activity tallies and daily figures recounted from rows (idempotent, so
 * retries are harmless). */
export async function processStatistics(job: Job) {
  const payloads = JOB_PAYLOADS.statistics;
  switch (job.name) {
    case "recountLatestDays": {
      payloads.recountLatestDays.parse(job.data);
      const { from, to } = await recountLatestDays();
      return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
    }
    case "tallyActivity": {
      const { activityId } = payloads.tallyActivity.parse(job.data);
      const tally = await recomputeActivityFigures(activityId);
      return { personTimes: tally?.personTimes ?? null };
    }
    case "tallyBooking": {
      const { bookingId } = payloads.tallyBooking.parse(job.data);
      return { day: await recountBookingDay(bookingId) };
    }
    case "recomputeRecentStats": {
      payloads.recomputeRecentStats.parse(job.data);
      const { activities } = await recomputeRecent();
      return { activities };
    }
    default:
      throw new Error(`unknown statistics job: ${job.name}`);
  }
}
