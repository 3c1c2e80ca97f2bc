import { type Job, Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { currentWeek } from "~/domain/projects/alerts.server";
import { chinaDay, DAY_MS, isoWeek } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { bullOptions } from "~/queue/queues.server";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createProvider } from "../../prisma/factories/marketplace";
import { createProjectRow, type ProjectValues } from "../../prisma/factories/projects";
import { killAllProcesses, type Spawned, spawnQuietWorker, waitFor, workerStarted } from "../setup/processes";
import { todaysShareOf } from "../setup/sweeps";

// The weekly behind-pace alert (issue 18, ADR 0026) with the real worker process, PostgreSQL and
// Redis: the scan queues one alert per project behind its pace; the purchaser's staff and the
// provider's people are told once per ISO week however often a job runs (the notification's unique
// key); a project completed, ended or caught up meanwhile gets nothing.

// Each test starts processes of its own: npm test runs today's third of them, test:full all.
const todays = todaysShareOf("projects-alerts");

let fx: TerritoryFixture;
let projectsQueue: Queue;
let worker: Spawned;
let ownerId = "";
let providerId = "";
const today = chinaDay(new Date());

beforeAll(() => {
  projectsQueue = new Queue("projects", bullOptions("producer"));
});
// Registered after the shared reset, so it runs before it: no worker writes while tables are emptied.
afterEach(killAllProcesses);
afterAll(async () => {
  await killAllProcesses();
  await projectsQueue.close();
});

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const owner = await createResident(db(), fx.communities.a1.id);
  ownerId = owner.id;
  providerId = (
    await createProvider(db(), { communityIds: [fx.communities.a1.id], members: [{ userId: owner.id }] })
  ).id;
  worker = spawnQuietWorker();
  // Generous: starting a process under tsx on two shared cores can take a while.
  await workerStarted(worker, 90_000);
});

/** A project bought by community A1, 30 days in with 30 to go unless told otherwise. */
const project = (values: Partial<ProjectValues> = {}) =>
  createProjectRow(db(), {
    purchaser: {
      id: fx.communities.a1.id,
      level: "COMMUNITY",
      subdistrictId: fx.subdistricts.a.id,
      districtId: fx.district.id,
    },
    providerId,
    createdById: fx.users.workerA1.id,
    startsOn: new Date(today.getTime() - 30 * DAY_MS),
    endsOn: new Date(today.getTime() + 30 * DAY_MS),
    // Nothing held yet: ten activities would be five by now.
    targets: { activitiesHeld: 10 },
    ...values,
  });

/** Waits until the job has finished, and gives its return value. */
async function finished(jobId: string, after = 0): Promise<unknown> {
  const job = await waitFor(
    `job ${jobId} to complete`,
    async (): Promise<Job | undefined> => {
      const state = await projectsQueue.getJobState(jobId);
      const found = await projectsQueue.getJob(jobId);
      if (state === "failed") throw new Error(`job ${jobId} failed: ${found?.failedReason}`);
      return state === "completed" && found && (found.finishedOn ?? 0) > after ? found : undefined;
    },
    worker,
  );
  return job.returnvalue;
}

const alertsOf = (projectId: string) =>
  db().notification.findMany({
    where: { kind: "project.behind", link: `/projects/${projectId}` },
    select: { userId: true, dedupeKey: true, body: true },
  });

describe("the weekly behind-pace alert", () => {
  it.runIf(todays())(
    "tells the purchaser's staff and the provider's people about a project behind, once, even on retry",
    async () => {
      const behind = await project();
      const onPace = await project({ targets: { activitiesHeld: 0 } });
      const completed = await project({ status: "COMPLETED", endedAt: new Date() });
      const ended = await project({ status: "ENDED", endedAt: new Date() });
      const notStarted = await project({
        startsOn: new Date(today.getTime() + DAY_MS),
        endsOn: new Date(today.getTime() + 60 * DAY_MS),
      });
      const week = currentWeek();

      await projectsQueue.add("alertBehindProjects", {}, { jobId: "scan-1" });
      expect(await finished("scan-1")).toEqual({ queued: 1 });
      const alertId = `alertBehindProject-${behind.id}-${week}`;
      expect(await finished(alertId)).toEqual({ alerted: true });

      const alerts = await alertsOf(behind.id);
      expect(alerts.map((a) => a.userId).sort()).toEqual([fx.users.workerA1.id, ownerId].sort());
      expect(alerts[0]?.dedupeKey).toBe(`project.behind:${behind.id}:${week}`);
      expect(alerts[0]?.body).toContain("开展活动 0（按进度应达 5）");
      // The subdistrict's admin is above the purchaser: its own staff are told, not every level.
      expect(await db().notification.count({ where: { userId: fx.users.subdistrictAdminA.id } })).toBe(0);
      for (const quiet of [onPace, completed, ended, notStarted])
        expect(await alertsOf(quiet.id)).toEqual([]);

      // A retry of the same job (BullMQ runs it again) and a second scan add nothing.
      const job = await projectsQueue.getJob(alertId);
      const firstRun = job?.finishedOn ?? 0;
      await job?.retry("completed");
      expect(await finished(alertId, firstRun)).toEqual({ alerted: true });
      await projectsQueue.add(
        "alertBehindProject",
        { projectId: behind.id, week },
        { jobId: "again-by-hand" },
      );
      expect(await finished("again-by-hand")).toEqual({ alerted: true });
      await projectsQueue.add("alertBehindProjects", {}, { jobId: "scan-2" });
      expect(await finished("scan-2")).toEqual({ queued: 1 });
      expect(await alertsOf(behind.id)).toHaveLength(2);
      expect(await db().notification.count()).toBe(2);
    },
  );

  it.runIf(todays())(
    "is stale-safe: a project completed, ended or caught up meanwhile, or last week's job, tells nobody",
    async () => {
      const completedSince = await project();
      const endedSince = await project();
      const caughtUp = await project();
      const week = currentWeek();
      await db().project.update({
        where: { id: completedSince.id },
        data: { status: "COMPLETED", endedAt: new Date() },
      });
      await db().project.update({
        where: { id: endedSince.id },
        data: { status: "ENDED", endedAt: new Date() },
      });
      // The purchaser lowered the target: one activity is not behind on day 31 of 61.
      await db().project.update({ where: { id: caughtUp.id }, data: { targetActivitiesHeld: 1 } });
      const lastWeek = isoWeek(new Date(today.getTime() - 7 * DAY_MS));
      const jobs = [
        { projectId: completedSince.id, week },
        { projectId: endedSince.id, week },
        { projectId: caughtUp.id, week },
        { projectId: (await project()).id, week: lastWeek },
      ];
      for (const [i, data] of jobs.entries()) {
        await projectsQueue.add("alertBehindProject", data, { jobId: `stale-${i}` });
        expect(await finished(`stale-${i}`)).toEqual({ alerted: false });
      }
      expect(await db().notification.count()).toBe(0);
    },
  );
});
