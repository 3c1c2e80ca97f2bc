import { type Job, Queue } from "bullmq";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "~/domain/accounts/actor";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { cancelActivity, createActivity, updateActivity } from "~/domain/activities/activities.server";
import { checkIn, setWalkIns } from "~/domain/activities/check-in.server";
import { activitySchedule, sweepActivities } from "~/domain/activities/lifecycle.server";
import { registerForActivity } from "~/domain/activities/registrations.server";
import { recomputeActivityFigures } from "~/domain/activities/tallies.server";
import { communityActivityDays } from "~/domain/stats/figures.server";
import { chinaDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { bullOptions } from "~/queue/queues.server";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { processActivities } from "../../workers/processors/activities";
import {
  killAllProcesses,
  type Spawned,
  spawnQuietWorker,
  stopProcess,
  waitFor,
  workerStarted,
} from "../setup/processes";
import { todaysShareOf } from "../setup/sweeps";

// The activity life cycle with the real worker process (node + tsx, as in production): steps run on
// time, a retimed activity's stale job does nothing, reminders go out once, and a worker killed in
// the middle of a tally leaves figures that the next worker recounts exactly.

// Each test starts processes of its own: npm test runs today's third of them, test:full all.
const todays = todaysShareOf("activities-worker");

let fx: TerritoryFixture;
let staff: Actor;
let activitiesQueue: Queue;
let statisticsQueue: Queue;

beforeAll(() => {
  activitiesQueue = new Queue("activities", bullOptions("producer"));
  statisticsQueue = new Queue("statistics", bullOptions("producer"));
});
// Registered after the shared reset, so it runs before it: no worker writes while tables are emptied.
afterEach(killAllProcesses);
afterAll(async () => {
  await killAllProcesses();
  await activitiesQueue.close();
  await statisticsQueue.close();
});

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  staff = await actorOf(fx.users.workerA1);
});

async function actorOf(user: { id: string }): Promise<Actor> {
  const actor = await actorForToken((await startSession(user.id, "API")).token);
  if (!actor) throw new Error("no actor");
  return actor;
}

const statusOf = async (id: string) =>
  (await db().activity.findUniqueOrThrow({ where: { id }, select: { status: true } })).status;

/** When the scheduler moved the activity (its audit entry, written in the same transaction). */
async function transitions(id: string, action: "activity.start" | "activity.finish") {
  const rows = await db().auditLog.findMany({
    where: { targetType: "Activity", targetId: id, action },
    orderBy: { createdAt: "asc" },
    select: { createdAt: true },
  });
  return rows.map((row) => row.createdAt);
}

/** The job and its state, the state read first: a job read first and completed a moment later would
 * show "completed" without its return value. */
async function jobState(
  jobId: string,
  queue = activitiesQueue,
): Promise<{ job: Job; state: string } | undefined> {
  const state = await queue.getJobState(jobId);
  const job = await queue.getJob(jobId);
  // "unknown": the job did not exist yet when its state was read (the relay added it in between).
  return job && state !== "unknown" ? { job, state } : undefined;
}

const baseActivity = (startsAt: Date, endsAt: Date) => ({
  title: "重阳节长者联欢会",
  description: "社区长者联欢，有戏曲表演和义诊。",
  communityId: fx.communities.a1.id,
  venue: "社区活动中心二楼",
  startsAt,
  endsAt,
  capacity: 100,
  publish: true,
});

// Recounts straight from the rows, to compare the tallies with.
type Figures = {
  registered: number;
  waitlisted: number;
  checkedIn: number;
  walkIns: number;
  personTimes: number;
};

async function recountActivity(activityId: string): Promise<Figures> {
  const [row] = await db().$queryRaw<Omit<Figures, "walkIns" | "personTimes">[]>`
    SELECT count(*) FILTER (WHERE status = 'REGISTERED')::int AS registered,
      count(*) FILTER (WHERE status = 'WAITLISTED')::int AS waitlisted,
      count(*) FILTER (WHERE status = 'REGISTERED' AND "checkedInAt" IS NOT NULL)::int AS "checkedIn"
    FROM "Registration" WHERE "activityId" = ${activityId}`;
  const { walkIns } = await db().activity.findUniqueOrThrow({
    where: { id: activityId },
    select: { walkIns: true },
  });
  if (!row) throw new Error("no recount");
  return { ...row, walkIns, personTimes: row.checkedIn + walkIns };
}

