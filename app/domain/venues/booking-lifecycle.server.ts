import { BUSY_TRANSACTION, db } from "~/lib/db.server";
import { formatTime } from "~/lib/format";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { recordEvent } from "../outbox.server";
import { myBookingLink } from "./venues.schema";

// The scheduler's side of bookings (issue 19), shaped like the activity life cycle: an unanswered
// request lapses at its answer time, and the holder of a confirmed booking is reminded the day
// before. Jobs carry ids and the time they were scheduled for; a job whose booking has since changed
// (another status, another time) does nothing. A periodic sweep repairs what a lost job missed.

export const REMINDER_BEFORE_MS = 24 * 3600 * 1000;

/** The jobs a booking needs now, each with when it should run. */
export async function bookingSchedule(bookingId: string, now = new Date()) {
  const booking = await db().booking.findUnique({
    where: { id: bookingId },
    select: { kind: true, status: true, startsAt: true, answerBy: true, bookerId: true },
  });
  if (booking?.kind !== "BOOKING") return [];
  const jobs: {
    name: "lapseBooking" | "remindBooking";
    data: { bookingId: string; at: string };
    runAt: Date;
  }[] = [];
  if (booking.status === "REQUESTED" && booking.answerBy) {
    jobs.push({
      name: "lapseBooking",
      data: { bookingId, at: booking.answerBy.toISOString() },
      runAt: booking.answerBy,
    });
  }
  const remindAt = new Date(booking.startsAt.getTime() - REMINDER_BEFORE_MS);
  if (
    ["REQUESTED", "CONFIRMED"].includes(booking.status) &&
    booking.bookerId &&
    remindAt.getTime() > now.getTime()
  ) {
    jobs.push({
      name: "remindBooking",
      data: { bookingId, at: booking.startsAt.toISOString() },
      runAt: remindAt,
    });
  }
  return jobs;
}

/** At its answer time a request still REQUESTED lapses, frees its time, and the booker is told. */
export async function lapseBooking(bookingId: string, scheduledFor: Date, now = new Date()) {
  const booking = await db().booking.findUnique({
    where: { id: bookingId },
    select: { answerBy: true, status: true },
  });
  if (
    booking?.status !== "REQUESTED" ||
    booking.answerBy?.getTime() !== scheduledFor.getTime() ||
    scheduledFor > now
  ) {
    return false;
  }
  return db().$transaction(async (tx) => {
    const { count } = await tx.booking.updateMany({
      where: { id: bookingId, status: "REQUESTED", answerBy: scheduledFor },
      data: { status: "LAPSED", version: { increment: 1 } },
    });
    if (count === 0) return false;
    const row = await tx.booking.findUniqueOrThrow({
      where: { id: bookingId },
      select: { version: true, bookerId: true, startsAt: true, venue: { select: { name: true } } },
    });
    await recordEvent(tx, "booking.scheduled", "Booking", bookingId, row.version);
    await recordAudit(tx, {
      actorId: null,
      action: "booking.lapse",
      targetType: "Booking",
      targetId: bookingId,
    });
    if (row.bookerId) {
      await notify(tx, {
        userIds: [row.bookerId],
        kind: "booking.lapsed",
        title: "阵地预约未获答复，已过期",
        body: `您预约的“${row.venue.name}” ${formatTime(row.startsAt)} 未在时限内得到审核，申请已过期，时段已释放。如仍需使用，请重新预约或致电阵地。`,
        link: myBookingLink(bookingId),
        dedupeKey: `booking.lapsed:${bookingId}`,
      });
    }
    return true;
  }, BUSY_TRANSACTION);
}

/** The day before, the booker of a confirmed booking is reminded (once per start time). A job that
 * runs late, after the start (the worker was down), says nothing: a reminder then only confuses. */
export async function remindBooking(bookingId: string, scheduledFor: Date, now = new Date()) {
  const booking = await db().booking.findUnique({
    where: { id: bookingId },
    select: {
      status: true,
      startsAt: true,
      bookerId: true,
      venue: { select: { name: true, address: true } },
    },
  });
  if (
    booking?.status !== "CONFIRMED" ||
    !booking.bookerId ||
    booking.startsAt.getTime() !== scheduledFor.getTime() ||
    booking.startsAt <= now
  ) {
    return false;
  }
  const bookerId = booking.bookerId;
  await db().$transaction((tx) =>
    notify(tx, {
      userIds: [bookerId],
      kind: "booking.reminder",
      title: "明天有阵地预约",
      body: `您预约的“${booking.venue.name}”将于 ${formatTime(booking.startsAt)} 开始，地址：${booking.venue.address}。`,
      link: myBookingLink(bookingId),
      dedupeKey: `booking.reminder:${bookingId}:${booking.startsAt.getTime()}`,
    }),
  );
  return true;
}

/** Repairs what delayed jobs missed: overdue requests lapse, and tomorrow's confirmed bookings whose
 * reminder is due are reminded (the dedupe key keeps it to once). Safe to run any time. */
export async function sweepBookings(now = new Date()) {
  const overdue = await db().booking.findMany({
    where: { kind: "BOOKING", status: "REQUESTED", answerBy: { lte: now } },
    select: { id: true, answerBy: true },
  });
  let lapsed = 0;
  for (const row of overdue) if (row.answerBy && (await lapseBooking(row.id, row.answerBy, now))) lapsed += 1;
  const due = await db().booking.findMany({
    where: {
      kind: "BOOKING",
      status: "CONFIRMED",
      bookerId: { not: null },
      startsAt: { gt: now, lte: new Date(now.getTime() + REMINDER_BEFORE_MS) },
    },
    select: { id: true, startsAt: true },
  });
  let reminded = 0;
  for (const row of due) if (await remindBooking(row.id, row.startsAt, now)) reminded += 1;
  return { lapsed, reminded };
}
