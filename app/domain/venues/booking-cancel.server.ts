import { BUSY_TRANSACTION, db } from "~/lib/db.server";
import { conflict } from "~/lib/errors";
import type { z } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { authorize } from "../policy";
import { move, when } from "./booking-moves.server";
import { loadBooking, toBookingView } from "./booking-rows.server";
import {
  BOOKING_STATUS_LABELS,
  type cancelBookingSchema,
  HELD_STATUSES,
  myBookingLink,
} from "./venues.schema";
import { venuePath } from "./venues.server";

// Cancelling a booking (issue 19): its booker, or staff whose scope covers the venue.

/** Cancel a booking, or (rest) it and the later dates of its series. Only time not yet begun. Its
 * booker or staff in scope may cancel; when staff cancel someone else's time the holder (when the
 * booking has one: a 代订 has only a contact to phone) is told, with the reason when one is given
 * (阵地管理 always asks for one; API.md's cancel takes no body, so the API cannot insist). */
export async function cancelBooking(
  actor: Actor,
  id: string,
  input: z.output<typeof cancelBookingSchema>,
  now = new Date(),
) {
  const row = await loadBooking(id);
  authorize(actor, "booking.cancel", { bookerId: row.bookerId, venuePath: venuePath(row.venue) });
  const byBooker = row.bookerId === actor.userId;
  if (!(HELD_STATUSES as readonly string[]).includes(row.status)) {
    throw conflict(`该预约${BOOKING_STATUS_LABELS[row.status]}，不能取消`);
  }
  if (row.startsAt <= now) throw conflict("预约已开始，不能取消");
  const ids =
    input.rest && row.seriesId
      ? (
          await db().booking.findMany({
            where: {
              seriesId: row.seriesId,
              startsAt: { gte: row.startsAt },
              status: { in: [...HELD_STATUSES] },
              // Another booker's rows cannot share a series; the filter keeps it so.
              bookerId: row.bookerId,
            },
            select: { id: true },
          })
        ).map((r) => r.id)
      : [id];
  const cancelled = await db().$transaction(async (tx) => {
    let count = 0;
    for (const bookingId of ids) {
      const next = await move(tx, bookingId, [...HELD_STATUSES], "CANCELLED", {
        reason: input.reason ?? null,
      });
      if (!next) continue;
      count += 1;
      await recordAudit(tx, {
        actorId: actor.userId,
        action: "booking.cancel",
        targetType: "Booking",
        targetId: bookingId,
        data: { by: byBooker ? "booker" : "staff", reason: input.reason ?? null },
      });
      if (next.bookerId && next.bookerId !== actor.userId) {
        await notify(tx, {
          userIds: [next.bookerId],
          kind: "booking.cancelled",
          title: "阵地预约已取消",
          body: `您预约的${when(next)}已被工作人员取消。${input.reason ? `原因：${input.reason}` : ""}`,
          link: myBookingLink(bookingId),
          dedupeKey: `booking.cancelled:${bookingId}`,
        });
      }
    }
    return count;
  }, BUSY_TRANSACTION);
  return { booking: toBookingView(actor, await loadBooking(id)), cancelled };
}