async function tallyOf(activityId: string): Promise<Figures | null> {
  const tally = await db().activityTally.findUnique({ where: { activityId } });
  if (!tally) return null;
  const { registered, waitlisted, checkedIn, walkIns, personTimes } = tally;
  return { registered, waitlisted, checkedIn, walkIns, personTimes };
}

/** The community's day, recounted: the sum over its finished activities and the distinct people. */
async function recountDay(activityIds: string[]) {
  const figures = await Promise.all(activityIds.map(recountActivity));
  const [unique] = await db().$queryRaw<{ persons: number }[]>`
    SELECT count(DISTINCT "userId")::int AS persons FROM "Registration"
    WHERE "activityId" = ANY(${activityIds}::text[]) AND status = 'REGISTERED' AND "checkedInAt" IS NOT NULL`;
  return {
    activitiesHeld: activityIds.length,
    registered: figures.reduce((sum, f) => sum + f.registered, 0),
    checkedIn: figures.reduce((sum, f) => sum + f.checkedIn, 0),
    walkIns: figures.reduce((sum, f) => sum + f.walkIns, 0),
    personTimes: figures.reduce((sum, f) => sum + f.personTimes, 0),
    uniquePersons: unique?.persons ?? 0,
  };
}

async function dayOf(communityId: string, day: Date) {
  const [stat] = await communityActivityDays(communityId, { from: day, to: day });
  if (!stat) return null;
  const { activitiesHeld, registered, checkedIn, walkIns, personTimes, uniquePersons } = stat;
  return { activitiesHeld, registered, checkedIn, walkIns, personTimes, uniquePersons };
}

