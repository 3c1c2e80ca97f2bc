import type { Job } from "bullmq";
import {
  bookingSchedule,
  lapseBooking,
  remindBooking,
  sweepBookings,
} from "~/domain/venues/booking-lifecycle.server";
import { JOB_PAYLOADS, queue } from "~/queue/queues.server";

/** The venues queue: scheduling a booking's lapse and reminder, the steps themselves, and the sweep
 * that repairs missed ones. Each step checks the booking's current state, so a stale job does nothing. */
export async function processVenues(job: Job) {
  const payloads = JOB_PAYLOADS.venues;
  switch (job.name) {
    case "scheduleBooking": {
      const { bookingId } = payloads.scheduleBooking.parse(job.data);
      const jobs = await bookingSchedule(bookingId);
      for (const planned of jobs) {
        const delay = Math.max(0, planned.runAt.getTime() - Date.now());
        // One job per step and time: a changed time adds a new job and the old one finds it stale.
        const jobId = [planned.name, bookingId, planned.runAt.getTime()].join("-");
        await queue("venues").add(planned.name, planned.data, { delay, jobId });
      }
      return { scheduled: jobs.length };
    }
    case "lapseBooking": {
      const { bookingId, at } = payloads.lapseBooking.parse(job.data);
      return { lapsed: await lapseBooking(bookingId, new Date(at)) };
    }
    case "remindBooking": {
      const { bookingId, at } = payloads.remindBooking.parse(job.data);
      return { reminded: await remindBooking(bookingId, new Date(at)) };
    }
    case "sweepBookings": {
      payloads.sweepBookings.parse(job.data);
      return sweepBookings();
    }
    default:
      throw new Error(`unknown venues job: ${job.name}`);
  }
}
