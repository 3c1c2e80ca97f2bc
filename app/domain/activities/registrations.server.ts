import { randomInt } from "node:crypto";
import { Prisma, type Registration } from "@prisma/client";
import QRCode from "qrcode";
import { db, type Tx } from "~/lib/db.server";
import { conflict, DomainError, notFound, validationError } from "~/lib/errors";
import { newId } from "~/lib/ids.server";
import { maskPhone } from "~/lib/masking";
import type { Paging } from "~/lib/paging";
import { type Actor, residentCommunities } from "../accounts/actor";
import { LIMITS, spendAttempt } from "../accounts/throttle.server";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { recordEvent } from "../outbox.server";
import { authorize, can } from "../policy";
import { placeOf } from "../territory/places";
import { findCommunityPath } from "../territory/territory.server";
import {
  type ActivityCounts,
  type AttendanceCorrectionInput,
  CHECK_IN_OPENS_BEFORE_MS,
  type DeskRow,
  REGISTRATION_STATUS_LABELS,
  type RegistrationView,
  WALK_INS_PER_SEAT,
  walkInsCeiling,
} from "./activities.schema";
import {
  type ActivityRow,
  activitySelect,
  attendanceLocked,
  loadActivity,
  organiserOf,
  publicActivity,
} from "./activities.server";

// Registration (报名), the waitlist, check-in (签到) and walk-ins. Seats are claimed from the activity's
// seat counter (ActivitySeats, ADR 0019) by one statement, so N parallel registrations for C seats give
// exactly min(N, C) seats and the rest wait in the order they claimed their place; a freed seat goes
// to the first person on the waitlist, who is told.

export async function countsOf(activityId: string, walkIns: number): Promise<ActivityCounts> {
  // One pass over the activity's registrations, on every view of its page.
  const [row] = await db().$queryRaw<{ registered: number; waitlisted: number; checkedIn: number }[]>`
    SELECT count(*) FILTER (WHERE status = 'REGISTERED')::int AS registered,
      count(*) FILTER (WHERE status = 'WAITLISTED')::int AS waitlisted,
      count(*) FILTER (WHERE status = 'REGISTERED' AND "checkedInAt" IS NOT NULL)::int AS "checkedIn"
    FROM "Registration" WHERE "activityId" = ${activityId}`;
  const checkedIn = row?.checkedIn ?? 0;
  return {
    registered: row?.registered ?? 0,
    waitlisted: row?.waitlisted ?? 0,
    checkedIn,
    walkIns,
    personTimes: checkedIn + walkIns,
  };
}

export const registrationOf = (activityId: string, userId: string) =>
  db().registration.findUnique({ where: { activityId_userId: { activityId, userId } } });

/** What a registration's view is made from (the claiming statement returns exactly this). */
type RegistrationFacts = Pick<
  Registration,
  "id" | "activityId" | "status" | "checkInCode" | "checkedInAt" | "place" | "queuedAt" | "createdAt"
>;

/** The waitlist's order: by place, then (rows without one) by queuedAt, then by id. */
const WAITLIST_ORDER = [{ place: "asc" }, { queuedAt: "asc" }, { id: "asc" }] as const;

