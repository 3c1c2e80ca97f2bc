import type { Prisma } from "@prisma/client";
import QRCode from "qrcode";
import { BUSY_TRANSACTION, db, type Tx } from "~/lib/db.server";
import { conflict, DomainError, notFound, validationError } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { recordEvent } from "../outbox.server";
import { authorize } from "../policy";
import { placeOf } from "../territory/places";
import {
  type AttendanceCorrectionInput,
  CHECK_IN_OPENS_BEFORE_MS,
  type DeskRow,
  WALK_INS_PER_SEAT,
  type WalkInStep,
  walkInsCeiling,
} from "./activities.schema";
import {
  type ActivityRow,
  attendanceLocked,
  loadActivity,
  lockActivity,
  organiserOf,
} from "./activity-rows.server";
import { countsOf, toRegistrationView, WAITLIST_ORDER } from "./waitlist.server";

// The organiser's desk (签到台): check-in with the registrant's code or QR code, the walk-in count,
// the list of who registered, and an admin's later correction of a finished activity's attendance.

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
  }, BUSY_TRANSACTION);
  const [row] = await deskRows({ id });
  if (!row) throw notFound("签到码不正确，请核对后重试");
  return row;
}

/** Writes the walk-in total the activity's locked row leads to, audited with both totals. */
async function writeWalkIns(
  actor: Actor,
  activityId: string,
  next: (row: ActivityRow) => number,
  field: string,
) {
  const visible = await loadActivity(activityId);
  authorize(actor, "activity.manage", organiserOf(visible));
  await db().$transaction(async (tx) => {
    const row = await lockActivity(tx, activityId);
    assertDeskOpen(row);
    const count = next(row);
    if (count < 0) throw validationError({ [field]: "现场人数已经是0，不能再减" });
    assertSaneWalkIns(row, count, field);
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

/** Sets the walk-in total (people without accounts) for the activity (the API's form). */
export function setWalkIns(actor: Actor, activityId: string, count: number) {
  return writeWalkIns(actor, activityId, () => count, "count");
}

/** 现场人数 +1 / −1 at the desk: a step from the total under the activity's lock, so two phones at
 * the door never overwrite each other, and a typed 1 can no longer replace 3 (issue #15, item 12). */
export function stepWalkIns(actor: Actor, activityId: string, step: WalkInStep) {
  return writeWalkIns(actor, activityId, (row) => row.walkIns + step, "step");
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
  }, BUSY_TRANSACTION);
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
  nameGiven: true,
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
    rows.map(async ({ user, nameGiven, ...row }) => ({
      ...(await toRegistrationView(row)),
      name: nameGiven ?? user.name,
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

/** The check-in QR code: an SVG of the desk link with the code filled in, for the organiser's phone
 * camera. Rendered on the server, so it shows without JavaScript. */
export function checkInQrSvg(origin: string, activityId: string, code: string): Promise<string> {
  const url = `${origin}/activities/${activityId}/desk?code=${code}`;
  return QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
