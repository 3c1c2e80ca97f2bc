import { db } from "~/lib/db.server";
import { conflict } from "~/lib/errors";
import { durationInWords } from "~/lib/format";
import { z } from "~/lib/zod";
import { queueSnapshot, retryAllFailedJobs, retryFailedJob } from "~/queue/inspect.server";
import { type JOB_PAYLOADS, QUEUE_NAMES, type QueueName } from "~/queue/queues.server";
import type { Actor } from "./accounts/actor";
import { recordAudit } from "./audit.server";
import { authorize } from "./policy";

// 队列状态 (#15 item 16), for district admins: each background queue in words an administrator reads
// (what it does, how many jobs wait or failed, how late it runs) and a retry of failed jobs once their
// cause is fixed. Every retry is audited. The engineers' full view (bull-board) is in app/http.

const queueField = z.enum(QUEUE_NAMES, { error: "请选择队列" });
/** BullMQ's ids: numbers, or the ids the relay and the worker give (topic, name, record id, time). */
const jobIdField = z
  .string({ error: "请选择要重试的任务" })
  .trim()
  .regex(/^[A-Za-z0-9:._-]{1,200}$/, "任务编号不正确");

/** The page's two forms (here, not in the route: the queue names are server code, which the page's
 * browser bundle leaves out). */
export const retryJobSchema = z.object({ queue: queueField, jobId: jobIdField });
export const retryAllSchema = z.object({ queue: queueField });

export const QUEUE_LABELS: Record<QueueName, { title: string; text: string }> = {
  maintenance: { title: "系统维护", text: "后台进程的心跳，确认后台在运行" },
  matching: { title: "需求对接", text: "为新需求推荐服务，并通知社区工作人员" },
  activities: { title: "活动安排", text: "活动的开始、结束、报名提醒和状态巡检" },
  statistics: { title: "统计数据", text: "重算今天和昨天的统计数据，活动和预约结束后计入人次" },
  venues: { title: "阵地预约", text: "预约到期未答复即失效，使用前一天提醒" },
  projects: { title: "购买服务项目", text: "每周提醒进度落后的政府购买服务项目" },
};

type JobName = { [Q in QueueName]: keyof (typeof JOB_PAYLOADS)[Q] }[QueueName];

/** Every job's name as the page shows it; the compiler keeps the list complete. */
const JOB_LABELS: Record<JobName, string> = {
  heartbeat: "心跳",
  suggestForNeed: "为新需求推荐服务",
  scheduleActivity: "安排活动的定时任务",
  startActivity: "活动开始",
  finishActivity: "活动结束",
  remindActivity: "活动提醒",
  sweepActivities: "巡检活动状态",
  recountLatestDays: "重算近两天统计",
  tallyActivity: "计入活动人次",
  recomputeRecentStats: "重算近 40 天统计",
  tallyBooking: "计入阵地预约人次",
  scheduleBooking: "安排预约的定时任务",
  lapseBooking: "预约到期失效",
  remindBooking: "预约使用前提醒",
  sweepBookings: "巡检预约状态",
  alertBehindProjects: "查找进度落后的项目",
  alertBehindProject: "提醒项目进度落后",
};

const isJobName = (name: string): name is JobName => Object.hasOwn(JOB_LABELS, name);

/** A job's name in Chinese; an unknown one (from an older release) as it is. */
export const jobLabel = (name: string) => (isJobName(name) ? JOB_LABELS[name] : name);

/** Every queue with its counts, lateness and failed jobs (the newest first). */
export async function queueHealth(actor: Actor, now = Date.now()) {
  authorize(actor, "operations.view", null);
  return Promise.all(
    QUEUE_NAMES.map(async (name) => {
      const snapshot = await queueSnapshot(name);
      return {
        name,
        ...QUEUE_LABELS[name],
        counts: snapshot.counts,
        waited:
          snapshot.oldestWaitingSince === null
            ? null
            : durationInWords(Math.max(0, now - snapshot.oldestWaitingSince)),
        // The job's name in Chinese only: the page (and its data) carries no English name or payload.
        failed: snapshot.failed.map(({ name: jobName, ...job }) => ({ ...job, label: jobLabel(jobName) })),
      };
    }),
  );
}

/** Puts one failed job back in its queue, audited; a job no longer failed is a conflict. The audit
 * entry is written in a transaction around the retry, so it stays only when the retry happened. */
export async function retryQueueJob(actor: Actor, queueName: QueueName, jobId: string) {
  authorize(actor, "operations.view", null);
  await db().$transaction(async (tx) => {
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "queue.retry",
      targetType: "QueueJob",
      targetId: `${queueName}:${jobId}`,
    });
    if (!(await retryFailedJob(queueName, jobId))) {
      throw conflict("这个任务已不在失败列表中，可能已经重试过了");
    }
  });
}

/** Puts every failed job of a queue back, audited with how many; returns how many. */
export async function retryAllQueueJobs(actor: Actor, queueName: QueueName) {
  authorize(actor, "operations.view", null);
  return db().$transaction(async (tx) => {
    const count = await retryAllFailedJobs(queueName);
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "queue.retryAll",
      targetType: "Queue",
      targetId: queueName,
      data: { count },
    });
    return count;
  });
}