export async function toRegistrationView(row: RegistrationFacts): Promise<RegistrationView> {
  const waitlistPosition =
    row.status === "WAITLISTED"
      ? (await db().registration.count({
          where: {
            activityId: row.activityId,
            status: "WAITLISTED",
            OR: [{ place: { lt: row.place } }, { place: row.place, queuedAt: { lt: row.queuedAt } }],
          },
        })) + 1
      : null;
  return {
    id: row.id,
    activityId: row.activityId,
    status: row.status,
    statusLabel: REGISTRATION_STATUS_LABELS[row.status],
    checkInCode: row.status === "REGISTERED" ? row.checkInCode : null,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
    waitlistPosition,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Cancellations and check-ins for one activity take turns on its lock: when many arrive at once, each
 * waits its turn for a connection and the lock rather than failing. */
const BUSY_ACTIVITY = { maxWait: 20_000, timeout: 20_000 };

/** Locks the activity for the rest of the transaction and reads it afresh. NO KEY UPDATE: a
 * registration's insert takes KEY SHARE on its activity (the foreign key) while it holds the seat
 * counter, which the holder of this lock may wait for next; FOR UPDATE would deadlock with it. */
async function lockActivity(tx: Tx, id: string): Promise<ActivityRow> {
  await tx.$queryRaw`SELECT id FROM "Activity" WHERE id = ${id} FOR NO KEY UPDATE`;
  return loadActivity(id, tx);
}

/** A random six-digit check-in code; the unique index on (activity, code) refuses one in use, and the
 * registration is tried again with another. */
const randomCheckInCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");
/** Tries before giving up on finding a free code: each collides with probability (registrations ÷ 10⁶). */
const CODE_ATTEMPTS = 8;

/** 报名 in one statement, run on its own (autocommit): it claims a place from the activity's counter,
 * a seat while taken < capacity, else a waitlist place, numbered in claiming order; writes or reopens
 * the person's registration with it; and writes the audit entry. The counter's row stays locked only
 * while PostgreSQL runs the statement and commits, never across a round trip to the app (ADR 0019).
 * A second open registration of the person raises the unique violation of (activity, user), and a
 * check-in code in use that of (activity, code): either rolls the claim back with the rest.
 * Parameters: $1 activity, $2 user, $3 new registration id, $4 check-in code, $5 who registered them
 * (代办) or null, $6 audit id, $7 actor, $8 audit action, $9 extra audit data (jsonb). Exported for
 * the benchmark, which drives the same statement straight through pg. */
export const CLAIM_PLACE_SQL = `
WITH claim AS (
  UPDATE "ActivitySeats"
  SET "taken" = "taken" + ("taken" < "capacity")::int,
    "lastPlace" = "lastPlace" + 1,
    "lastSeatPlace" = CASE WHEN "taken" < "capacity" THEN "lastPlace" + 1 ELSE "lastSeatPlace" END
  WHERE "activityId" = $1::text AND "open"
  RETURNING "lastPlace" AS place,
    (CASE WHEN "lastSeatPlace" = "lastPlace" THEN 'REGISTERED' ELSE 'WAITLISTED' END)::"RegistrationStatus" AS status
), saved AS (
  INSERT INTO "Registration" (id, "activityId", "userId", status, "checkInCode", "registeredById", place,
    "queuedAt", "createdAt", "updatedAt")
  SELECT $3::text, $1::text, $2::text, claim.status, $4::text, $5::text, claim.place, now(), now(), now()
  FROM claim
  ON CONFLICT ("activityId", "userId") DO UPDATE SET status = EXCLUDED.status, place = EXCLUDED.place,
    "queuedAt" = EXCLUDED."queuedAt", "registeredById" = EXCLUDED."registeredById", "cancelledAt" = NULL,
    "promotedAt" = NULL, "checkedInAt" = NULL, "updatedAt" = EXCLUDED."updatedAt"
  WHERE CASE WHEN "Registration".status = 'CANCELLED' THEN true ELSE registration_already_open() END
  RETURNING id, "activityId", status, "checkInCode", "checkedInAt", place, "queuedAt", "createdAt"
), audited AS (
  INSERT INTO "AuditLog" (id, "actorId", action, "targetType", "targetId", data, "createdAt")
  SELECT $6::text, $7::text, $8::text, 'Registration', saved.id,
    jsonb_build_object('activityId', saved."activityId", 'status', saved.status) || $9::jsonb, now()
  FROM saved
)
SELECT * FROM saved`;

/** The claiming statement's parameters, in CLAIM_PLACE_SQL's order. */
export function claimPlaceParams(
  actor: Pick<Actor, "userId">,
  activityId: string,
  who: { userId: string; onBehalf: boolean },
) {
  return [
    activityId,
    who.userId,
    newId(),
    randomCheckInCode(),
    who.onBehalf ? actor.userId : null,
    newId(),
    actor.userId,
    who.onBehalf ? "registration.create.onBehalf" : "registration.create",
    JSON.stringify(who.onBehalf ? { userId: who.userId } : {}),
  ];
}

/** Which of Registration's unique indexes a failed statement ran into, if any. */
function uniqueViolated(error: unknown): "code" | "person" | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const text = `${error.message} ${JSON.stringify(error.meta ?? {})}`;
  if (text.includes("Registration_activityId_checkInCode_key")) return "code";
  if (text.includes("Registration_activityId_userId_key")) return "person";
  return null;
}

const NO_RESIDENT_IN_SCOPE = "您的辖区内没有使用该手机号的居民；新居民请先为其代办注册";

/** Who is being registered: oneself, or (代办) a resident of a community in the staff member's scope,
 * found by phone. An unknown number and someone else's resident get the same answer, and lookups are
 * limited per staff account, so 代办 cannot tell who holds a number. */
async function registrantOf(actor: Actor, row: ActivityRow, phone: string | undefined) {
  if (!phone) return { userId: actor.userId, onBehalf: false };
  authorize(actor, "activity.registerOnBehalf", { communityPath: placeOf(row) });
  await spendAttempt(LIMITS.onBehalfPerStaff, actor.userId);
  const user = await db().user.findUnique({
    where: { phone },
    select: { id: true, roles: { select: { role: true, scopeId: true } } },
  });
  if (user?.id === actor.userId) return { userId: user.id, onBehalf: false };
  const homes = await Promise.all(residentCommunities(user?.roles ?? []).map(findCommunityPath));
  const inScope = homes.some(
    (home) => home !== null && can(actor, "activity.registerOnBehalf", { communityPath: home }),
  );
  if (!user || !inScope) throw validationError({ phone: NO_RESIDENT_IN_SCOPE });
  return { userId: user.id, onBehalf: true };
}

/** 报名: a seat while there are seats, else a place on the waitlist. */
export async function registerForActivity(actor: Actor, activityId: string, values: { phone?: string }) {
  // The kept copy (ADR 0016): a rush reads the same activity hundreds of times, and whether it is
  // open is decided by the counter, not by this read.
  const visible = await publicActivity(activityId);
  if (visible.status === "DRAFT") throw notFound("该活动不存在或已被删除");
  const who = await registrantOf(actor, visible, values.phone);
  for (let attempt = 1; ; attempt += 1) {
    let saved: RegistrationFacts | undefined;
    try {
      [saved] = await db().$queryRawUnsafe<RegistrationFacts[]>(
        CLAIM_PLACE_SQL,
        ...claimPlaceParams(actor, activityId, who),
      );
    } catch (error) {
      const violated = uniqueViolated(error);
      if (violated === "code" && attempt < CODE_ATTEMPTS) continue;
      if (violated === "person") {
        const existing = await registrationOf(activityId, who.userId);
        throw conflict(existing?.status === "WAITLISTED" ? "已在候补名单中" : "已经报过名了");
      }
      throw error;
    }
    if (saved) return toRegistrationView(saved);
    // No place claimed: the counter says registration is closed.
    const row = await loadActivity(activityId);
    throw conflict(row.status === "CANCELLED" ? "该活动已取消，不能报名" : "该活动已结束，不能报名");
  }
}

/** Locks the activity's seat counter for the rest of the transaction (after the activity's own lock,
 * where both are taken) and says how many seats are held. */
export async function lockSeats(tx: Tx, activityId: string) {
  const [seats] = await tx.$queryRaw<{ capacity: number; taken: number }[]>`
    SELECT capacity, taken FROM "ActivitySeats" WHERE "activityId" = ${activityId} FOR UPDATE`;
  if (!seats) throw new Error(`activity ${activityId} has no seat counter`);
  return seats;
}

/** Returns `freed` seats to the counter, then gives the free seats to the waitlist in order, telling
 * each person promoted. The counter stays locked until the caller's transaction ends, so no
 * registration claims a seat in between. */
export async function promoteFromWaitlist(tx: Tx, activityId: string, title: string, freed = 0) {
  const [seats] = await tx.$queryRaw<{ capacity: number; taken: number }[]>`
    UPDATE "ActivitySeats" SET taken = taken - ${freed}::int WHERE "activityId" = ${activityId}
    RETURNING capacity, taken`;
  if (!seats) throw new Error(`activity ${activityId} has no seat counter`);
  const free = seats.capacity - seats.taken;
  if (free <= 0) return [];
  const next = await tx.registration.findMany({
    where: { activityId, status: "WAITLISTED" },
    orderBy: [...WAITLIST_ORDER],
    take: free,
    select: { id: true, userId: true },
  });
  if (next.length) {
    await tx.$executeRaw`
      UPDATE "ActivitySeats" SET taken = taken + ${next.length}::int WHERE "activityId" = ${activityId}`;
  }
  for (const person of next) {
    await tx.registration.update({
      where: { id: person.id },
      data: { status: "REGISTERED", promotedAt: new Date() },
    });
    await notify(tx, {
      userIds: [person.userId],
      kind: "registration.promoted",
      title: "候补成功",
      body: `有人让出了名额，您已报上“${title}”。签到码在“我的活动”里。`,
      link: "/me/activities",
      dedupeKey: `registration.promoted:${person.id}:${Date.now()}`,
    });
  }
  return next;
}

/** DELETE /registrations/me: frees the seat, which goes to the first on the waitlist. */
export async function cancelMyRegistration(actor: Actor, activityId: string) {
  const visible = await loadActivity(activityId);
  await db().$transaction(async (tx) => {
    const row = await lockActivity(tx, activityId);
    const mine = await tx.registration.findUnique({
      where: { activityId_userId: { activityId, userId: actor.userId } },
    });
    if (!mine || mine.status === "CANCELLED") throw notFound("您没有报名这个活动");
    if (row.status === "FINISHED" || row.status === "CANCELLED")
      throw conflict("活动已结束或已取消，无需取消报名");
    if (mine.checkedInAt) throw conflict("您已签到，不能取消报名");
    await giveUpPlace(tx, actor, mine, visible.title);
  }, BUSY_ACTIVITY);
}

/** Cancels a seat or waitlist place (the row stays, CANCELLED, and can be reopened); a freed seat
 * goes to the first waiting. `because` says why when it was not the person's own choice. */
async function giveUpPlace(
  tx: Tx,
  actor: Actor,
  place: Pick<Registration, "id" | "activityId" | "status">,
  title: string,
  because?: string,
) {
  await tx.registration.update({
    where: { id: place.id },
    data: { status: "CANCELLED", cancelledAt: new Date() },
  });
  await recordAudit(tx, {
    actorId: actor.userId,
    action: "registration.cancel",
    targetType: "Registration",
    targetId: place.id,
    data: { activityId: place.activityId, from: place.status, ...(because ? { because } : {}) },
  });
  if (place.status === "REGISTERED") await promoteFromWaitlist(tx, place.activityId, title, 1);
}

/** A person's seats and waitlist places that they could still give up (cancelMyRegistration's rule). */
export const upcomingRegistrationsOf = (userId: string) =>
  ({
    userId,
    status: { in: ["REGISTERED", "WAITLISTED"] },
    checkedInAt: null,
    activity: { status: { in: ["PUBLISHED", "ONGOING"] } },
  }) satisfies Prisma.RegistrationWhereInput;

/** Account deletion (ADR 0013), inside the caller's transaction: seats and waitlist places in
 * activities still to come (or under way, not checked in) are given up as cancelMyRegistration would,
 * each freed seat going to the first waiting. Past registrations and check-ins stay: they are the
 * figures' rows. Activities are locked in id order so two deletions cannot deadlock. */
export async function withdrawUpcomingRegistrationsOf(tx: Tx, actor: Actor) {
  const open = upcomingRegistrationsOf(actor.userId);
  const activityIds = (
    await tx.registration.findMany({
      where: open,
      select: { activityId: true },
      orderBy: { activityId: "asc" },
    })
  ).map((row) => row.activityId);
  let withdrawn = 0;
  for (const activityId of activityIds) {
    const row = await lockActivity(tx, activityId);
    const mine = await tx.registration.findFirst({ where: { ...open, activityId } });
    if (!mine) continue;
    await giveUpPlace(tx, actor, mine, row.title, "account.delete");
    withdrawn += 1;
  }
  return withdrawn;
}

/** Attendance changed after the activity finished: its tally must follow (the worker recomputes). */
async function attendanceChanged(tx: Tx, row: ActivityRow) {
  if (row.status === "FINISHED")
    await recordEvent(tx, "activity.attendance", "Activity", row.id, row.version);
}

const ATTENDANCE_LOCKED =
  "活动结束已超过24小时，签到和现场人数已锁定；如需更正，请街道或区管理员填写原因后更正";

function assertDeskOpen(row: ActivityRow) {
  if (!["PUBLISHED", "ONGOING", "FINISHED"].includes(row.status)) {
    throw conflict("该活动未发布或已取消，不能签到");
  }
  if (row.startsAt.getTime() - Date.now() > CHECK_IN_OPENS_BEFORE_MS) {
    throw conflict("签到在活动开始前2小时开放");
  }
  if (attendanceLocked(row)) throw conflict(ATTENDANCE_LOCKED);
}

/** Walk-ins are bounded by the seats (ADR 0018): a typo of a few zeros must not reach the reports. */
function assertSaneWalkIns(row: ActivityRow, count: number, field: string) {
  const ceiling = walkInsCeiling(row.capacity);
  if (count > ceiling) {
    throw validationError({
      [field]: `现场人数不能超过名额的${WALK_INS_PER_SEAT}倍（本场名额${row.capacity}人，最多${ceiling}人）`,
    });
  }
}

/** Marks a registrant checked in (inside the caller's transaction, the activity locked). */
async function markCheckedIn(tx: Tx, actor: Actor, row: ActivityRow, code: string) {
  const registration = await tx.registration.findUnique({
    where: { activityId_checkInCode: { activityId: row.id, checkInCode: code } },
  });
  if (!registration || registration.status === "CANCELLED") throw notFound("签到码不正确，请核对后重试");
  if (registration.status === "WAITLISTED") throw conflict("此人在候补名单中，尚无名额");
  if (registration.checkedInAt) throw conflict("此人已经签到过了");
  await tx.registration.update({
    where: { id: registration.id },
    data: { checkedInAt: new Date(), checkedInById: actor.userId },
  });
  await recordAudit(tx, {
    actorId: actor.userId,
    action: "registration.checkIn",
    targetType: "Registration",
    targetId: registration.id,
    data: { activityId: row.id },
  });
  return registration.id;
}

/** 签到 at the desk with the registrant's six-digit code (typed, or from their QR code). */
export async function checkIn(actor: Actor, activityId: string, code: string): Promise<DeskRow> {
  const visible = await loadActivity(activityId);
  authorize(actor, "activity.manage", organiserOf(visible));
  const id = await db().$transaction(async (tx) => {
    const row = await lockActivity(tx, activityId);
    assertDeskOpen(row);
    const registrationId = await markCheckedIn(tx, actor, row, code);
    await attendanceChanged(tx, row);
    return registrationId;
  }, BUSY_ACTIVITY);
  const [row] = await deskRows({ id });
  if (!row) throw notFound("签到码不正确，请核对后重试");
  return row;
}

/** Sets the walk-in total (people without accounts) for the activity. */
export async function setWalkIns(actor: Actor, activityId: string, count: number) {
  const visible = await loadActivity(activityId);
  authorize(actor, "activity.manage", organiserOf(visible));
  await db().$transaction(async (tx) => {
    const row = await lockActivity(tx, activityId);
    assertDeskOpen(row);
    assertSaneWalkIns(row, count, "count");
    await tx.activity.update({ where: { id: activityId }, data: { walkIns: count } });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "activity.walkIns",
      targetType: "Activity",
      targetId: activityId,
      data: { from: row.walkIns, to: count },
    });
    await attendanceChanged(tx, row);
  });
  const row = await loadActivity(activityId);
  return countsOf(activityId, row.walkIns);
}

