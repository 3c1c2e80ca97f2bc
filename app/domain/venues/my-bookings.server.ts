import type { BookingStatus } from "@prisma/client";
import { db } from "~/lib/db.server";
import { unauthenticated } from "~/lib/errors";
import type { IcsEvent } from "~/lib/ics";
import type { Actor } from "../accounts/actor";
import { bookingSelect, getBooking, toBookingView } from "./booking-rows.server";
import { HELD_STATUSES } from "./venues.schema";

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