describe("the life cycle with a real worker", () => {
  it.runIf(todays())(
    "moves a published activity to ONGOING at its start and FINISHED at its end, then counts it",
    async () => {
      const worker = spawnQuietWorker();
      await workerStarted(worker);

      const now = Date.now();
      const { activity } = await createActivity(
        staff,
        baseActivity(new Date(now + 5000), new Date(now + 9000)),
      );
      const startsAt = new Date(activity.startsAt);
      const endsAt = new Date(activity.endsAt);
      // A second one at the same times in the same community: both are counted into one day at once.
      const twin = (await createActivity(staff, { ...baseActivity(startsAt, endsAt), title: "社区电影放映" }))
        .activity;
      // Three registrants, two of them checked in, and five walk-ins, before it starts.
      const residents = await Promise.all([1, 2, 3].map(() => createResident(db(), fx.communities.a1.id)));
      const codes: string[] = [];
      for (const resident of residents) {
        const registration = await registerForActivity(await actorOf(resident), activity.id, {});
        codes.push(registration.checkInCode ?? "");
      }
      for (const code of codes.slice(0, 2)) await checkIn(staff, activity.id, code);
      await setWalkIns(staff, activity.id, 5);

      const seen: Record<string, number> = {};
      await waitFor(
        "ONGOING",
        async () => {
          const status = await statusOf(activity.id);
          if (status !== "PUBLISHED") seen[status] ??= Date.now();
          return status === "ONGOING" || status === "FINISHED" ? true : undefined;
        },
        worker,
        startsAt.getTime() - Date.now() + 30_000,
      );
      await waitFor(
        "FINISHED and counted",
        async () => {
          const status = await statusOf(activity.id);
          if (status !== "PUBLISHED") seen[status] ??= Date.now();
          return status === "FINISHED" && (await tallyOf(activity.id)) && (await tallyOf(twin.id))
            ? true
            : undefined;
        },
        worker,
        endsAt.getTime() - Date.now() + 30_000,
      );

      const [start] = await transitions(activity.id, "activity.start");
      const [finish] = await transitions(activity.id, "activity.finish");
      if (!start || !finish) throw new Error("no transition recorded");
      const late = {
        start: start.getTime() - startsAt.getTime(),
        finish: finish.getTime() - endsAt.getTime(),
      };
      console.log(
        `life cycle lateness: ONGOING ${late.start} ms after startsAt (seen by polling after ${
          (seen.ONGOING ?? Number.NaN) - startsAt.getTime()
        } ms), FINISHED ${late.finish} ms after endsAt (seen after ${(seen.FINISHED ?? Number.NaN) - endsAt.getTime()} ms)`,
      );
      // Never early; late only within a generous bound (machines are noisy, the delay is not the test).
      expect(late.start).toBeGreaterThanOrEqual(0);
      expect(late.start).toBeLessThan(30_000);
      expect(late.finish).toBeGreaterThanOrEqual(0);
      expect(late.finish).toBeLessThan(30_000);
      expect(await transitions(activity.id, "activity.start")).toHaveLength(1);
      expect(await transitions(activity.id, "activity.finish")).toHaveLength(1);

      const expected = await recountActivity(activity.id);
      expect(expected).toEqual({ registered: 3, waitlisted: 0, checkedIn: 2, walkIns: 5, personTimes: 7 });
      expect(await tallyOf(activity.id)).toEqual(expected);
      expect(await tallyOf(twin.id)).toEqual(await recountActivity(twin.id));
      // Their day holds both.
      const day = await recountDay([activity.id, twin.id]);
      await waitFor(
        "the day's figures",
        async () =>
          JSON.stringify(await dayOf(fx.communities.a1.id, chinaDay(startsAt))) === JSON.stringify(day)
            ? true
            : undefined,
        worker,
      );
      expect(await dayOf(fx.communities.a1.id, chinaDay(startsAt))).toEqual(day);
      expect(worker.stdout()).not.toContain('"job failed"');
      // The outbox relay polled ~100 times meanwhile without piling up listeners.
      expect(worker.stderr()).not.toContain("MaxListenersExceededWarning");
    },
    60_000,
  );

  it.runIf(todays())(
    "a retimed activity's old start job fires and does nothing; it starts at the new time",
    async () => {
      const worker = spawnQuietWorker();
      await workerStarted(worker);

      const now = Date.now();
      const { activity } = await createActivity(
        staff,
        baseActivity(new Date(now + 6000), new Date(now + 3600_000)),
      );
      const oldStart = new Date(activity.startsAt);
      const oldJobId = `startActivity-${activity.id}-${oldStart.getTime()}`;
      await waitFor("the first start job", () => jobState(oldJobId), worker);

      const newStart = new Date(oldStart.getTime() + 4000);
      await updateActivity(staff, activity.id, { startsAt: newStart });
      const newJobId = `startActivity-${activity.id}-${newStart.getTime()}`;

      const old = await waitFor(
        "the old start job to run",
        async () => {
          const found = await jobState(oldJobId);
          return found?.state === "completed" ? found : undefined;
        },
        worker,
        20_000,
      );
      expect(old.job.returnvalue).toEqual({ started: false });
      expect(await statusOf(activity.id)).toBe("PUBLISHED");
      expect(await transitions(activity.id, "activity.start")).toEqual([]);

      await waitFor(
        "ONGOING",
        async () => ((await statusOf(activity.id)) === "ONGOING" ? true : undefined),
        worker,
        newStart.getTime() - Date.now() + 30_000,
      );
      const [start, ...more] = await transitions(activity.id, "activity.start");
      if (!start) throw new Error("no start recorded");
      expect(more).toEqual([]);
      console.log(
        `retimed start lateness: ONGOING ${start.getTime() - newStart.getTime()} ms after the new startsAt`,
      );
      expect(start.getTime()).toBeGreaterThanOrEqual(newStart.getTime());
      const fresh = await waitFor(
        "the new start job to complete",
        async () => {
          const found = await jobState(newJobId);
          return found?.state === "completed" ? found : undefined;
        },
        worker,
      );
      expect(fresh.job.returnvalue).toEqual({ started: true });
    },
    60_000,
  );
});

