import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "~/domain/accounts/actor";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { createActivity } from "~/domain/activities/activities.server";
import { checkIn, setWalkIns } from "~/domain/activities/check-in.server";
import { registerForActivity } from "~/domain/activities/registrations.server";
import { getProject } from "~/domain/projects/projects.server";
import { chinaDay, DAY_MS } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { createResident, createTerritoryFixture } from "../../prisma/factories";
import { createProvider } from "../../prisma/factories/marketplace";
import { createProjectRow } from "../../prisma/factories/projects";
import { killAllProcesses, spawnQuietWorker, waitFor, workerStarted } from "../setup/processes";
import { todaysShareOf } from "../setup/sweeps";

// Issue 18's first invariant with the real worker process: once an activity of a project finishes,
// its figures are in the project's progress within 5 seconds, through the same path that counts
// them into the statistics (the finish step → outbox → the statistics queue's tally).

// Each test starts processes of its own: npm test runs today's third of them, test:full all.
const todays = todaysShareOf("projects-worker");

afterEach(killAllProcesses);
afterAll(killAllProcesses);

async function actorOf(user: { id: string }): Promise<Actor> {
  const actor = await actorForToken((await startSession(user.id, "API")).token);
  if (!actor) throw new Error("no actor");
  return actor;
}

let fx: Awaited<ReturnType<typeof createTerritoryFixture>>;
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

describe("a project's progress after one of its activities finishes", () => {
  it.runIf(todays())(
    "has the activity's figures within 5 seconds of the finish",
    async () => {
      const worker = spawnQuietWorker();
      await workerStarted(worker);

      const provider = await createProvider(db(), { communityIds: [fx.communities.a1.id] });
      const today = chinaDay(new Date());
      const project = await createProjectRow(db(), {
        purchaser: {
          id: fx.communities.a1.id,
          level: "COMMUNITY",
          subdistrictId: fx.subdistricts.a.id,
          districtId: fx.district.id,
        },
        providerId: provider.id,
        createdById: fx.users.workerA1.id,
        startsOn: new Date(today.getTime() - 10 * DAY_MS),
        endsOn: new Date(today.getTime() + 10 * DAY_MS),
        targets: { activitiesHeld: 4, personTimes: 40, uniquePersons: 20 },
      });
      const staff = await actorOf(fx.users.workerA1);
      const now = Date.now();
      const { activity } = await createActivity(staff, {
        title: "社区长者健康讲座",
        description: "请社区医生讲讲冬季常见病的预防。",
        communityId: fx.communities.a1.id,
        venue: "社区活动中心二楼",
        startsAt: new Date(now + 3000),
        endsAt: new Date(now + 6000),
        capacity: 50,
        publish: true,
        projectId: project.id,
      });
      const residents = await Promise.all([1, 2].map(() => createResident(db(), fx.communities.a1.id)));
      for (const resident of residents) {
        const registration = await registerForActivity(await actorOf(resident), activity.id, {});
        await checkIn(staff, activity.id, registration.checkInCode ?? "");
      }
      await setWalkIns(staff, activity.id, 3);
      expect((await getProject(null, project.id)).progress.actual.activitiesHeld).toBe(0);

      const finishedAt = await waitFor(
        "the activity to finish",
        async () =>
          (
            await db().auditLog.findFirst({
              where: { targetId: activity.id, action: "activity.finish" },
              select: { createdAt: true },
            })
          )?.createdAt,
        worker,
        30_000,
      );
      // The bound is the promise, counted from the finish step's own record.
      const counted = await waitFor(
        "the figures in the project's progress",
        async () => {
          const { progress } = await getProject(null, project.id);
          return progress.actual.activitiesHeld === 1 ? { progress, at: Date.now() } : undefined;
        },
        worker,
        Math.max(0, finishedAt.getTime() + 5000 - Date.now()),
      );
      expect(counted.progress.actual).toMatchObject({ activitiesHeld: 1, personTimes: 5, uniquePersons: 2 });
      expect(counted.at - finishedAt.getTime()).toBeLessThanOrEqual(5000);
    },
    60_000,
  );
});
