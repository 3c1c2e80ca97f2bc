import { BUSY_TRANSACTION, db } from "~/lib/db.server";
import { conflict, validationError } from "~/lib/errors";
import type { z } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { recordEvent } from "../outbox.server";
import { authorize } from "../policy";
import { move, when } from "./booking-moves.server";
import { loadBooking, toBookingView } from "./booking-rows.server";
import {
  type attendanceSchema,
  BOOKING_STATUS_LABELS,
  type declineBookingSchema,
  myBookingLink,
} from "./venues.schema";
import { venuePath } from "./venues.server";

// The staff's answers to bookings (预约审核, issue 19): confirm or decline a request, and record how
// many came once it has begun. Staff whose scope covers the venue only (booking.review).

export async function confirmBooking(actor: Actor, id: string) {
  const row = await loadBooking(id);
  authorize(actor, "booking.review", venuePath(row.venue));
  const moved = await db().$transaction(async (tx) => {
    const next = await move(tx, id, ["REQUESTED"], "CONFIRMED", {
      decidedById: actor.userId,
      decidedAt: new Date(),
      answerBy: null,
    });
    if (!next) return null;
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "booking.confirm",
      targetType: "Booking",
      targetId: id,
    });
    if (next.bookerId) {
      await notify(tx, {
        userIds: [next.bookerId],
        kind: "booking.confirmed",
        title: "阵地预约已确认",
        body: `您预约的${when(next)}已确认，请按时前往。`,
        link: myBookingLink(id),
        dedupeKey: `booking.confirmed:${id}`,
      });
    }
    return next;
  }, BUSY_TRANSACTION);
  if (!moved) throw conflict(`只有“待审核”的预约可以确认（当前：${BOOKING_STATUS_LABELS[row.status]}）`);
  return { booking: toBookingView(actor, moved) };
}

export async function declineBooking(actor: Actor, id: string, input: z.output<typeof declineBookingSchema>) {
  const row = await loadBooking(id);
  authorize(actor, "booking.review", venuePath(row.venue));
  const moved = await db().$transaction(async (tx) => {
    const next = await move(tx, id, ["REQUESTED"], "DECLINED", {
      decidedById: actor.userId,
      decidedAt: new Date(),
      answerBy: null,
      reason: input.reason,
    });
    if (!next) return null;
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "booking.decline",
      targetType: "Booking",
      targetId: id,
    });
    if (next.bookerId) {
      await notify(tx, {
        userIds: [next.bookerId],
        kind: "booking.declined",
        title: "阵地预约未通过",
        body: `您预约的${when(next)}未通过审核。原因：${input.reason}`,
        link: myBookingLink(id),
        dedupeKey: `booking.declined:${id}`,
      });
    }
    return next;
  }, BUSY_TRANSACTION);
  if (!moved) throw conflict(`只有“待审核”的预约可以不通过（当前：${BOOKING_STATUS_LABELS[row.status]}）`);
  return { booking: toBookingView(actor, moved) };
}

/** After the start, staff record how many came (到场人数): the booking is COMPLETED and counted. */
export async function recordAttendance(
  actor: Actor,
  id: string,
  input: z.output<typeof attendanceSchema>,
  now = new Date(),
) {
  const row = await loadBooking(id);
  authorize(actor, "booking.review", venuePath(row.venue));
  if (row.startsAt > now) throw validationError({ attended: "预约开始后才能登记到场人数" });
  const moved = await db().$transaction(async (tx) => {
    // A completed booking's count may be corrected: the day is recounted either way.
    const next = await move(tx, id, ["CONFIRMED", "COMPLETED"], "COMPLETED", { attended: input.attended });
    if (!next) return null;
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "booking.attendance",
      targetType: "Booking",
      targetId: id,
      data: { attended: input.attended, before: row.attended },
    });
    await recordEvent(tx, "booking.attendance", "Booking", id, next.version);
    return next;
  }, BUSY_TRANSACTION);
  if (!moved)
    throw conflict(`只有“已确认”的预约可以登记到场人数（当前：${BOOKING_STATUS_LABELS[row.status]}）`);
  return { booking: toBookingView(actor, moved) };
}