/** 更正受众人数: after the organiser's window, an admin above the community sets the walk-ins and/or
 * checks in registrants who came, with a reason. The correction is kept and shown on the activity,
 * audited, and the figures are recounted (ADR 0018). */
export async function correctAttendance(actor: Actor, activityId: string, values: AttendanceCorrectionInput) {
  const visible = await loadActivity(activityId);
  authorize(actor, "activity.correctAttendance", { communityPath: placeOf(visible) });
  const correction = await db().$transaction(async (tx) => {
    const row = await lockActivity(tx, activityId);
    if (row.status !== "FINISHED") throw conflict("活动结束后才能更正受众人数；进行中的活动请在签到台登记");
    const walkInsTo = values.walkIns ?? row.walkIns;
    assertSaneWalkIns(row, walkInsTo, "walkIns");
    const codes = values.checkInCodes ?? [];
    for (const code of codes) {
      try {
        await markCheckedIn(tx, actor, row, code);
      } catch (error) {
        // Said beside the list, naming the code, and nothing of the correction is kept.
        if (error instanceof DomainError)
          throw validationError({ checkInCodes: `${code}：${error.message}` });
        throw error;
      }
    }
    if (walkInsTo !== row.walkIns) {
      await tx.activity.update({ where: { id: activityId }, data: { walkIns: walkInsTo } });
    }
    const saved = await tx.attendanceCorrection.create({
      data: {
        activityId,
        correctedById: actor.userId,
        reason: values.reason,
        walkInsFrom: row.walkIns,
        walkInsTo,
        checkInsAdded: codes.length,
      },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "activity.attendanceCorrection",
      targetType: "Activity",
      targetId: activityId,
      data: {
        correctionId: saved.id,
        walkIns: { from: row.walkIns, to: walkInsTo },
        checkInsAdded: codes.length,
      },
    });
    await attendanceChanged(tx, row);
    return saved;
  }, BUSY_ACTIVITY);
  return {
    correction: {
      id: correction.id,
      correctedAt: correction.createdAt.toISOString(),
      reason: correction.reason,
      walkInsFrom: correction.walkInsFrom,
      walkInsTo: correction.walkInsTo,
      checkInsAdded: correction.checkInsAdded,
    },
    counts: await countsOf(activityId, correction.walkInsTo),
  };
}