describe("reminders", () => {
  it.runIf(todays())(
    "go out once per registrant, however often the job and the sweep run; none for a cancelled activity",
    async () => {
      // The sweep runs every second beside the delayed job: both try to remind at the same moment.
      const worker = spawnQuietWorker({ ACTIVITY_SWEEP_MS: "1000" });
      await workerStarted(worker);

      const now = Date.now();
      const startsAt = new Date(now + 3600_000 + 6000);
      const endsAt = new Date(startsAt.getTime() + 2 * 3600_000);
      const kept = (await createActivity(staff, baseActivity(startsAt, endsAt))).activity;
      const dropped = (await createActivity(staff, { ...baseActivity(startsAt, endsAt), title: "社区义剪" }))
        .activity;
      const residents = await Promise.all([1, 2, 3].map(() => createResident(db(), fx.communities.a1.id)));
      for (const resident of residents) {
        const actor = await actorOf(resident);
        await registerForActivity(actor, kept.id, {});
        await registerForActivity(actor, dropped.id, {});
      }

      // Only the 1 h reminder is planned (the 24 h one's moment has passed), about 6 s from now.
      const planned = await activitySchedule(kept.id);
      expect(planned.map((job) => [job.name, job.data.before ?? null])).toEqual([
        ["startActivity", null],
        ["finishActivity", null],
        ["remindActivity", "1h"],
      ]);
      const runAt = startsAt.getTime() - 3600_000;
      const reminderId = (id: string) => `remindActivity-1h-${id}-${runAt}`;
      for (const id of [kept.id, dropped.id]) {
        const scheduled = await waitFor("the reminder job", () => jobState(reminderId(id)), worker);
        expect(scheduled.state).toBe("delayed");
        expect(Math.abs(scheduled.job.timestamp + (scheduled.job.opts.delay ?? 0) - runAt)).toBeLessThan(
          1000,
        );
      }

      await cancelActivity(staff, dropped.id, { reason: "场地临时检修" });

      for (const id of [kept.id, dropped.id]) {
        await waitFor(
          "the reminder job to run",
          async () => ((await jobState(reminderId(id)))?.state === "completed" ? true : undefined),
          worker,
          20_000,
        );
      }
      expect((await activitiesQueue.getJob(reminderId(dropped.id)))?.returnvalue).toEqual({ reminded: 0 });

      // Every repair path again, twice: the sweep as if half an hour before the start, and the job.
      const halfHourBefore = new Date(startsAt.getTime() - 1800_000);
      for (let i = 0; i < 2; i++) {
        await sweepActivities(halfHourBefore);
        await sweepActivities();
        for (const id of [kept.id, dropped.id]) {
          await processActivities({
            name: "remindActivity",
            data: { activityId: id, before: "1h", at: startsAt.toISOString() },
          } as Job);
        }
      }
      await stopProcess(worker);

      const reminders = await db().notification.findMany({
        where: { kind: "activity.reminder" },
        select: { userId: true, dedupeKey: true, title: true },
      });
      expect(reminders.filter((r) => r.dedupeKey.includes(dropped.id))).toEqual([]);
      const forKept = reminders.filter((r) => r.dedupeKey.includes(kept.id));
      expect(forKept.map((r) => r.userId).sort()).toEqual(residents.map((r) => r.id).sort());
      expect(new Set(forKept.map((r) => r.title))).toEqual(new Set(["活动一小时后开始"]));
      expect(reminders).toHaveLength(residents.length);
      // The cancelled activity's registrants heard about the cancellation instead.
      expect(await db().notification.count({ where: { kind: "activity.cancelled" } })).toBe(residents.length);
    },
    60_000,
  );
});

/** Holds the daily figures (SHARE: readable, not writable) so a count stops before writing them. */
async function holdDailyFigures() {
  const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await blocker.connect();
  await blocker.query("BEGIN");
  await blocker.query('LOCK TABLE "TerritoryDailyStat" IN SHARE MODE');
  return blocker;
}

/** Until the worker's count waits on the held daily figures. The worker's statistics recount, which
 * runs as soon as it starts, waits on them as well: two waiting statements mean the count is there.
 * The wait includes the worker's start, which takes long on two cores shared with other files. */
const waitingOnDailyFigures = (worker: Spawned) =>
  waitFor(
    "a count to wait on the daily figures",
    async () => {
      const [row] = await db().$queryRaw<{ waiting: number }[]>`
        SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%TerritoryDailyStat%'`;
      return (row?.waiting ?? 0) >= 2 ? true : undefined;
    },
    worker,
    60_000,
  );

/** Short locks, so a killed worker's job is taken up again within seconds. */
const FAST_RECOVERY = { WORKER_LOCK_MS: "2000", WORKER_STALLED_MS: "1000" };

