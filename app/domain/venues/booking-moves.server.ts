import type { BookingStatus, Prisma } from "@prisma/client";
import type { Tx } from "~/lib/db.server";
import { formatTime } from "~/lib/format";
import { recordEvent } from "../outbox.server";
import { bookingSelect } from "./booking-rows.server";

// What every write of bookings shares (issue 19): telling the exclusion constraint's refusal and a
// deadlock apart from other failures, and moving a booking from one status to the next. Held time
// (REQUESTED, CONFIRMED, closures) never overlaps: the exclusion constraint of the venues migration
// decides it inside PostgreSQL, and a violation becomes 409 SLOT_TAKEN. Nothing reads first to check:
// a read-then-write check is the race it prevents.

/** Whether a failed write carries one of the SQLSTATEs, or text matching `text`. Prisma wraps the
 * driver's error; the code sits somewhere along its chain or in its message. */
function hasSqlState(error: unknown, codes: string[], text: RegExp): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth += 1) {
    for (const key of ["code", "originalCode"]) {
      const code = Reflect.get(current, key);
      if (typeof code === "string" && codes.includes(code)) return true;
    }
    const message = Reflect.get(current, "message");
    if (typeof message === "string" && text.test(message)) return true;
    const meta = Reflect.get(current, "meta");
    current =
      (typeof meta === "object" && meta !== null ? Reflect.get(meta, "driverAdapterError") : undefined) ??
      Reflect.get(current, "cause");
  }
  return false;
}

/** The exclusion constraint (SQLSTATE 23P01) refused overlapping time. */
export const isOverlap = (error: unknown) =>
  hasSqlState(error, ["23P01"], /23P01|Booking_no_overlap|exclusion constraint/);

/** Concurrent inserts into one exclusion constraint wait for each other and can deadlock (40P01):
 * PostgreSQL aborts one, which then tries again and meets the winner's row. */
const isDeadlock = (error: unknown) => hasSqlState(error, ["40P01"], /40P01|deadlock detected/);

/** Runs a write that may deadlock against concurrent writers of the same venue, a few times. */
export async function retryingDeadlocks<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 5 || !isDeadlock(error)) throw error;
    }
  }
}

/** Moves a booking from one of `from` to `to` (the row decides: a concurrent move makes this one
 * fail), bumps its version and announces it, so its scheduled jobs see they are stale. */
export async function move(
  tx: Tx,
  id: string,
  from: BookingStatus[],
  to: BookingStatus,
  data: Prisma.BookingUpdateManyMutationInput = {},
) {
  const { count } = await tx.booking.updateMany({
    where: { id, status: { in: from } },
    data: { ...data, status: to, version: { increment: 1 } },
  });
  if (count === 0) return null;
  const row = await tx.booking.findUniqueOrThrow({ where: { id }, select: bookingSelect });
  await recordEvent(tx, "booking.scheduled", "Booking", id, row.version);
  return row;
}

/** A booking named for its holder: the venue and the start. */
export const when = (row: { startsAt: Date; venue: { name: string } }) =>
  `“${row.venue.name}” ${formatTime(row.startsAt)}`;