const deskSelect = {
  id: true,
  activityId: true,
  status: true,
  checkInCode: true,
  checkedInAt: true,
  queuedAt: true,
  place: true,
  createdAt: true,
  updatedAt: true,
  userId: true,
  checkedInById: true,
  registeredById: true,
  promotedAt: true,
  cancelledAt: true,
  user: { select: { name: true, phone: true } },
} satisfies Prisma.RegistrationSelect;

async function deskRows(where: Prisma.RegistrationWhereInput): Promise<DeskRow[]> {
  const rows = await db().registration.findMany({
    where,
    orderBy: [{ status: "asc" }, ...WAITLIST_ORDER],
    select: deskSelect,
  });
  return Promise.all(
    rows.map(async ({ user, ...row }) => ({
      ...(await toRegistrationView(row)),
      name: user.name,
      phoneMasked: maskPhone(user.phone),
      onBehalf: row.registeredById !== null,
    })),
  );
}

/** The organiser's list at the desk: who registered, who is waiting, who checked in. */
export async function listDesk(actor: Actor, activityId: string) {
  const row = await loadActivity(activityId);
  authorize(actor, "activity.manage", organiserOf(row));
  return deskRows({ activityId, status: { in: ["REGISTERED", "WAITLISTED"] } });
}

/** 我的活动: the caller's registrations, latest start first (what is coming, then what is past). */
export async function listMyRegistrations(actor: Actor, query: Paging) {
  const where = { userId: actor.userId, status: { in: ["REGISTERED" as const, "WAITLISTED" as const] } };
  const [total, rows] = await db().$transaction([
    db().registration.count({ where }),
    db().registration.findMany({
      where,
      orderBy: [{ activity: { startsAt: "desc" } }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      include: { activity: { select: activitySelect } },
    }),
  ]);
  const items = await Promise.all(
    rows.map(async ({ activity, ...registration }) => ({
      registration: await toRegistrationView(registration),
      activity: {
        id: activity.id,
        title: activity.title,
        venue: activity.venue,
        startsAt: activity.startsAt.toISOString(),
        endsAt: activity.endsAt.toISOString(),
        status: activity.status,
        communityName: activity.community.name,
      },
    })),
  );
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** The check-in QR code: an SVG of the desk link with the code filled in, for the organiser's phone
 * camera. Rendered on the server, so it shows without JavaScript. */
export function checkInQrSvg(origin: string, activityId: string, code: string): Promise<string> {
  const url = `${origin}/activities/${activityId}/desk?code=${code}`;
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
