import { BUSY_TRANSACTION, db } from "~/lib/db.server";
import { slotTaken } from "~/lib/errors";
import type { z } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { authorize } from "../policy";
import { isOverlap, move, when } from "./booking-moves.server";
import { type closureSchema, HELD_STATUSES, myBookingLink } from "./venues.schema";
import { loadVenue, venuePath } from "./venues.server";

// 暂停开放 (issue 19): staff close a venue for a time, and the bookings it overlaps are cancelled.

/** Staff close a venue for a time: the held bookings it overlaps are cancelled and their holders
 * told, in the same transaction as the closure, which the constraint then keeps exclusive. */
export async function closeVenue(actor: Actor, venueId: string, input: z.output<typeof closureSchema>) {
  const venue = await loadVenue(venueId);
  authorize(actor, "venue.manage", venuePath(venue));
  // A booking slipping in between the cancelling and the insert makes the insert fail; try again.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await db().$transaction(async (tx) => {
        const overlapping = await tx.booking.findMany({
          where: {
            venueId,
            kind: "BOOKING",
            status: { in: [...HELD_STATUSES] },
            startsAt: { lt: input.endsAt },
            endsAt: { gt: input.startsAt },
          },
          select: { id: true },
        });
        const reason = `阵地暂停开放：${input.reason}`;
        for (const { id } of overlapping) {
          const next = await move(tx, id, [...HELD_STATUSES], "CANCELLED", { reason });
          if (!next) continue;
          await recordAudit(tx, {
            actorId: actor.userId,
            action: "booking.cancelByClosure",
            targetType: "Booking",
            targetId: id,
          });
          if (next.bookerId) {
            await notify(tx, {
              userIds: [next.bookerId],
              kind: "booking.closure",
              title: "阵地暂停开放，您的预约已取消",
              body: `您预约的${when(next)}因阵地暂停开放（${input.reason}）已取消，给您带来不便，敬请谅解。`,
              link: myBookingLink(id),
              dedupeKey: `booking.closure:${id}`,
            });
          }
        }
        const closure = await tx.booking.create({
          data: {
            venueId,
            kind: "CLOSURE",
            status: "CONFIRMED",
            startsAt: input.startsAt,
            endsAt: input.endsAt,
            createdById: actor.userId,
            groupName: "暂停开放",
            expectedPersons: 0,
            contactName: "",
            contactPhone: "",
            purpose: input.reason,
            reason: input.reason,
          },
          select: { id: true, startsAt: true, endsAt: true, reason: true },
        });
        await recordAudit(tx, {
          actorId: actor.userId,
          action: "venue.close",
          targetType: "Venue",
          targetId: venueId,
          data: { closureId: closure.id, cancelled: overlapping.length },
        });
        return {
          closure: {
            id: closure.id,
            startsAt: closure.startsAt.toISOString(),
            endsAt: closure.endsAt.toISOString(),
            reason: closure.reason,
          },
          cancelled: overlapping.length,
        };
      }, BUSY_TRANSACTION);
    } catch (error) {
      if (!isOverlap(error)) throw error;
      if (attempt >= 2) throw slotTaken("与已有的暂停开放时段重叠");
    }
  }
}
