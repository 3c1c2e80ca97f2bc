import type { Tx } from "~/lib/db.server";
import { DELETED_PHONE_PREFIX } from "~/lib/masking";
import { recordEvent } from "../outbox.server";
import { BOOKING_STATUS_LABELS, HELD_STATUSES } from "./venues.schema";

// A person's bookings in their data export and at account deletion (ADR 0013, issue 19).

const ERASED = "（已注销）";

/** At account deletion: bookings still to come are cancelled (their time freed), and every booking's
 * contact details and free text are erased. The rows stay, so batches and persons stay counted. */
export async function eraseBookingsOf(tx: Tx, userId: string, now: Date) {
  const upcoming = await tx.booking.findMany({
    where: { bookerId: userId, status: { in: [...HELD_STATUSES] }, startsAt: { gt: now } },
    select: { id: true },
  });
  for (const { id } of upcoming) {
    const row = await tx.booking.update({
      where: { id },
      data: { status: "CANCELLED", reason: "预约人已注销账号", version: { increment: 1 } },
      select: { version: true },
    });
    await recordEvent(tx, "booking.scheduled", "Booking", id, row.version);
  }
  const { count } = await tx.booking.updateMany({
    where: { bookerId: userId },
    data: { contactName: ERASED, contactPhone: DELETED_PHONE_PREFIX, purpose: ERASED },
  });
  return { bookingsCancelled: upcoming.length, bookingsAnonymised: count };
}

/** The person's own bookings, for 下载我的数据. */
export async function bookingsForExport(tx: Tx, userId: string) {
  const rows = await tx.booking.findMany({
    where: { bookerId: userId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      status: true,
      channel: true,
      startsAt: true,
      endsAt: true,
      groupName: true,
      expectedPersons: true,
      contactName: true,
      contactPhone: true,
      purpose: true,
      reason: true,
      attended: true,
      createdAt: true,
      venue: { select: { id: true, name: true, address: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    venue: row.venue,
    status: row.status,
    statusLabel: BOOKING_STATUS_LABELS[row.status],
    channel: row.channel,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    groupName: row.groupName,
    expectedPersons: row.expectedPersons,
    contactName: row.contactName,
    contactPhone: row.contactPhone,
    purpose: row.purpose,
    reason: row.reason,
    attended: row.attended,
    createdAt: row.createdAt.toISOString(),
  }));
}
