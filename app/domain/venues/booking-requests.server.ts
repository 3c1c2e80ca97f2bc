import { randomUUID } from "node:crypto";
import type { BookingStatus } from "@prisma/client";
import { BUSY_TRANSACTION, db, type Tx } from "~/lib/db.server";
import { DomainError, forbidden, slotTaken, validationError } from "~/lib/errors";
import { formatTime } from "~/lib/format";
import type { Actor } from "../accounts/actor";
import { assertUnderLimit, countAgainstLimit, LIMITS } from "../accounts/throttle.server";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { recordEvent } from "../outbox.server";
import { can } from "../policy";
import { isOverlap, retryingDeadlocks } from "./booking-moves.server";
import { type BookingRow, bookingSelect, toBookingView } from "./booking-rows.server";
import { type Occurrence, occurrencesOf } from "./booking-series";
import { bookingRuleErrors, type CreateBookingInput, STAFF_CHANNELS } from "./venues.schema";
import { loadVenue, rulesOf, type VenueRow, venuePath } from "./venues.server";

// Booking a venue (issue 19): one booking, or a weekly series whose dates are each booked or listed
// back with the reason. Overlaps are the exclusion constraint's to refuse (booking-moves.server.ts).

/** The staff told about a new request: the venue community's workers, or its subdistrict's admins. */
async function venueStaffIds(tx: Tx, venue: { subdistrictId: string; communityId: string | null }) {
  if (venue.communityId) {
    const workers = await tx.roleAssignment.findMany({
      where: { role: "COMMUNITY_WORKER", scopeId: venue.communityId },
      select: { userId: true },
    });
    if (workers.length) return workers.map((w) => w.userId);
  }
  const admins = await tx.roleAssignment.findMany({
    where: { role: "SUBDISTRICT_ADMIN", scopeId: venue.subdistrictId },
    select: { userId: true },
  });
  return admins.map((a) => a.userId);
}

/** POST /api/v1/bookings and the 预约 form: one booking, or a series whose free dates are booked and
 * whose other dates come back with the reason, never silently dropped. */
export async function createBooking(actor: Actor, input: CreateBookingInput, now = new Date()) {
  const venue = await loadVenue(input.venueId).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === "NOT_FOUND")
      throw validationError({ venueId: "该阵地不存在" });
    throw error;
  });
  const path = venuePath(venue);
  const channel = input.channel ?? "WEB";
  const onBehalf = STAFF_CHANNELS.includes(channel);
  if (onBehalf && !can(actor, "booking.enterOnBehalf", path)) {
    throw forbidden("电话和纸质登记的预约只能由该阵地的工作人员代为登记");
  }
  // Staff in scope are the ones who would approve: what they enter holds at once, and the front
  // desk is not throttled; anyone else's requests are, as they hold time and notify the staff.
  const atTheDesk = can(actor, "booking.review", path);
  if (!atTheDesk) await assertUnderLimit(LIMITS.bookingPerUser, actor.userId);
  const rules = rulesOf(venue);
  const errors = bookingRuleErrors(rules, input, now);
  if (Object.keys(errors).length) throw validationError(errors);

  const dates = occurrencesOf(input);
  const seriesId = dates.length > 1 ? randomUUID() : null;
  const status: BookingStatus = venue.approval === "AUTO" || atTheDesk ? "CONFIRMED" : "REQUESTED";
  const booked: BookingRow[] = [];
  const conflicts: { startsAt: string; endsAt: string; reason: string }[] = [];
  for (const [index, date] of dates.entries()) {
    if (index > 0) {
      const later = bookingRuleErrors(rules, { ...input, ...date }, now, { checkFarEnd: false });
      const reason = later.startsAt ?? later.expectedPersons;
      if (reason) {
        conflicts.push({ startsAt: date.startsAt.toISOString(), endsAt: date.endsAt.toISOString(), reason });
        continue;
      }
    }
    try {
      booked.push(
        await retryingDeadlocks(() =>
          insertBooking(actor, venue, input, date, { status, channel, seriesId, onBehalf, now }),
        ),
      );
    } catch (error) {
      if (!isOverlap(error)) throw error;
      conflicts.push({
        startsAt: date.startsAt.toISOString(),
        endsAt: date.endsAt.toISOString(),
        reason: "该时段已被预约或暂停开放",
      });
    }
  }
  const [first] = booked;
  if (!first) {
    if (dates.length === 1) throw slotTaken();
    throw slotTaken("所选的日期都已被预约或不可预约，请换一个时间");
  }
  if (!atTheDesk) await countAgainstLimit(LIMITS.bookingPerUser, actor.userId);
  return {
    booking: toBookingView(actor, first),
    ...(seriesId
      ? { series: { seriesId, booked: booked.map((row) => toBookingView(actor, row)), conflicts } }
      : {}),
  };
}

async function insertBooking(
  actor: Actor,
  venue: VenueRow,
  input: CreateBookingInput,
  date: Occurrence,
  options: {
    status: BookingStatus;
    channel: CreateBookingInput["channel"] & string;
    seriesId: string | null;
    onBehalf: boolean;
    now: Date;
  },
) {
  const answerBy =
    options.status === "REQUESTED"
      ? new Date(Math.min(options.now.getTime() + venue.answerHours * 3600_000, date.startsAt.getTime()))
      : null;
  return db().$transaction(async (tx) => {
    const row = await tx.booking.create({
      data: {
        venueId: venue.id,
        kind: "BOOKING",
        status: options.status,
        channel: options.channel,
        startsAt: date.startsAt,
        endsAt: date.endsAt,
        seriesId: options.seriesId,
        // A 代订 is for a group without an account: nobody signs in as its booker.
        bookerId: options.onBehalf ? null : actor.userId,
        createdById: actor.userId,
        groupName: input.groupName,
        expectedPersons: input.expectedPersons,
        contactName: input.contactName,
        contactPhone: input.contactPhone,
        purpose: input.purpose,
        menuItemIds: input.menuItemIds ?? [],
        answerBy,
      },
      select: bookingSelect,
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "booking.create",
      targetType: "Booking",
      targetId: row.id,
      data: { venueId: venue.id, status: row.status, channel: options.channel, seriesId: options.seriesId },
    });
    await recordEvent(tx, "booking.scheduled", "Booking", row.id, row.version);
    if (row.status === "REQUESTED") {
      await notify(tx, {
        userIds: await venueStaffIds(tx, venue),
        kind: "booking.requested",
        title: "有新的阵地预约待审核",
        body: `“${venue.name}” ${formatTime(date.startsAt)} 有一条预约申请，请在工作台“预约审核”处理。`,
        link: "/workbench/bookings",
        dedupeKey: `booking.requested:${row.id}`,
      });
    }
    return row;
  }, BUSY_TRANSACTION);
}