describe("a worker killed between finishing an activity and counting it", () => {
  it.runIf(todays())(
    "the next worker counts it all the same",
    async () => {
      const now = Date.now();
      const { activity } = await createActivity(
        staff,
        baseActivity(new Date(now + 2000), new Date(now + 3000)),
      );
      const residents = await Promise.all([1, 2].map(() => createResident(db(), fx.communities.a1.id)));
      for (const resident of residents) {
        const registration = await registerForActivity(await actorOf(resident), activity.id, {});
        await checkIn(staff, activity.id, registration.checkInCode ?? "");
      }
      const day = chinaDay(new Date(activity.startsAt));

      const blocker = await holdDailyFigures();
      try {
        const first = spawnQuietWorker(FAST_RECOVERY);
        await waitingOnDailyFigures(first);
        // FINISHED has committed; its count stopped before the community's day.
        expect(await statusOf(activity.id)).toBe("FINISHED");
        await stopProcess(first, "SIGKILL");
        await blocker.query("COMMIT");
      } finally {
        await blocker.end();
      }
      expect(await dayOf(fx.communities.a1.id, day)).toBeNull();

      const second = spawnQuietWorker(FAST_RECOVERY);
      const expected = await recountDay([activity.id]);
      await waitFor(
        "the day to be counted",
        async () =>
          JSON.stringify(await dayOf(fx.communities.a1.id, day)) === JSON.stringify(expected)
            ? true
            : undefined,
        second,
        30_000,
      );
      expect(await tallyOf(activity.id)).toEqual(await recountActivity(activity.id));
      expect(await transitions(activity.id, "activity.finish")).toHaveLength(1);
    },
    60_000,
  );
});

