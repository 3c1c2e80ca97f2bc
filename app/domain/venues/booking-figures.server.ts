import { chinaDay, isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { recountDays } from "../stats/daily.server";

/** A booking's China day recounted, after it was completed or its attendance corrected: batches and
 * persons join the daily figures by the same recount as activities (no second counting path). */
export async function recountBookingDay(bookingId: string) {
  const booking = await db().booking.findUnique({ where: { id: bookingId }, select: { startsAt: true } });
  if (!booking) return null;
  const day = chinaDay(booking.startsAt);
  await recountDays({ from: day, to: day });
  return isoDay(day);
}
