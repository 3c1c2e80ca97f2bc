import type { Prisma } from "@prisma/client";
import { chinaMidnight, DAY_MS } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { notFound } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import { ID_PATTERN, type z } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { can, coveredScope } from "../policy";
import { reachableTerritory } from "../territory/territory.server";
import { BOOKING_STATUS_LABELS, type bookingListQuerySchema } from "./venues.schema";
import { venuePath } from "./venues.server";

// Reading bookings of venues (issue 19): one booking as its reader may see it, and the lists of the
// API and the staff pages. Booking is in booking-requests.server.ts, the staff's answers in
// booking-review.server.ts, cancelling in booking-cancel.server.ts, closures in
// venue-closures.server.ts.

export const bookingSelect = {
  id: true,
  venueId: true,
  kind: true,
  status: true,
  channel: true,
  startsAt: true,
  endsAt: true,
  seriesId: true,
  bookerId: true,
  groupName: true,
  expectedPersons: true,
  contactName: true,
  contactPhone: true,
  purpose: true,
  menuItemIds: true,
  answerBy: true,
  reason: true,
  attended: true,
  version: true,
  createdAt: true,
  venue: {
    select: {
      name: true,
      address: true,
      subdistrictId: true,
      communityId: true,
      subdistrict: { select: { districtId: true } },
    },
  },
} satisfies Prisma.BookingSelect;
export type BookingRow = Prisma.BookingGetPayload<{ select: typeof bookingSelect }>;

/** A booking as its reader may see it: the phone in full only for its booker and staff in scope. */
export function toBookingView(actor: Actor | null, row: BookingRow) {
  const path = venuePath(row.venue);
  const fullContact = can(actor, "booking.viewContact", { bookerId: row.bookerId, venuePath: path });
  return {
    id: row.id,
    venueId: row.venueId,
    venueName: row.venue.name,
    venueAddress: row.venue.address,
    kind: row.kind,
    status: row.status,
    statusLabel: BOOKING_STATUS_LABELS[row.status],
    channel: row.channel,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    seriesId: row.seriesId,
    groupName: row.groupName,
    expectedPersons: row.expectedPersons,
    contactName: row.contactName,
    contactPhone: fullContact ? row.contactPhone : maskPhone(row.contactPhone),
    purpose: row.purpose,
    menuItemIds: row.menuItemIds,
    answerBy: row.answerBy?.toISOString() ?? null,
    reason: row.reason,
    attended: row.attended,
    mine: actor !== null && row.bookerId === actor.userId,
    createdAt: row.createdAt.toISOString(),
  };
}
export type BookingView = ReturnType<typeof toBookingView>;

const NOT_FOUND = "该预约不存在";

async function findBookingRow(id: string) {
  if (!ID_PATTERN.test(id)) return null;
  const row = await db().booking.findUnique({ where: { id }, select: bookingSelect });
  return row?.kind === "BOOKING" ? row : null;
}

export async function loadBooking(id: string) {
  const row = await findBookingRow(id);
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

/** A booking as the actor sees it, if they may (its booker, staff in scope), else null: for pages
 * whose address names a booking, e.g. to say what was just done to it. */
export async function visibleBooking(actor: Actor, id: string) {
  const row = await findBookingRow(id);
  if (!row) return null;
  if (row.bookerId !== actor.userId && !can(actor, "booking.review", venuePath(row.venue))) return null;
  return toBookingView(actor, row);
}

/** GET /api/v1/bookings/:id: for its booker and staff in scope; others get the 404 of an unknown id. */
export async function getBooking(actor: Actor, id: string) {
  const booking = await visibleBooking(actor, id);
  if (!booking) throw notFound(NOT_FOUND);
  return { booking };
}

/** The venues whose bookings the actor works: admins every venue of the subdistricts they reach,
 * community workers their communities' venues (the same reach as `booking.review`). */
export async function reviewableVenueFilter(actor: Actor): Promise<Prisma.VenueWhereInput | null> {
  const scope = coveredScope(actor);
  if (!scope.districtIds.length && !scope.subdistrictIds.length && !scope.communityIds.length) return null;
  const reach = await reachableTerritory(actor);
  return {
    OR: [{ subdistrictId: { in: reach.subdistrictIds } }, { communityId: { in: reach.communityIds } }],
  };
}

/** GET /api/v1/bookings: the booker's own; staff also every booking of the venues they reach. */
export async function listBookings(actor: Actor, query: z.output<typeof bookingListQuerySchema>) {
  const staffVenues = await reviewableVenueFilter(actor);
  const where: Prisma.BookingWhereInput = {
    kind: "BOOKING",
    OR: [{ bookerId: actor.userId }, ...(staffVenues ? [{ venue: staffVenues }] : [])],
    ...(query.venueId ? { venueId: query.venueId } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.from || query.to
      ? {
          startsAt: {
            ...(query.from ? { gte: chinaMidnight(query.from) } : {}),
            ...(query.to ? { lt: chinaMidnight(new Date(query.to.getTime() + DAY_MS)) } : {}),
          },
        }
      : {}),
  };
  const [total, rows] = await Promise.all([
    db().booking.count({ where }),
    db().booking.findMany({
      where,
      select: bookingSelect,
      // The queue of requests is worked oldest first; other lists by time.
      orderBy:
        query.status === "REQUESTED"
          ? [{ createdAt: "asc" }, { id: "asc" }]
          : [{ startsAt: "asc" }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return {
    items: rows.map((row) => toBookingView(actor, row)),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
