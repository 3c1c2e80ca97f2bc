import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recomputeActivityFigures } from "~/domain/activities/tallies.server";
import { chinaDay, DAY_MS, isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createHeldActivity } from "../factories/activities";
import { keptFixture } from "../setup/kept-fixtures";
import { sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Government-purchased service projects through the API (issue 18, ADR 0026): who creates, edits,
// links, evaluates and reads the report; validation with field errors and nothing written; progress
// counted from the tallies and check-in rows the statistics use.

let server: TestServer;
let fx: TerritoryFixture;
let token: Record<string, string> = {};
let id: Record<string, string> = {};
const HOUR = 3600 * 1000;
const today = chinaDay(new Date());
const day = (offset: number) => isoDay(new Date(today.getTime() + offset * DAY_MS));

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** What every test starts from: made once, put back from its rows for every later test. */
const world = keptFixture(async () => {
  fx = await createTerritoryFixture(db());
  const owner = await createResident(db(), fx.communities.a1.id);
  const workerB1 = await createUser(db(), {
    roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
  });
  const outsider = await createResident(db(), fx.communities.b1.id);
  const provider = await createProvider(db(), {
    name: "阳光社工服务中心",
    communityIds: [fx.communities.a1.id, fx.communities.a2.id, fx.communities.b1.id],
    members: [{ userId: owner.id }],
  });
  const merchant = await createProvider(db(), { kind: "MERCHANT", communityIds: [fx.communities.a1.id] });
  const pending = await createProvider(db(), { status: "PENDING", communityIds: [fx.communities.a1.id] });
  const bought = await createService(db(), {
    providerId: provider.id,
    communityIds: [fx.communities.a1.id],
    funding: "GOVERNMENT_PURCHASED",
  });
  const free = await createService(db(), {
    providerId: provider.id,
    communityIds: [fx.communities.a1.id],
    funding: "FREE",
  });
  const users = { ...fx.users, owner, workerB1, outsider };
  for (const [key, user] of Object.entries(users)) {
    token[key] = await tokenFor(user.id);
    id[key] = user.id;
  }
  Object.assign(id, {
    provider: provider.id,
    merchant: merchant.id,
    pending: pending.id,
    bought: bought.id,
    free: free.id,
  });
  return { fx, token, id };
});
beforeEach(async () => {
  ({ fx, token, id } = await world());
});

const post = (path: string, who: string | undefined, json: unknown = {}) =>
  server.json(path, { method: "POST", json, token: who ? token[who] : undefined });
const patch = (path: string, who: string | undefined, json: unknown = {}) =>
  server.json(path, { method: "PATCH", json, token: who ? token[who] : undefined });
const get = (path: string, who?: string) => server.json(path, { token: who ? token[who] : undefined });

const projectInput = (overrides: Record<string, unknown> = {}) => ({
  title: "东湖街道居家养老服务项目",
  purchaserId: fx.subdistricts.a.id,
  providerId: id.provider,
  budgetFen: 12_000_000,
  startsOn: day(-30),
  endsOn: day(29),
  description: "为街道内老年人提供上门探访、助餐和健康讲座。",
  targets: { activitiesHeld: 10, personTimes: 200, uniquePersons: 50, needsFulfilled: 4, averageRating: 4.5 },
  serviceIds: [id.bought],
  ...overrides,
});

async function created(overrides: Record<string, unknown> = {}, who = "subdistrictAdminA") {
  const res = await post("/api/v1/projects", who, projectInput(overrides));
  expect(res.status).toBe(201);
  return res.body.project.id as string;
}

/** A finished, tallied activity of the project (as the worker leaves it) in a community. */
async function heldFor(
  projectId: string,
  values: { communityId?: string; daysAgo: number; attendees: string[]; walkIns?: number },
) {
  const activity = await createHeldActivity(db(), {
    communityId: values.communityId ?? fx.communities.a1.id,
    createdById: fx.users.workerA1.id,
    startsAt: new Date(today.getTime() - values.daysAgo * DAY_MS + 2 * HOUR),
    walkIns: values.walkIns ?? 0,
    attendees: values.attendees.map((userId) => ({ userId, checkedIn: true })),
  });
  await db().activity.update({ where: { id: activity.id }, data: { projectId } });
  await recomputeActivityFigures(activity.id);
  return activity.id;
}

/** A need of the requester fulfilled at a moment through an accepted match to a service. */
async function fulfilledThrough(serviceId: string, requesterId: string, fulfilledAt: Date, rating: number) {
  const need = await createNeed(db(), { requesterId, communityId: fx.communities.a1.id });
  await db().match.create({
    data: {
      needId: need.id,
      serviceId,
      providerId: id.provider ?? "",
      status: "ACCEPTED",
      proposedBy: "STAFF",
      proposedById: fx.users.workerA1.id,
    },
  });
  await db().need.update({ where: { id: need.id }, data: { status: "FULFILLED", fulfilledAt, rating } });
}

/** A new activity in A1 tomorrow, counted toward the project. */
const activityInput = (projectId: string, overrides: Record<string, unknown> = {}) => ({
  title: "重阳节敬老茶话会",
  description: "社区老人一起喝茶聊天，还有义诊和理发。",
  communityId: fx.communities.a1.id,
  venue: "社区党群服务中心二楼",
  startsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
  endsAt: new Date(Date.now() + 26 * HOUR).toISOString(),
  capacity: 20,
  projectId,
  ...overrides,
});

describe("creating a project", () => {
  it("staff whose scope covers the purchaser create it; it is audited and public", async () => {
    const res = await post("/api/v1/projects", "subdistrictAdminA", projectInput());
    expect(res.status).toBe(201);
    expect(res.body.project).toMatchObject({
      title: "东湖街道居家养老服务项目",
      purchaserId: fx.subdistricts.a.id,
      purchaserLevel: "SUBDISTRICT",
      providerName: "阳光社工服务中心",
      budgetFen: 12_000_000,
      startsOn: day(-30),
      endsOn: day(29),
      status: "ACTIVE",
      statusLabel: "执行中",
      targets: {
        activitiesHeld: 10,
        personTimes: 200,
        uniquePersons: 50,
        needsFulfilled: 4,
        averageRating: 4.5,
      },
      serviceIds: [id.bought],
    });
    const projectId = res.body.project.id;
    const audit = await db().auditLog.findMany({ where: { targetType: "Project", targetId: projectId } });
    expect(audit.map((a) => a.action)).toEqual(["project.create"]);
    const anonymous = await get(`/api/v1/projects/${projectId}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.project.budgetFen).toBe(12_000_000);
    expect(anonymous.body.progress.target.personTimes).toBe(200);
  });

  it("refuses staff outside the purchaser's scope, residents, providers and strangers; nothing is written", async () => {
    expect((await post("/api/v1/projects", "workerA1", projectInput())).status).toBe(403);
    expect(
      (await post("/api/v1/projects", "workerB1", projectInput({ purchaserId: fx.communities.a1.id })))
        .status,
    ).toBe(403);
    expect((await post("/api/v1/projects", "owner", projectInput())).status).toBe(403);
    expect((await post("/api/v1/projects", "residentA1", projectInput())).status).toBe(403);
    expect((await post("/api/v1/projects", undefined, projectInput())).status).toBe(401);
    // A community worker buys for the community only.
    expect(
      (await post("/api/v1/projects", "workerA1", projectInput({ purchaserId: fx.communities.a1.id })))
        .status,
    ).toBe(201);
    expect(await db().project.count()).toBe(1);
  });

  it.each([
    ["budgetFen", { budgetFen: -1 }],
    ["budgetFen", { budgetFen: 12.5 }],
    ["budgetFen", { budgetFen: 1_000_000_001 }],
    ["budgetFen", { budgetFen: "0x10" }],
    ["endsOn", { startsOn: day(10), endsOn: day(9) }],
    ["startsOn", { startsOn: "2026-02-29" }],
    ["targets.personTimes", { targets: { personTimes: -5 } }],
    ["targets.averageRating", { targets: { averageRating: 5.5 } }],
    ["targets", { targets: { budget: 3 } }],
    ["title", { title: "" }],
    ["providerId", { providerId: "nonexistent" }],
    ["providerId", { providerId: "MERCHANT" }],
    ["providerId", { providerId: "PENDING" }],
    ["purchaserId", { purchaserId: "nowhere" }],
    ["serviceIds", { serviceIds: ["FREE"] }],
  ])("names the field %s in Chinese and writes nothing", async (field, overrides) => {
    const resolved = Object.fromEntries(
      Object.entries(overrides).map(([key, value]) => [
        key,
        value === "MERCHANT"
          ? id.merchant
          : value === "PENDING"
            ? id.pending
            : Array.isArray(value) && value[0] === "FREE"
              ? [id.free]
              : value,
      ]),
    );
    const res = await post("/api/v1/projects", "districtAdmin", projectInput(resolved));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION");
    expect(res.body.error.fields[field]).toMatch(/[\u4e00-\u9fff]/);
    expect(await db().project.count()).toBe(0);
    expect(await db().auditLog.count({ where: { targetType: "Project" } })).toBe(0);
  });
});

describe("editing and ending", () => {
  it("staff in scope edit while it runs (audited with the values before); others may not", async () => {
    const projectId = await created();
    const res = await patch(`/api/v1/projects/${projectId}`, "subdistrictAdminA", {
      budgetFen: 15_000_000,
      targets: { activitiesHeld: 12 },
    });
    expect(res.status).toBe(200);
    expect(res.body.project.budgetFen).toBe(15_000_000);
    expect(res.body.project.targets).toMatchObject({ activitiesHeld: 12, personTimes: null });
    expect((await patch(`/api/v1/projects/${projectId}`, "owner", { budgetFen: 1 })).status).toBe(403);
    expect((await patch(`/api/v1/projects/${projectId}`, "workerB1", { budgetFen: 1 })).status).toBe(403);
    const bad = await patch(`/api/v1/projects/${projectId}`, "subdistrictAdminA", { endsOn: day(-31) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.endsOn).toEqual(expect.any(String));
    const audit = await db().auditLog.findFirstOrThrow({
      where: { targetId: projectId, action: "project.update" },
    });
    expect(audit.data).toMatchObject({ before: { budgetFen: 12_000_000 }, budgetFen: 15_000_000 });
  });

  it("ends early with a reason; then nothing changes it", async () => {
    const projectId = await created();
    expect(
      (await post(`/api/v1/projects/${projectId}/end`, "subdistrictAdminA", {})).body.error.fields.reason,
    ).toEqual(expect.any(String));
    const res = await post(`/api/v1/projects/${projectId}/end`, "subdistrictAdminA", {
      reason: "承接机构人员变动，双方协商终止",
    });
    expect(res.status).toBe(200);
    expect(res.body.project).toMatchObject({ status: "ENDED", endReason: "承接机构人员变动，双方协商终止" });
    expect((await patch(`/api/v1/projects/${projectId}`, "subdistrictAdminA", { budgetFen: 1 })).status).toBe(
      409,
    );
    expect(
      (await post(`/api/v1/projects/${projectId}/end`, "subdistrictAdminA", { reason: "再次终止试试" }))
        .status,
    ).toBe(409);
  });
});

describe("progress: one counting path with the statistics", () => {
  it("counts finished, tallied activities; unique persons are distinct over the period, not a sum of days", async () => {
    const projectId = await created();
    const residents = await Promise.all([1, 2, 3].map(() => createResident(db(), fx.communities.a1.id)));
    const [r1, r2, r3] = residents.map((r) => r.id) as [string, string, string];
    await heldFor(projectId, { daysAgo: 20, attendees: [r1, r2], walkIns: 3 });
    await heldFor(projectId, { daysAgo: 10, attendees: [r1, r3], communityId: fx.communities.a2.id });
    await heldFor(projectId, { daysAgo: 2, attendees: [r1] });
    // Before the period, and not yet tallied: neither counts.
    await heldFor(projectId, { daysAgo: 40, attendees: [r2] });
    const untallied = await createHeldActivity(db(), {
      communityId: fx.communities.a1.id,
      createdById: fx.users.workerA1.id,
      startsAt: new Date(today.getTime() - 5 * DAY_MS),
      attendees: [{ userId: r2, checkedIn: true }],
    });
    await db().activity.update({ where: { id: untallied.id }, data: { projectId } });

    const { body } = await get(`/api/v1/projects/${projectId}`);
    expect(body.progress.actual).toMatchObject({ activitiesHeld: 3, personTimes: 8, uniquePersons: 3 });
    // Linear over the 60 days: 31 days elapsed (today included) → floor(target × 31/60).
    expect(body.progress.expectedByNow).toMatchObject({
      activitiesHeld: 5,
      personTimes: 103,
      uniquePersons: 25,
    });
    expect(body.progress.onTrack).toMatchObject({
      activitiesHeld: false,
      personTimes: false,
      uniquePersons: false,
    });

    // Once the untallied one is counted (the worker's step), it is in the progress too.
    await recomputeActivityFigures(untallied.id);
    const after = await get(`/api/v1/projects/${projectId}`);
    expect(after.body.progress.actual).toMatchObject({ activitiesHeld: 4, personTimes: 9, uniquePersons: 3 });
  });

  it("counts needs fulfilled through a match to a service bought under the project, with their ratings", async () => {
    const projectId = await created({ targets: { needsFulfilled: 2, averageRating: 4 } });
    const requester = await createResident(db(), fx.communities.a1.id);
    for (const [rating, service] of [
      [5, id.bought],
      [3, id.bought],
      [1, id.free],
    ] as const) {
      await fulfilledThrough(service ?? "", requester.id, new Date(), rating);
    }
    const { body } = await get(`/api/v1/projects/${projectId}`);
    expect(body.progress.actual).toMatchObject({ needsFulfilled: 2, averageRating: 4 });
    expect(body.progress.onTrack).toMatchObject({ needsFulfilled: true, averageRating: true });
  });

  it("stops counting where the project closed: nothing held or fulfilled after it changes its figures", async () => {
    const projectId = await created({ serviceIds: [id.bought] });
    const resident = await createResident(db(), fx.communities.a1.id);
    await heldFor(projectId, { daysAgo: 10, attendees: [resident.id], walkIns: 1 });
    const afterwards = await createResident(db(), fx.communities.a1.id);
    await heldFor(projectId, { daysAgo: 2, attendees: [afterwards.id], walkIns: 5 });
    await fulfilledThrough(id.bought ?? "", resident.id, new Date(today.getTime() - DAY_MS), 5);
    expect((await get(`/api/v1/projects/${projectId}`)).body.progress.actual).toMatchObject({
      activitiesHeld: 2,
      needsFulfilled: 1,
    });
    // Ended early five days ago (the date a real end would have stamped then).
    await post(`/api/v1/projects/${projectId}/end`, "subdistrictAdminA", {
      reason: "承接机构人员变动，协商终止",
    });
    await db().project.update({
      where: { id: projectId },
      data: { endedAt: new Date(today.getTime() - 5 * DAY_MS) },
    });
    const { body } = await get(`/api/v1/projects/${projectId}`);
    expect(body.progress.actual).toMatchObject({
      activitiesHeld: 1,
      personTimes: 2,
      uniquePersons: 1,
      needsFulfilled: 0,
      averageRating: null,
    });
    const report = await get(`/api/v1/projects/${projectId}/report`, "subdistrictAdminA");
    expect(report.body.activities).toHaveLength(1);
    expect(report.body.months.reduce((sum: number, m: { held: number }) => sum + m.held, 0)).toBe(1);
  });

  it("a project on pace is on track", async () => {
    const projectId = await created({ targets: { activitiesHeld: 2 } });
    const resident = await createResident(db(), fx.communities.a1.id);
    await heldFor(projectId, { daysAgo: 3, attendees: [resident.id] });
    const { body } = await get(`/api/v1/projects/${projectId}`);
    expect(body.progress.expectedByNow.activitiesHeld).toBe(1);
    expect(body.progress.onTrack).toEqual({ activitiesHeld: true });
  });

  it("lists by territory (the purchaser or under it), provider and status, each with its progress", async () => {
    await created();
    await created({ purchaserId: fx.communities.a1.id, title: "映月社区四点半课堂项目" }, "workerA1");
    await created({ purchaserId: fx.subdistricts.b.id, title: "西城街道助餐项目" }, "districtAdmin");
    const underA = await get(`/api/v1/projects?purchaserId=${fx.subdistricts.a.id}`);
    expect(underA.body.total).toBe(2);
    expect(underA.body.items[0].progress.target).toBeDefined();
    expect((await get(`/api/v1/projects?purchaserId=${fx.district.id}`)).body.total).toBe(3);
    expect((await get(`/api/v1/projects?purchaserId=${fx.communities.a1.id}`)).body.total).toBe(1);
    expect((await get("/api/v1/projects?status=COMPLETED")).body.total).toBe(0);
    const bad = await get("/api/v1/projects?status=DONE");
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.status).toEqual(expect.any(String));
  });
});

describe("conflicts of interest and the trail", () => {
  it("staff who belong to the provider neither create, edit, end nor evaluate its project", async () => {
    const projectId = await created();
    // The subdistrict admin becomes a member of the provider; the district admin buys, it may not.
    await db().providerMember.create({
      data: { providerId: id.provider ?? "", userId: id.subdistrictAdminA ?? "", role: "MEMBER" },
    });
    const before = await db().project.findUniqueOrThrow({ where: { id: projectId } });
    expect((await post("/api/v1/projects", "subdistrictAdminA", projectInput())).status).toBe(403);
    const lowered = await patch(`/api/v1/projects/${projectId}`, "subdistrictAdminA", {
      targets: { activitiesHeld: 1 },
    });
    expect(lowered.status).toBe(403);
    expect(lowered.body.error.code).toBe("FORBIDDEN");
    expect(
      (await post(`/api/v1/projects/${projectId}/end`, "subdistrictAdminA", { reason: "不想做了" })).status,
    ).toBe(403);
    const selfScore = await post(`/api/v1/projects/${projectId}/evaluations`, "subdistrictAdminA", {
      stage: "MIDTERM",
      scores: [{ indicator: "服务成效", score: 40, max: 40 }],
      comment: "自评满分。",
    });
    expect(selfScore.status).toBe(403);
    expect(await db().project.findUniqueOrThrow({ where: { id: projectId } })).toEqual(before);
    expect(await db().projectEvaluation.count()).toBe(0);
    // Another provider's project stays theirs to buy.
    const other = await createProvider(db(), { communityIds: [fx.communities.a1.id] });
    expect(
      (
        await post(
          "/api/v1/projects",
          "subdistrictAdminA",
          projectInput({ providerId: other.id, serviceIds: [] }),
        )
      ).status,
    ).toBe(201);
  });

  it("an activity another provider organises never counts toward the project", async () => {
    const projectId = await created();
    const other = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      members: [{ userId: id.owner ?? "" }],
    });
    const before = await db().activity.count();
    // Even the project's own provider's owner, organising for the other provider it also runs.
    const res = await post(
      "/api/v1/activities",
      "owner",
      activityInput(projectId, { organiserProviderId: other.id }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.fields.projectId).toBe("其他机构组织的活动不能计入该项目");
    expect(await db().activity.count()).toBe(before);
  });

  it("the trail keeps the services bought before and after, and the reason for ending", async () => {
    const projectId = await created();
    expect(
      (await patch(`/api/v1/projects/${projectId}`, "subdistrictAdminA", { serviceIds: [] })).status,
    ).toBe(200);
    const update = await db().auditLog.findFirstOrThrow({
      where: { targetId: projectId, action: "project.update" },
    });
    expect(update.data).toMatchObject({
      before: { serviceIds: [id.bought] },
      changed: ["serviceIds"],
      serviceIds: [],
    });
    await post(`/api/v1/projects/${projectId}/end`, "subdistrictAdminA", {
      reason: "承接机构注销，协商终止",
    });
    const end = await db().auditLog.findFirstOrThrow({
      where: { targetId: projectId, action: "project.end" },
    });
    expect(end.data).toEqual({ reason: "承接机构注销，协商终止" });
  });
});

describe("linking activities", () => {
  it("the provider and staff in the purchaser's scope link; inside the territory and period only", async () => {
    const projectId = await created();
    const own = await post(
      "/api/v1/activities",
      "owner",
      activityInput(projectId, { organiserProviderId: id.provider }),
    );
    expect(own.status).toBe(201);
    const staff = await post("/api/v1/activities", "subdistrictAdminA", activityInput(projectId));
    expect(staff.status).toBe(201);
    const linked = await db().activity.findMany({ where: { projectId }, select: { id: true } });
    expect(linked).toHaveLength(2);

    const before = await db().activity.count();
    const outside = await post(
      "/api/v1/activities",
      "owner",
      activityInput(projectId, { organiserProviderId: id.provider, communityId: fx.communities.b1.id }),
    );
    expect(outside.status).toBe(400);
    expect(outside.body.error.fields.projectId).toContain("辖区");
    const late = await post(
      "/api/v1/activities",
      "subdistrictAdminA",
      activityInput(projectId, {
        startsAt: new Date(Date.now() + 40 * DAY_MS).toISOString(),
        endsAt: new Date(Date.now() + 40 * DAY_MS + 2 * HOUR).toISOString(),
      }),
    );
    expect(late.status).toBe(400);
    expect(late.body.error.fields.projectId).toContain("周期");
    // Staff below the purchaser (a community worker of a subdistrict's project) or elsewhere may not.
    expect((await post("/api/v1/activities", "workerA1", activityInput(projectId))).status).toBe(403);
    const foreign = await post(
      "/api/v1/activities",
      "workerB1",
      activityInput(projectId, { communityId: fx.communities.b1.id }),
    );
    expect(foreign.status).toBe(403);
    const missing = await post("/api/v1/activities", "subdistrictAdminA", activityInput("no-such-project"));
    expect(missing.status).toBe(400);
    expect(await db().activity.count()).toBe(before);
  });
});

describe("evaluations", () => {
  const scores = [
    { indicator: "服务成效", score: 36, max: 40 },
    { indicator: "项目管理", score: 18, max: 20 },
    { indicator: "居民满意度", score: 22, max: 25 },
    { indicator: "财务规范", score: 14, max: 15 },
  ];

  it("staff in scope record a mid-term and a final one; the final completes the project", async () => {
    const projectId = await created();
    const mid = await post(`/api/v1/projects/${projectId}/evaluations`, "subdistrictAdminA", {
      stage: "MIDTERM",
      scores,
      comment: "进度基本符合合同约定。",
    });
    expect(mid.status).toBe(201);
    expect(mid.body.evaluation).toMatchObject({ stage: "MIDTERM", total: 90, totalMax: 100 });
    expect(
      (
        await post(`/api/v1/projects/${projectId}/evaluations`, "subdistrictAdminA", {
          stage: "MIDTERM",
          scores,
          comment: "再评一次。",
        })
      ).status,
    ).toBe(409);
    const final = await post(`/api/v1/projects/${projectId}/evaluations`, "districtAdmin", {
      stage: "FINAL",
      scores,
      comment: "同意结项验收。",
    });
    expect(final.status).toBe(201);
    expect((await get(`/api/v1/projects/${projectId}`)).body.project.status).toBe("COMPLETED");
    const actions = (
      await db().auditLog.findMany({ where: { targetId: projectId }, orderBy: { createdAt: "asc" } })
    ).map((a) => a.action);
    expect(actions).toEqual(["project.create", "project.evaluate", "project.evaluate"]);
  });

  it("the provider cannot evaluate itself, nor can staff outside the scope; bad scores name the field", async () => {
    const projectId = await created();
    const body = { stage: "MIDTERM", scores, comment: "自评优秀。" };
    expect((await post(`/api/v1/projects/${projectId}/evaluations`, "owner", body)).status).toBe(403);
    expect((await post(`/api/v1/projects/${projectId}/evaluations`, "workerB1", body)).status).toBe(403);
    expect((await post(`/api/v1/projects/${projectId}/evaluations`, undefined, body)).status).toBe(401);
    const over = await post(`/api/v1/projects/${projectId}/evaluations`, "subdistrictAdminA", {
      ...body,
      scores: [{ indicator: "服务成效", score: 50, max: 40 }],
    });
    expect(over.status).toBe(400);
    expect(over.body.error.fields["scores.0.score"]).toBe("得分不能高于满分");
    const stage = await post(`/api/v1/projects/${projectId}/evaluations`, "subdistrictAdminA", {
      ...body,
      stage: "LATER",
    });
    expect(stage.body.error.fields.stage).toEqual(expect.any(String));
    expect(await db().projectEvaluation.count()).toBe(0);
  });
});

describe("the 结项 report", () => {
  it("staff in scope and the provider's people read it (JSON and XLSX); it holds no personal data", async () => {
    const projectId = await created();
    const resident = await createResident(db(), fx.communities.a1.id, { name: "王秀英" });
    await heldFor(projectId, { daysAgo: 5, attendees: [resident.id], walkIns: 2 });
    const res = await get(`/api/v1/projects/${projectId}/report`, "subdistrictAdminA");
    expect(res.status).toBe(200);
    expect(res.body.activities).toEqual([
      expect.objectContaining({ registered: 1, checkedIn: 1, walkIns: 2, personTimes: 3 }),
    ]);
    expect(res.body.months).toHaveLength(1);
    expect(res.body.paragraph).toContain("开展活动1场次");
    const text = JSON.stringify(res.body);
    expect(text).not.toContain("王秀英");
    expect(text).not.toContain(resident.phone);
    expect(text).not.toContain(resident.id);
    expect((await get(`/api/v1/projects/${projectId}/report`, "owner")).status).toBe(200);
    expect((await get(`/api/v1/projects/${projectId}/report`, "workerB1")).status).toBe(403);
    expect((await get(`/api/v1/projects/${projectId}/report`, "outsider")).status).toBe(403);
    expect((await get(`/api/v1/projects/${projectId}/report`)).status).toBe(401);
    const xlsx = await server.request(`/api/v1/projects/${projectId}/report?format=xlsx`, {
      token: token.owner,
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect(String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0)).toBe("PK");
    expect((await get(`/api/v1/projects/${projectId}/report?format=pdf`, "owner")).status).toBe(400);
  });
});

describe("the pages", () => {
  it("list and show a project to anyone, with progress; the report link only to staff in scope and the provider", async () => {
    const projectId = await created();
    const list = await server.request(`/projects?purchaserId=${fx.district.id}`);
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain("东湖街道居家养老服务项目");
    expect(listHtml).toContain("共 1 个项目");
    const page = await server.request(`/projects/${projectId}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("目标进度");
    expect(html).toContain("按进度应达");
    expect(html).not.toContain("下载结项报告");
    const ownPage = await server.request(`/projects/${projectId}`, {
      headers: { cookie: await sessionCookie(server, id.owner ?? "") },
    });
    expect(await ownPage.text()).toContain("下载结项报告");
    expect((await server.request("/projects/no-such-project")).status).toBe(404);
    const bad = await server.request("/projects?status=DONE");
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain("项目状态不正确");
  });
});
