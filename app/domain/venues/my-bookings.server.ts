import type { BookingStatus } from "@prisma/client";
import { DAY_MS } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { notFound, unauthenticated } from "~/lib/errors";
import type { IcsEvent } from "~/lib/ics";
import type { Actor } from "../accounts/actor";
import { cancelBooking } from "./booking-cancel.server";
import { bookingSelect, getBooking, loadBooking, toBookingView } from "./booking-rows.server";
import { bookingRuleErrors, HELD_STATUSES, MAX_SERIES_DAYS } from "./venues.schema";
import { loadVenue, rulesOf } from "./venues.server";

// The booker's side of bookings (issue 19): 我的预约 and the contact the 预约 form starts from.

/** The 预约 form's contact starts as the account's own name and phone (the person may change them:
 * a group often names its own contact). */
export async function bookingContactOf(actor: Actor) {
  const user = await db().user.findUnique({
    where: { id: actor.userId },
    select: { name: true, phone: true },
  });
  if (!user) throw unauthenticated();
  return { contactName: user.name, contactPhone: user.phone };
}

/** How many of a person's past bookings 我的预约 lists (its latest): older ones are in 下载我的数据. */
export const MY_PAST_BOOKINGS = 50;

/** 我的预约: the bookings still to come that hold their time (soonest first), and the rest (past,
 * declined, lapsed, cancelled: latest first). A series' dates are listed one by one. */
export async function listMyBookings(actor: Actor, now = new Date()) {
  const holding = { bookerId: actor.userId, kind: "BOOKING" as const };
  const comingWhere = { ...holding, status: { in: [...HELD_STATUSES] }, endsAt: { gt: now } };
  const [coming, others, othersTotal] = await Promise.all([
    db().booking.findMany({
      where: comingWhere,
      select: bookingSelect,
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    }),
    db().booking.findMany({
      where: { ...holding, NOT: comingWhere },
      select: bookingSelect,
      orderBy: [{ startsAt: "desc" }, { id: "asc" }],
      take: MY_PAST_BOOKINGS,
    }),
    db().booking.count({ where: { ...holding, NOT: comingWhere } }),
  ]);
  const view = (row: (typeof coming)[number]) => ({
    ...toBookingView(actor, row),
    // Only time not yet begun may be cancelled (cancelBooking says so too).
    cancellable: row.startsAt > now,
  });
  return { upcoming: coming.map(view), past: others.map(view), pastTotal: othersTotal };
}

const WEEK_MS = 7 * DAY_MS;
/** The most dates a series can ask for (every week for six months, and the first). */
export const MAX_SERIES_DATES = Math.ceil(MAX_SERIES_DAYS / 7) + 1;

/** One booking's page (/me/bookings/:id), where the 预约 form leads once it has booked (a reload
 * then books nothing again): the booking and, for a series, each of its dates as they stand now, and
 * the dates the request could not book, which the form passes on by their start. Why each could not
 * be booked is worked out again from the venue's rules, as of the moment of the request; a date the
 * rules allow was taken. For its booker only: anyone else, staff included, gets 404 (staff have their
 * own pages). */
export async function myBooking(actor: Actor, id: string, skippedStarts: Date[] = []) {
  const row = await loadBooking(id);
  if (row.bookerId !== actor.userId) throw notFound("该预约不存在");
  const dates = row.seriesId
    ? await db().booking.findMany({
        where: { kind: "BOOKING", seriesId: row.seriesId, bookerId: actor.userId },
        select: bookingSelect,
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      })
    : [row];
  const booked = new Set(dates.map((date) => date.startsAt.getTime()));
  // Only dates the series could have asked for: whole weeks from this one, within six months.
  const ofTheSeries = (startsAt: Date) => {
    const apart = Math.abs(startsAt.getTime() - row.startsAt.getTime());
    return apart % WEEK_MS === 0 && apart <= MAX_SERIES_DAYS * DAY_MS && !booked.has(startsAt.getTime());
  };
  const asked = row.seriesId ? skippedStarts.filter(ofTheSeries).slice(0, MAX_SERIES_DATES) : [];
  const rules = asked.length ? rulesOf(await loadVenue(row.venueId)) : null;
  const length = row.endsAt.getTime() - row.startsAt.getTime();
  const skipped = asked.map((startsAt) => {
    const endsAt = new Date(startsAt.getTime() + length);
    const broken = rules
      ? bookingRuleErrors(rules, { ...row, startsAt, endsAt }, row.createdAt, { checkFarEnd: false })
      : {};
    return {
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      // What createBooking said of a later date of a series; a date the rules allowed was taken.
      reason: broken.startsAt ?? broken.expectedPersons ?? "该时段已被预约或暂停开放",
    };
  });
  return {
    // Only time not yet begun may be cancelled (cancelBooking says so too).
    booking: { ...toBookingView(actor, row), cancellable: row.startsAt > new Date() },
    dates: dates.map((date) => toBookingView(actor, date)),
    skipped,
  };
}

/** 取消 on a booking's own page: its booker's alone (anyone else, staff included, gets 404 as for the
 * page; staff cancel on 阵地管理 with a reason), this date or, for a series, the rest of it. */
export async function cancelMyBooking(actor: Actor, id: string, { rest }: { rest: boolean }) {
  const row = await loadBooking(id);
  if (row.bookerId !== actor.userId) throw notFound("该预约不存在");
  return cancelBooking(actor, id, { rest });
}

/** One booking as an iCalendar event, for its booker and staff in scope only (others: 404). */
export async function bookingCalendarEvent(actor: Actor, id: string, origin: string): Promise<IcsEvent> {
  const { booking } = await getBooking(actor, id);
  return {
    uid: `booking-${booking.id}@sanshe`,
    start: new Date(booking.startsAt),
    end: new Date(booking.endsAt),
    summary: `${booking.venueName} · ${booking.groupName}`,
    location: booking.venueAddress,
    description: booking.purpose,
    url: `${origin}/venues/${booking.venueId}`,
    status: CALENDAR_STATUS[booking.status],
  };
}

/** A request not yet answered is tentative; declined, lapsed and cancelled ones are off. */
const CALENDAR_STATUS: Record<BookingStatus, IcsEvent["status"]> = {
  REQUESTED: "TENTATIVE",
  CONFIRMED: "CONFIRMED",
  COMPLETED: "CONFIRMED",
  DECLINED: "CANCELLED",
  LAPSED: "CANCELLED",
  CANCELLED: "CANCELLED",
};
