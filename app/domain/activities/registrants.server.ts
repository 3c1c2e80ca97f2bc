import { csvTable, type Table } from "~/lib/csv";
import { db } from "~/lib/db.server";
import { formatTime } from "~/lib/format";
import { xlsxWorkbook } from "~/lib/xlsx.server";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { authorize } from "../policy";
import { REGISTRATION_STATUS_LABELS, type RegistrantsQuery } from "./activities.schema";
import { loadActivity, organiserOf } from "./activity-rows.server";
import { WAITLIST_ORDER } from "./waitlist.server";

// 报名名单 (#15 item 11): the organiser of an activity sees who registered with their full phone
// numbers, to call them about this activity (a change of time, a reminder), and may download the list.
// Only that activity's organisers (activity.registrants); a download is audited, a look is not (the
// desk shows the same people, masked).

export type Registrant = {
  name: string;
  phone: string;
  statusLabel: string;
  waitlisted: boolean;
  onBehalf: boolean;
  registeredText: string;
  checkedInText: string | null;
};

/** Seats first, then the waitlist in its order; cancelled places are not listed. */
export async function listRegistrants(actor: Actor, activityId: string) {
  const activity = await loadActivity(activityId);
  authorize(actor, "activity.registrants", organiserOf(activity));
  const rows = await db().registration.findMany({
    where: { activityId, status: { in: ["REGISTERED", "WAITLISTED"] } },
    orderBy: [{ status: "asc" }, ...WAITLIST_ORDER],
    select: {
      status: true,
      createdAt: true,
      checkedInAt: true,
      registeredById: true,
      nameGiven: true,
      user: { select: { name: true, phone: true } },
    },
  });
  const registrants: Registrant[] = rows.map((row) => ({
    name: row.nameGiven ?? row.user.name,
    phone: row.user.phone,
    statusLabel: REGISTRATION_STATUS_LABELS[row.status],
    waitlisted: row.status === "WAITLISTED",
    onBehalf: row.registeredById !== null,
    registeredText: formatTime(row.createdAt),
    checkedInText: row.checkedInAt ? formatTime(row.checkedInAt) : null,
  }));
  return { activity, registrants };
}

/** The file a download sends: the list as CSV (Excel and WPS) or XLSX. */
export type RegistrantFile = { filename: string; contentType: string; body: Uint8Array<ArrayBuffer> };

/** The list as a file, recorded in the audit log (who took which list, in which format, how many
 * rows; never the names or numbers themselves). */
export async function exportRegistrants(
  actor: Actor,
  activityId: string,
  format: RegistrantsQuery["format"],
): Promise<RegistrantFile> {
  const { activity, registrants } = await listRegistrants(actor, activityId);
  await db().$transaction((tx) =>
    recordAudit(tx, {
      actorId: actor.userId,
      action: "activity.registrantsExported",
      targetType: "Activity",
      targetId: activityId,
      data: { format, rows: registrants.length },
    }),
  );
  const table: Table = {
    title: "报名名单",
    headers: ["序号", "姓名", "手机号", "状态", "报名时间", "签到时间", "代办"],
    rows: registrants.map((r, i) => [
      i + 1,
      r.name,
      r.phone,
      r.statusLabel,
      r.registeredText,
      r.checkedInText ?? "",
      r.onBehalf ? "是" : "",
    ]),
  };
  return {
    filename: `${activity.title}-报名名单.${format}`.replace(/[\\/:*?"<>|\s]/g, "_"),
    contentType:
      format === "xlsx"
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8",
    body: format === "xlsx" ? await xlsxWorkbook([table]) : new TextEncoder().encode(csvTable(table)),
  };
}
