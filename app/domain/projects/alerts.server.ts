import { chinaDay, isoWeek } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { notify, providerMemberIds } from "../notifications/notifications.server";
import { countActuals, isOnTrack, progressOf } from "./progress.server";
import { TARGET_KEYS, TARGET_LABELS } from "./projects.schema";
import { projectSelect } from "./projects.server";

// The weekly behind-pace alert (ADR 0026): every Monday the worker finds the running projects behind
// their linear pace and, one job per project, tells the purchaser's staff and the provider's people
// through the notification centre. Each job checks again when it runs (a project completed, ended or
// caught up meanwhile gets nothing), and the notification's key (project and ISO week, unique per
// recipient in the database) keeps a retried or repeated job to one notice a week.

const PAGE = 200;

/** This China day's ISO week, which a job is for. */
export const currentWeek = (now = new Date()) => isoWeek(chinaDay(now));

/** Running projects inside their period today that are behind on any target. */
export async function behindProjectIds(now = new Date()): Promise<string[]> {
  const today = chinaDay(now);
  const behind: string[] = [];
  for (let cursor: string | undefined; ; ) {
    const rows = await db().project.findMany({
      where: { status: "ACTIVE", startsOn: { lte: today }, endsOn: { gte: today } },
      select: projectSelect,
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    const actuals = await countActuals(rows.map((r) => r.id));
    for (const row of rows) {
      const actual = actuals.get(row.id);
      if (actual && !isOnTrack(progressOf(row, actual, now))) behind.push(row.id);
    }
    if (rows.length < PAGE) return behind;
    cursor = rows[rows.length - 1]?.id;
  }
}

/** The staff holding a role at the purchaser's own node (its workers or admins). */
async function purchaserStaffIds(purchaserId: string): Promise<string[]> {
  const grants = await db().roleAssignment.findMany({
    where: { scopeId: purchaserId, role: { not: "RESIDENT" } },
    select: { userId: true },
  });
  return grants.map((g) => g.userId);
}

/** Tells the purchaser's staff and the provider's people that the project is behind, once per ISO
 * week; nothing when the job is for another week, or the project is no longer running inside its
 * period or no longer behind. Returns whether a notice went out (or already had). */
export async function alertBehindProject(projectId: string, week: string, now = new Date()) {
  if (week !== currentWeek(now)) return false;
  // A project deleted since the scan is simply not alerted; any other failure retries the job.
  const row = await db().project.findUnique({ where: { id: projectId }, select: projectSelect });
  const today = chinaDay(now);
  if (row?.status !== "ACTIVE" || row.startsOn > today || row.endsOn < today) return false;
  const actual = (await countActuals([row.id])).get(row.id);
  if (!actual) return false;
  const progress = progressOf(row, actual, now);
  if (isOnTrack(progress)) return false;
  const lagging = TARGET_KEYS.filter((key) => progress.onTrack[key] === false).map((key) =>
    key === "averageRating"
      ? `${TARGET_LABELS[key]} ${progress.actual[key]}（目标 ${progress.target[key]}）`
      : `${TARGET_LABELS[key]} ${progress.actual[key]}（按进度应达 ${progress.expectedByNow[key]}）`,
  );
  const staff = await purchaserStaffIds(row.purchaserId);
  await db().$transaction(async (tx) =>
    notify(tx, {
      userIds: [...staff, ...(await providerMemberIds(tx, row.providerId))],
      kind: "project.behind",
      title: "政府购买服务项目进度落后",
      body: `“${row.title}”进度落后：${lagging.join("；")}。`,
      link: `/projects/${row.id}`,
      dedupeKey: `project.behind:${row.id}:${week}`,
    }),
  );
  return true;
}