describe("recounts at the same moment", () => {
  it("two activities of one community and day counted at once both succeed, and the day has both", async () => {
    const activity = (hour: number, walkIns: number) =>
      db().activity.create({
        data: {
          title: "同日活动",
          description: "同一社区同一天的两场活动。",
          category: "culture",
          communityId: fx.communities.a1.id,
          venue: "社区广场",
          startsAt: new Date(Date.UTC(2026, 2, 1, hour)),
          endsAt: new Date(Date.UTC(2026, 2, 1, hour + 1)),
          capacity: 10,
          status: "FINISHED",
          createdById: fx.users.workerA1.id,
          walkIns,
        },
      });
    const [x, y] = [await activity(2, 4), await activity(5, 6)];
    for (let round = 0; round < 10; round++) {
      const results = await Promise.allSettled([
        recomputeActivityFigures(x.id),
        recomputeActivityFigures(y.id),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    }
    expect(await dayOf(fx.communities.a1.id, new Date("2026-03-01"))).toEqual(await recountDay([x.id, y.id]));
  });
});

describe("a worker killed in the middle of a tally", () => {
  const REGISTRATIONS = 100_000;

  it.runIf(todays())(
    "leaves the previous figures, and the next worker recounts them exactly",
    async () => {
      const communityId = fx.communities.a1.id;
      // Two finished activities on one China day two days ago: 10:00–12:00 and 14:00–15:00.
      const day = chinaDay(new Date(Date.now() - 2 * 24 * 3600_000));
      const at = (hours: number) => new Date(day.getTime() + (hours - 8) * 3600_000);
      const activity = (title: string, starts: number, ends: number, walkIns: number) =>
        db().activity.create({
          data: {
            title,
            description: "测试用的已结束活动。",
            category: "culture",
            communityId,
            venue: "社区广场",
            startsAt: at(starts),
            endsAt: at(ends),
            capacity: REGISTRATIONS,
            status: "FINISHED",
            createdById: fx.users.workerA1.id,
            walkIns,
          },
        });
      const big = await activity("万人广场舞", 10, 12, 17);
      const small = await activity("长者书法课", 14, 15, 3);

      // 100k residents and their registrations, each in one statement: 80 % seated, 10 % waitlisted,
      // 10 % cancelled; a third of the seated checked in.
      await db().$executeRaw`
      INSERT INTO "User" (id, phone, "passwordHash", name, "communityId", "updatedAt")
      SELECT 'bulkuser' || lpad(i::text, 6, '0'), '170' || lpad(i::text, 8, '0'), 'x', '居民' || i, ${communityId}, now()
      FROM generate_series(1, ${REGISTRATIONS}) AS i`;
      await db().$executeRaw`
      INSERT INTO "Registration" (id, "activityId", "userId", status, "checkInCode", "checkedInAt", "updatedAt")
      SELECT 'bulkreg' || lpad(i::text, 6, '0'), ${big.id}, 'bulkuser' || lpad(i::text, 6, '0'),
        (CASE i % 10 WHEN 0 THEN 'WAITLISTED' WHEN 1 THEN 'CANCELLED' ELSE 'REGISTERED' END)::"RegistrationStatus",
        lpad((i - 1)::text, 6, '0'),
        CASE WHEN i % 10 >= 2 AND i % 3 = 0 THEN ${big.startsAt}::timestamp + interval '5 minutes' END,
        now()
      FROM generate_series(1, ${REGISTRATIONS}) AS i`;
      // The small one: 50 of the same people, all checked in (unique persons count them once).
      await db().$executeRaw`
      INSERT INTO "Registration" (id, "activityId", "userId", status, "checkInCode", "checkedInAt", "updatedAt")
      SELECT 'smallreg' || lpad(i::text, 6, '0'), ${small.id}, 'bulkuser' || lpad(i::text, 6, '0'),
        'REGISTERED', lpad(i::text, 6, '0'), ${small.startsAt}::timestamp + interval '1 minute', now()
      FROM generate_series(1, 50) AS i`;
      // As after any bulk load: without fresh statistics the planner may still believe these tables
      // hold what an earlier test left (or nothing), and pick plans fit for that; autovacuum gets to
      // them only seconds later, so the test's timing would depend on it.
      await db().$executeRaw`ANALYZE "User", "Registration"`;
      await recomputeActivityFigures(big.id);
      await recomputeActivityFigures(small.id);

      // Late check-ins and walk-ins after it finished: the figures are stale until recounted.
      await db().$executeRaw`
      UPDATE "Registration" SET "checkedInAt" = ${big.endsAt}::timestamp
      WHERE "activityId" = ${big.id} AND status = 'REGISTERED' AND "checkedInAt" IS NULL AND id LIKE '%7'`;
      await db().activity.update({ where: { id: big.id }, data: { walkIns: 40 } });
      const before = await dayOf(communityId, day);
      const expectedTally = await recountActivity(big.id);
      const expectedDay = await recountDay([big.id, small.id]);
      expect(expectedTally.checkedIn).toBeGreaterThan(26_000);
      expect(before?.checkedIn).toBeLessThan(expectedDay.checkedIn);
      // The attendance event, exactly as the domain writes it (registrations.server.ts).
      const event = await db().outboxEvent.create({
        data: { topic: "activity.attendance", aggregateType: "Activity", aggregateId: big.id, version: 1 },
      });
      const jobId = `activity.attendance-${event.id}`;

      // Hold the daily figures so the tally stops halfway, after its first statement.
      const blocker = await holdDailyFigures();
      try {
        const first = spawnQuietWorker(FAST_RECOVERY);
        await waitingOnDailyFigures(first);
        expect((await jobState(jobId, statisticsQueue))?.state).toBe("active");
        await stopProcess(first, "SIGKILL");
        await blocker.query("COMMIT");

        // Halfway: the tally's own statement had committed, the day's transaction died with the worker.
        expect(await tallyOf(big.id)).toEqual(expectedTally);
        expect(await dayOf(communityId, day)).toEqual(before);

        const killedAt = Date.now();
        const second = spawnQuietWorker(FAST_RECOVERY);
        const done = await waitFor(
          "the stalled tally to be taken up and finished",
          async () => {
            const found = await jobState(jobId, statisticsQueue);
            return found?.state === "completed" ? found : undefined;
          },
          second,
          30_000,
        );
        console.log(
          `killed tally recovered ${Date.now() - killedAt} ms after the kill (stalled ${done.job.stalledCounter} time(s), attempts ${done.job.attemptsMade})`,
        );
        expect(done.job.returnvalue).toEqual({ personTimes: expectedTally.personTimes });
        await stopProcess(second);
      } finally {
        await blocker.end();
      }

      // Exactly the recount: nothing counted twice.
      expect(await tallyOf(big.id)).toEqual(expectedTally);
      expect(await tallyOf(small.id)).toEqual(await recountActivity(small.id));
      expect(await dayOf(communityId, day)).toEqual(expectedDay);
      expect(await db().activityTally.count()).toBe(2);
      const allTime = { from: new Date("2000-01-01"), to: new Date("2100-01-01") };
      expect(await communityActivityDays(communityId, allTime)).toHaveLength(1);
    },
    90_000,
  );
});
