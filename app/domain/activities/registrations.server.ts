import { randomInt } from "node:crypto";
import type { Prisma, Registration } from "@prisma/client";
import QRCode from "qrcode";
import { db, type Tx } from "~/lib/db.server";
import { conflict, notFound, validationError } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import type { Paging } from "~/lib/paging";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { recordEvent } from "../outbox.server";
import { authorize } from "../policy";
import { placeOf } from "../territory/places";
import {
  type ActivityCounts,
  CHECK_IN_OPENS_BEFORE_MS,
  type DeskRow,
  REGISTRATION_STATUS_LABELS,
  type RegistrationView,
} from "./activities.schema";
import { type ActivityRow, activitySelect, loadActivity, organiserOf } from "./activities.server";

// Registration (报名), the waitlist, check-in (签到) and walk-ins. Seats are counted under a row lock on
// the activity, so N parallel registrations for C seats give exactly min(N, C) seats; a freed seat
// goes to the first person on the waitlist, who is told.

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

export async function toRegistrationView(row: Registration): Promise<RegistrationView> {
  const waitlistPosition =
    row.status === "WAITLISTED"
      ? (await db().registration.count({
          where: { activityId: row.activityId, status: "WAITLISTED", queuedAt: { lt: row.queuedAt } },
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

/** Registrations for one activity take turns on its lock: when hundreds arrive at once (a popular
 * activity opening), each waits its turn for a connection and the lock rather than failing. */
const BUSY_ACTIVITY = { maxWait: 20_000, timeout: 20_000 };

/** Locks the activity for the rest of the transaction and reads it afresh. */
async function lockActivity(tx: Tx, id: string): Promise<ActivityRow> {
  await tx.$queryRaw`SELECT id FROM "Activity" WHERE id = ${id} FOR UPDATE`;
  return loadActivity(id, tx);
}

/** A six-digit code not yet used in the activity (the activity is locked, so no one races for it). */
async function freshCheckInCode(tx: Tx, activityId: string): Promise<string> {
  for (;;) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const taken = await tx.registration.count({ where: { activityId, checkInCode: code } });
    if (!taken) return code;
  }
}

/** Who is being registered: oneself, or (代办) a resident found by phone, by staff in scope. */
async function registrantOf(actor: Actor, row: ActivityRow, phone: string | undefined) {
  if (!phone) return { userId: actor.userId, onBehalf: false };
  authorize(actor, "activity.registerOnBehalf", { communityPath: placeOf(row) });
  const user = await db().user.findUnique({ where: { phone }, select: { id: true } });
  if (!user) throw validationError({ phone: "该手机号还没有账号，请先为居民代办注册" });
  return { userId: user.id, onBehalf: user.id !== actor.userId };
}

/** 报名: a seat while there are seats, else a place on the waitlist. */
export async function registerForActivity(actor: Actor, activityId: string, values: { phone?: string }) {
  const visible = await loadActivity(activityId);
  if (visible.status === "DRAFT") throw notFound("该活动不存在或已被删除");
  const who = await registrantOf(actor, visible, values.phone);
  const id = await db().$transaction(async (tx) => {
    const row = await lockActivity(tx, activityId);
    if (row.status !== "PUBLISHED" && row.status !== "ONGOING") {
      throw conflict(row.status === "CANCELLED" ? "该活动已取消，不能报名" : "该活动已结束，不能报名");
    }
    const existing = await tx.registration.findUnique({
      where: { activityId_userId: { activityId, userId: who.userId } },
    });
    if (existing && existing.status !== "CANCELLED") {
      throw conflict(existing.status === "REGISTERED" ? "已经报过名了" : "已在候补名单中");
    }
    const registered = await tx.registration.count({ where: { activityId, status: "REGISTERED" } });
    const status = registered < row.capacity ? "REGISTERED" : "WAITLISTED";
    const data = {
      status,
      queuedAt: new Date(),
      cancelledAt: null,
      promotedAt: null,
      checkedInAt: null,
      registeredById: who.onBehalf ? actor.userId : null,
    } as const;
    const saved = existing
      ? await tx.registration.update({ where: { id: existing.id }, data })
      : await tx.registration.create({
          data: {
            ...data,
            activityId,
            userId: who.userId,
            checkInCode: await freshCheckInCode(tx, activityId),
          },
        });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: who.onBehalf ? "registration.create.onBehalf" : "registration.create",
      targetType: "Registration",
      targetId: saved.id,
      data: { activityId, status, ...(who.onBehalf ? { userId: who.userId } : {}) },
    });
    return saved.id;
  }, BUSY_ACTIVITY);
  return toRegistrationView(await db().registration.findUniqueOrThrow({ where: { id } }));
}

/** Gives free seats to the waitlist in order, telling each person promoted. */
export async function promoteFromWaitlist(tx: Tx, activityId: string, title: string) {
  const activity = await tx.activity.findUniqueOrThrow({
    where: { id: activityId },
    select: { capacity: true },
  });
  const registered = await tx.registration.count({ where: { activityId, status: "REGISTERED" } });
  const free = activity.capacity - registered;
  if (free <= 0) return [];
  const next = await tx.registration.findMany({
    where: { activityId, status: "WAITLISTED" },
    orderBy: [{ queuedAt: "asc" }, { id: "asc" }],
    take: free,
    select: { id: true, userId: true },
  });
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
  if (place.status === "REGISTERED") await promoteFromWaitlist(tx, place.activityId, title);
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

function assertDeskOpen(row: ActivityRow) {
  if (!["PUBLISHED", "ONGOING", "FINISHED"].includes(row.status)) {
    throw conflict("该活动未发布或已取消，不能签到");
  }
  if (row.startsAt.getTime() - Date.now() > CHECK_IN_OPENS_BEFORE_MS) {
    throw conflict("签到在活动开始前2小时开放");
  }
}

/** 签到 at the desk with the registrant's six-digit code (typed, or from their QR code). */
export async function checkIn(actor: Actor, activityId: string, code: string): Promise<DeskRow> {
  const visible = await loadActivity(activityId);
  authorize(actor, "activity.manage", organiserOf(visible));
  const id = await db().$transaction(async (tx) => {
    const row = await lockActivity(tx, activityId);
    assertDeskOpen(row);
    const registration = await tx.registration.findUnique({
      where: { activityId_checkInCode: { activityId, checkInCode: code } },
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
      data: { activityId },
    });
    await attendanceChanged(tx, row);
    return registration.id;
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

const deskSelect = {
  id: true,
  activityId: true,
  status: true,
  checkInCode: true,
  checkedInAt: true,
  queuedAt: true,
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
    orderBy: [{ status: "asc" }, { queuedAt: "asc" }],
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
