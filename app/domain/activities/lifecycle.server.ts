import type { ActivityStatus } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { formatTime } from "~/lib/format";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { recordEvent, recordOutbox } from "../outbox.server";

// The scheduler's side of the activity life cycle (DESIGN §4): PUBLISHED → ONGOING at startsAt and
// → FINISHED at endsAt, reminders 24 h and 1 h before the start. Delayed jobs carry the time they
// were scheduled for; one that fires for a time since changed does nothing. A periodic sweep repairs
// whatever a lost job or downtime missed. Every step is idempotent.

export const REMINDERS = { "24h": 24 * 3600 * 1000, "1h": 3600 * 1000 } as const;
export type ReminderKind = keyof typeof REMINDERS;

/** The jobs a published activity needs, each with when it should run. */
export async function activitySchedule(activityId: string) {
  const activity = await db().activity.findUnique({
    where: { id: activityId },
    select: { status: true, startsAt: true, endsAt: true },
  });
  if (!activity || !["PUBLISHED", "ONGOING"].includes(activity.status)) return [];
  const at = activity.startsAt.toISOString();
  const now = Date.now();
  const jobs: {
    name: "startActivity" | "finishActivity" | "remindActivity";
    data: Record<string, string>;
    runAt: Date;
  }[] = [
    { name: "startActivity", data: { activityId, at }, runAt: activity.startsAt },
    {
      name: "finishActivity",
      data: { activityId, at: activity.endsAt.toISOString() },
      runAt: activity.endsAt,
    },
  ];
  for (const [before, ms] of Object.entries(REMINDERS)) {
    const runAt = new Date(activity.startsAt.getTime() - ms);
    // A reminder whose moment has passed is left out: people who register later know the time.
    if (runAt.getTime() > now) jobs.push({ name: "remindActivity", data: { activityId, before, at }, runAt });
  }
  return jobs;
}

async function transition(tx: Tx, id: string, from: ActivityStatus[], to: ActivityStatus, action: string) {
  const { count } = await tx.activity.updateMany({
    where: { id, status: { in: from } },
    data: { status: to },
  });
  if (count === 0) return false;
  const { version } = await tx.activity.update({
    where: { id },
    data: { version: { increment: 1 } },
    select: { version: true },
  });
  await recordOutbox(tx, "Activity", id, version);
  await recordAudit(tx, { actorId: null, action, targetType: "Activity", targetId: id });
  return true;
}

/** At startsAt: PUBLISHED → ONGOING, unless the start has moved since the job was scheduled. */
export async function startActivity(activityId: string, scheduledFor: Date, now = new Date()) {
  const activity = await db().activity.findUnique({ where: { id: activityId }, select: { startsAt: true } });
  if (!activity || activity.startsAt.getTime() !== scheduledFor.getTime() || activity.startsAt > now)
    return false;
  return db().$transaction((tx) => transition(tx, activityId, ["PUBLISHED"], "ONGOING", "activity.start"));
}

/** At endsAt: → FINISHED, then its tally and its community's day are counted, and the residents
 * whose needs it answered are asked to confirm them. */
export async function finishActivity(activityId: string, scheduledFor: Date, now = new Date()) {
  const activity = await db().activity.findUnique({
    where: { id: activityId },
    select: {
      endsAt: true,
      title: true,
      needs: { select: { need: { select: { id: true, requesterId: true, status: true } } } },
    },
  });
  if (!activity || activity.endsAt.getTime() !== scheduledFor.getTime() || activity.endsAt > now)
    return false;
  const finished = await db().$transaction(async (tx) => {
    if (!(await transition(tx, activityId, ["PUBLISHED", "ONGOING"], "FINISHED", "activity.finish")))
      return false;
    // The count is the statistics queue's job, announced in this transaction: the finish itself
    // stays quick, so other activities' starts and finishes do not wait behind a busy day's
    // recount, and a worker dying after the commit still leaves the count to be done.
    const { version } = await tx.activity.findUniqueOrThrow({
      where: { id: activityId },
      select: { version: true },
    });
    await recordEvent(tx, "activity.attendance", "Activity", activityId, version);
    const waiting = activity.needs.map((n) => n.need).filter((need) => need.status === "SCHEDULED");
    for (const need of waiting) {
      await notify(tx, {
        userIds: [need.requesterId],
        kind: "need.confirm",
        title: "活动已结束，请确认需求是否解决",
        body: `为您安排的“${activity.title}”已结束。如果需求已经解决，请在需求页面确认完成并评价。`,
        link: `/needs/${need.id}`,
        dedupeKey: `need.confirm:${need.id}:${activityId}`,
      });
    }
    return true;
  });
  return finished;
}

/** Reminds the people with a seat, once per reminder and start time. */
export async function remindRegistrants(activityId: string, before: ReminderKind, scheduledFor: Date) {
  const activity = await db().activity.findUnique({
    where: { id: activityId },
    select: { status: true, startsAt: true, title: true, venue: true },
  });
  if (activity?.status !== "PUBLISHED" || activity.startsAt.getTime() !== scheduledFor.getTime()) {
    return 0;
  }
  const registrants = await db().registration.findMany({
    where: { activityId, status: "REGISTERED" },
    select: { userId: true },
  });
  await db().$transaction((tx) =>
    notify(tx, {
      userIds: registrants.map((r) => r.userId),
      kind: "activity.reminder",
      title: before === "24h" ? "明天有活动" : "活动一小时后开始",
      body: `“${activity.title}”将于 ${formatTime(activity.startsAt)} 在${activity.venue}开始，请带好签到码准时参加。`,
      link: "/me/activities",
      dedupeKey: `activity.reminder.${before}:${activityId}:${activity.startsAt.getTime()}`,
    }),
  );
  return registrants.length;
}

/** Repairs what delayed jobs missed (a lost job, a worker that was down): overdue starts and
 * finishes, and reminders whose moment has come. Safe to run any time, as often as wanted. */
export async function sweepActivities(now = new Date()) {
  const overdueFinish = await db().activity.findMany({
    where: { status: { in: ["PUBLISHED", "ONGOING"] }, endsAt: { lte: now } },
    select: { id: true, endsAt: true },
  });
  let finished = 0;
  for (const a of overdueFinish) if (await finishActivity(a.id, a.endsAt, now)) finished += 1;
  const overdueStart = await db().activity.findMany({
    where: { status: "PUBLISHED", startsAt: { lte: now } },
    select: { id: true, startsAt: true },
  });
  let started = 0;
  for (const a of overdueStart) if (await startActivity(a.id, a.startsAt, now)) started += 1;
  let reminded = 0;
  for (const [before, ms] of Object.entries(REMINDERS)) {
    const due = await db().activity.findMany({
      where: { status: "PUBLISHED", startsAt: { gt: now, lte: new Date(now.getTime() + ms) } },
      select: { id: true, startsAt: true },
    });
    // Only within the hour after the moment: a 24 h reminder is not sent 2 hours before the start.
    for (const a of due.filter((d) => d.startsAt.getTime() - ms > now.getTime() - 3600 * 1000)) {
      const kind = before === "24h" ? "24h" : "1h";
      reminded += await remindRegistrants(a.id, kind, a.startsAt);
    }
  }
  return { started, finished, reminded };
}
