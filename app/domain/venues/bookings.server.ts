import { randomUUID } from "node:crypto";
import type { BookingStatus, Prisma } from "@prisma/client";
import { chinaMidnight, DAY_MS } from "~/lib/china-time";
import { BUSY_TRANSACTION, db, type Tx } from "~/lib/db.server";
import { conflict, DomainError, forbidden, notFound, slotTaken, validationError } from "~/lib/errors";
import { formatTime } from "~/lib/format";
import { maskPhone } from "~/lib/masking";
import { ID_PATTERN, type z } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { recordEvent } from "../outbox.server";
import { authorize, can, coveredScope } from "../policy";
import { reachableTerritory } from "../territory/territory.server";
import {
  type attendanceSchema,
  BOOKING_STATUS_LABELS,
  type bookingListQuerySchema,
  bookingRuleErrors,
  type CreateBookingInput,
  type cancelBookingSchema,
  type closureSchema,
  type declineBookingSchema,
  HELD_STATUSES,
  MAX_SERIES_DAYS,
  myBookingLink,
  STAFF_CHANNELS,
} from "./venues.schema";
import { loadVenue, rulesOf, type VenueRow, venuePath } from "./venues.server";

// Bookings of venues (issue 19). Held time (REQUESTED, CONFIRMED, closures) never overlaps: the
// exclusion constraint of the venues migration decides it inside PostgreSQL, and a violation becomes
// 409 SLOT_TAKEN here. Nothing reads first to check: a read-then-write check is the race it prevents.

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
type BookingRow = Prisma.BookingGetPayload<{ select: typeof bookingSelect }>;

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

async function loadBooking(id: string) {
  if (!ID_PATTERN.test(id)) throw notFound("该预约不存在");
  const row = await db().booking.findUnique({ where: { id }, select: bookingSelect });
  if (row?.kind !== "BOOKING") throw notFound("该预约不存在");
  return row;
}

export async function getBooking(actor: Actor, id: string) {
  const row = await loadBooking(id);
  const path = venuePath(row.venue);
  if (row.bookerId !== actor.userId && !can(actor, "booking.review", path)) throw notFound("该预约不存在");
  return { booking: toBookingView(actor, row) };
}

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
async function retryingDeadlocks<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 5 || !isDeadlock(error)) throw error;
    }
  }
}

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

type Occurrence = { startsAt: Date; endsAt: Date };

/** The dates of a series: the first, then every week or two up to the last day asked (China date),
 * at most six months after the first. China keeps one offset all year, so a week is 7 × 24 h. */
function occurrencesOf(input: CreateBookingInput): Occurrence[] {
  const first = { startsAt: input.startsAt, endsAt: input.endsAt };
  if (!input.repeat || !input.repeatUntil) return [first];
  const step = (input.repeat === "WEEKLY" ? 7 : 14) * DAY_MS;
  const lastMoment = Math.min(
    chinaMidnight(input.repeatUntil).getTime() + DAY_MS,
    input.startsAt.getTime() + MAX_SERIES_DAYS * DAY_MS,
  );
  const dates: Occurrence[] = [];
  for (let k = 0; input.startsAt.getTime() + k * step < lastMoment; k += 1) {
    dates.push({
      startsAt: new Date(input.startsAt.getTime() + k * step),
      endsAt: new Date(input.endsAt.getTime() + k * step),
    });
  }
  return dates;
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
  const rules = rulesOf(venue);
  const errors = bookingRuleErrors(rules, input, now);
  if (Object.keys(errors).length) throw validationError(errors);

  const dates = occurrencesOf(input);
  const seriesId = dates.length > 1 ? randomUUID() : null;
  // Staff in scope are the ones who would approve: what they enter holds at once.
  const status: BookingStatus =
    venue.approval === "AUTO" || can(actor, "booking.review", path) ? "CONFIRMED" : "REQUESTED";
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

/** Moves a booking from one of `from` to `to` (the row decides: a concurrent move makes this one
 * fail), bumps its version and announces it, so its scheduled jobs see they are stale. */
async function move(
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

const when = (row: { startsAt: Date; venue: { name: string } }) =>
  `“${row.venue.name}” ${formatTime(row.startsAt)}`;

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

/** Cancel a booking, or (rest) it and the later dates of its series. Only time not yet begun. */
export async function cancelBooking(
  actor: Actor,
  id: string,
  input: z.output<typeof cancelBookingSchema>,
  now = new Date(),
) {
  const row = await loadBooking(id);
  authorize(actor, "booking.cancel", { bookerId: row.bookerId, venuePath: venuePath(row.venue) });
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

/** The venues whose bookings the actor works: admins every venue of the subdistricts they reach,
 * community workers their communities' venues (the same reach as `booking.review`). */
async function reviewableVenueFilter(actor: Actor): Promise<Prisma.VenueWhereInput | null> {
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
