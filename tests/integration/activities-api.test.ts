import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { finishActivity, startActivity, sweepActivities } from "~/domain/activities/lifecycle.server";
import { recomputeActivityFigures, recomputeRecent } from "~/domain/activities/tallies.server";
import { communityActivityDays } from "~/domain/stats/figures.server";
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
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Activities through the API: organising, registration with capacity under concurrency and the
// waitlist, the desk, the life cycle steps, tallies and daily figures against hand counts.

let server: TestServer;
let fx: TerritoryFixture;
let token: Record<string, string> = {};
let id: Record<string, string> = {};
const HOUR = 3600 * 1000;

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
  const neighbour = await createResident(db(), fx.communities.a1.id);
  const provider = await createProvider(db(), {
    name: "阳光助老服务社",
    communityIds: [fx.communities.a1.id],
    members: [{ userId: owner.id }],
  });
  const users = { ...fx.users, owner, workerB1, neighbour };
  for (const [key, user] of Object.entries(users)) {
    token[key] = await tokenFor(user.id);
    id[key] = user.id;
  }
  id.provider = provider.id;
  return { fx, token, id };
});
beforeEach(async () => {
  ({ fx, token, id } = await world());
});

const post = (path: string, who: string | undefined, json: unknown = {}) =>
  server.json(path, { method: "POST", json, token: who ? token[who] : undefined });
const get = (path: string, who?: string) => server.json(path, { token: who ? token[who] : undefined });

const activityInput = (overrides: Record<string, unknown> = {}) => ({
  title: "重阳节敬老茶话会",
  description: "社区老人一起喝茶聊天，还有义诊和理发。",
  communityId: fx.communities.a1.id,
  venue: "社区党群服务中心二楼",
  startsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
  endsAt: new Date(Date.now() + 26 * HOUR).toISOString(),
  capacity: 2,
  publish: true,
  ...overrides,
});

async function published(overrides: Record<string, unknown> = {}) {
  const res = await post("/api/v1/activities", "workerA1", activityInput(overrides));
  expect(res.status).toBe(201);
  return res.body.activity.id as string;
}

describe("organising", () => {
  it("staff in scope create and publish; the schedule is announced through the outbox", async () => {
    const res = await post("/api/v1/activities", "workerA1", activityInput());
    expect(res.status).toBe(201);
    expect(res.body.activity).toMatchObject({
      status: "PUBLISHED",
      statusLabel: "报名中",
      capacity: 2,
      seatsLeft: 2,
    });
    expect(res.body.activity.category).toBe("other");
    expect(res.body.counts).toEqual({
      registered: 0,
      waitlisted: 0,
      checkedIn: 0,
      walkIns: 0,
      personTimes: 0,
    });
    const topics = (await db().outboxEvent.findMany({ orderBy: { id: "asc" } })).map((r) => r.topic);
    expect(topics).toEqual(["activity.changed", "activity.scheduled"]);
  });

  it("providers organise for communities they serve; others are refused and nothing is written", async () => {
    const own = await post(
      "/api/v1/activities",
      "owner",
      activityInput({ organiserProviderId: id.provider }),
    );
    expect(own.status).toBe(201);
    expect(own.body.activity.providers).toEqual([{ id: id.provider, name: "阳光助老服务社" }]);
    const before = await db().activity.count();
    expect((await post("/api/v1/activities", "workerB1", activityInput())).status).toBe(403);
    expect((await post("/api/v1/activities", "neighbour", activityInput())).status).toBe(403);
    const elsewhere = await post(
      "/api/v1/activities",
      "owner",
      activityInput({ organiserProviderId: id.provider, communityId: fx.communities.a2.id }),
    );
    expect(elsewhere.status).toBe(400);
    expect((await post("/api/v1/activities", undefined, activityInput())).status).toBe(401);
    expect(await db().activity.count()).toBe(before);
  });

  it("names the field for bad times and capacity", async () => {
    const inverted = await post(
      "/api/v1/activities",
      "workerA1",
      activityInput({ endsAt: new Date().toISOString() }),
    );
    expect(inverted.status).toBe(400);
    expect(inverted.body.error.fields.endsAt).toEqual(expect.any(String));
    const past = await post(
      "/api/v1/activities",
      "workerA1",
      activityInput({
        startsAt: new Date(Date.now() - HOUR).toISOString(),
        endsAt: new Date(Date.now() + HOUR).toISOString(),
      }),
    );
    expect(past.body.error.fields.startsAt).toContain("开始时间已过");
    const zero = await post("/api/v1/activities", "workerA1", activityInput({ capacity: 0 }));
    expect(zero.body.error.fields.capacity).toEqual(expect.any(String));
    expect(
      (await post("/api/v1/activities", "workerA1", activityInput({ startsAt: "明天上午" }))).status,
    ).toBe(400);
    expect(await db().activity.count()).toBe(0);
  });

  it("drafts are invisible to outsiders and listed to nobody", async () => {
    const draft = (await post("/api/v1/activities", "workerA1", activityInput({ publish: false }))).body
      .activity.id;
    expect((await get(`/api/v1/activities/${draft}`, "workerA1")).status).toBe(200);
    expect((await get(`/api/v1/activities/${draft}`, "neighbour")).status).toBe(404);
    expect((await get(`/api/v1/activities/${draft}`)).status).toBe(404);
    expect((await get("/api/v1/activities")).body.total).toBe(0);
    expect((await get("/api/v1/activities?status=DRAFT")).body.total).toBe(0);
    // from/to take a plain date (the start of that China day) as well as a moment.
    const tomorrow = new Date(Date.now() + 24 * HOUR).toISOString().slice(0, 10);
    expect((await get(`/api/v1/activities?from=2026-01-01&to=${tomorrow}`)).status).toBe(200);
    expect((await get("/api/v1/activities?from=2026-13-01")).status).toBe(400);
    expect((await post(`/api/v1/activities/${draft}/registrations`, "neighbour")).status).toBe(404);
  });
});

describe("registration", () => {
  it("gives seats, then the waitlist; twice is a 409; cancelling promotes the first waiting", async () => {
    const activity = await published();
    const residents = await Promise.all([1, 2, 3].map(() => createResident(db(), fx.communities.a1.id)));
    const tokens = await Promise.all(residents.map((r) => tokenFor(r.id)));
    const register = (t: string) =>
      server.json(`/api/v1/activities/${activity}/registrations`, { method: "POST", json: {}, token: t });
    const [first, second, third] = [
      await register(tokens[0] ?? ""),
      await register(tokens[1] ?? ""),
      await register(tokens[2] ?? ""),
    ];
    expect(first.status).toBe(201);
    expect(first.body.registration).toMatchObject({
      status: "REGISTERED",
      checkInCode: expect.stringMatching(/^\d{6}$/),
    });
    expect(second.body.registration.status).toBe("REGISTERED");
    expect(third.body.registration).toMatchObject({
      status: "WAITLISTED",
      checkInCode: null,
      waitlistPosition: 1,
    });
    expect((await register(tokens[0] ?? "")).status).toBe(409);
    expect((await register(tokens[2] ?? "")).status).toBe(409);

    const cancelled = await server.request(`/api/v1/activities/${activity}/registrations/me`, {
      method: "DELETE",
      token: tokens[0],
    });
    expect(cancelled.status).toBe(204);
    const promoted = await db().registration.findFirstOrThrow({ where: { userId: residents[2]?.id } });
    expect(promoted.status).toBe("REGISTERED");
    expect(promoted.promotedAt).toBeInstanceOf(Date);
    expect(
      await db().notification.count({ where: { userId: residents[2]?.id, kind: "registration.promoted" } }),
    ).toBe(1);
    const view = (await get(`/api/v1/activities/${activity}`)).body;
    expect(view.counts).toMatchObject({ registered: 2, waitlisted: 0 });
    expect(view.activity.seatsLeft).toBe(0);
    // Registering again after cancelling reopens the registration (now on the waitlist).
    expect((await register(tokens[0] ?? "")).body.registration.status).toBe("WAITLISTED");
  });

  it("200 people at once for 50 seats: exactly 50 seats and 150 on the waitlist", async () => {
    const activity = await published({ capacity: 50 });
    const people = await db().user.createManyAndReturn({
      data: Array.from({ length: 200 }, (_, i) => ({
        phone: `1590${String(i).padStart(7, "0")}`,
        passwordHash: "x",
        name: `居民${i}`,
        communityId: fx.communities.a1.id,
      })),
      select: { id: true },
    });
    const tokens = await Promise.all(people.map((p) => tokenFor(p.id)));
    const results = await Promise.all(
      tokens.map((t) =>
        server.json(`/api/v1/activities/${activity}/registrations`, { method: "POST", json: {}, token: t }),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const statuses = results.map((r) => r.body.registration.status);
    expect(statuses.filter((s) => s === "REGISTERED")).toHaveLength(50);
    expect(statuses.filter((s) => s === "WAITLISTED")).toHaveLength(150);
    expect(await db().registration.count({ where: { activityId: activity, status: "REGISTERED" } })).toBe(50);
    const codes = await db().registration.findMany({
      where: { activityId: activity },
      select: { checkInCode: true },
    });
    expect(new Set(codes.map((c) => c.checkInCode)).size).toBe(200);
  });

  it("refuses cancelled and finished activities with 409", async () => {
    const cancelled = await published();
    expect(
      (await post(`/api/v1/activities/${cancelled}/cancel`, "workerA1", { reason: "天气原因" })).status,
    ).toBe(200);
    expect((await post(`/api/v1/activities/${cancelled}/registrations`, "neighbour")).status).toBe(409);
    const finished = await published();
    await db().activity.update({ where: { id: finished }, data: { status: "FINISHED" } });
    expect((await post(`/api/v1/activities/${finished}/registrations`, "neighbour")).status).toBe(409);
  });

  it("staff register a resident on their behalf (代办), in the audit log", async () => {
    const activity = await published();
    const res = await post(`/api/v1/activities/${activity}/registrations`, "workerA1", {
      phone: fx.users.residentA1.phone,
    });
    expect(res.status).toBe(201);
    const row = await db().registration.findFirstOrThrow({ where: { activityId: activity } });
    expect(row).toMatchObject({ userId: id.residentA1, registeredById: id.workerA1 });
    expect(await db().auditLog.count({ where: { action: "registration.create.onBehalf" } })).toBe(1);
    expect(
      (
        await post(`/api/v1/activities/${activity}/registrations`, "neighbour", {
          phone: fx.users.residentA1.phone,
        })
      ).status,
    ).toBe(403);
    expect(
      (await post(`/api/v1/activities/${activity}/registrations`, "workerA1", { phone: "13999999999" }))
        .status,
    ).toBe(400);
  });

  it("代办 reaches only residents in the staff member's scope, and cannot tell who holds a number", async () => {
    const activity = await published();
    const elsewhere = await createResident(db(), fx.communities.b1.id);
    const outside = await post(`/api/v1/activities/${activity}/registrations`, "workerA1", {
      phone: elsewhere.phone,
    });
    const unknown = await post(`/api/v1/activities/${activity}/registrations`, "workerA1", {
      phone: "13999999998",
    });
    expect(outside.status).toBe(400);
    expect(unknown.status).toBe(400);
    // The same answer for someone else's resident and for a number nobody holds.
    expect(outside.body).toEqual(unknown.body);
    expect(JSON.stringify(outside.body)).not.toContain(elsewhere.name);
    expect(await db().registration.count({ where: { activityId: activity } })).toBe(0);
  });

  it("with a name, 代办 answers alike whoever holds the number (review of #15 item 14)", async () => {
    const activity = await published({ capacity: 10 });
    const elsewhere = await createResident(db(), fx.communities.b1.id);
    const register = (phone: string) =>
      post(`/api/v1/activities/${activity}/registrations`, "workerA1", { phone, name: "王秀兰" });
    // Held outside the scope by someone who already holds a place (registered herself): still the
    // answer a fresh registration gets.
    const registeredHerself = await createResident(db(), fx.communities.b1.id);
    const own = await server.json(`/api/v1/activities/${activity}/registrations`, {
      method: "POST",
      json: {},
      token: await tokenFor(registeredHerself.id),
    });
    expect(own.status).toBe(201);
    const unknown = await register("13999999997");
    const outside = await register(elsewhere.phone);
    const again = await register(registeredHerself.phone);
    for (const res of [unknown, outside, again]) {
      expect(res.status).toBe(201);
      expect(Object.keys(res.body.registration).sort()).toEqual(
        Object.keys(unknown.body.registration).sort(),
      );
      expect(res.body.registration.status).toBe("REGISTERED");
      expect(JSON.stringify(res.body)).not.toContain(elsewhere.name);
    }
    expect(await db().user.count({ where: { phone: elsewhere.phone } })).toBe(1);
    expect(
      await db().registration.findFirst({ where: { activityId: activity, userId: elsewhere.id } }),
    ).toMatchObject({ status: "REGISTERED", registeredById: id.workerA1, nameGiven: "王秀兰" });

    // Served once, both numbers are known to the scope by the name typed, as a resident is: found
    // without a name, and the same 409 for registering twice.
    for (const phone of ["13999999997", elsewhere.phone]) {
      const twice = await post(`/api/v1/activities/${activity}/registrations`, "workerA1", { phone });
      expect(twice.status, phone).toBe(409);
      expect(twice.body.error.message).toBe("已经报过名了");
    }
    const next = await published();
    const bare = (phone: string) => post(`/api/v1/activities/${next}/registrations`, "workerA1", { phone });
    const [known, opened] = [await bare(elsewhere.phone), await bare("13999999997")];
    expect(known.status).toBe(201);
    expect(opened.status).toBe(201);
    expect(Object.keys(known.body.registration).sort()).toEqual(Object.keys(opened.body.registration).sort());
    const list = await db().registration.findFirstOrThrow({
      where: { activityId: next, userId: elsewhere.id },
    });
    expect(list.nameGiven).toBe("王秀兰");
  });

  it("parallel 代办 for one new number opens one account and registers it once; the others get 409", async () => {
    const activity = await published({ capacity: 10 });
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        post(`/api/v1/activities/${activity}/registrations`, "workerA1", {
          phone: "13999999996",
          name: "李桂英",
        }),
      ),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    // A loser either met the new account's row at creation (409 on the phone field) or found the
    // account opened and its seat taken (409 已经报过名了); never a 500.
    for (const res of answers.filter((r) => r.status !== 201)) {
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe("CONFLICT");
    }
    expect(await db().user.count({ where: { phone: "13999999996" } })).toBe(1);
  });

  it("limits 代办 lookups per staff account with a clear 429", async () => {
    const activity = await published();
    for (let i = 0; i < 60; i += 1) {
      const res = await post(`/api/v1/activities/${activity}/registrations`, "workerA1", {
        phone: `1380013${String(i).padStart(4, "0")}`,
      });
      expect(res.status).toBe(400);
    }
    const limited = await post(`/api/v1/activities/${activity}/registrations`, "workerA1", {
      phone: fx.users.residentA1.phone,
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toMatch(/^代办操作太频繁，请在\d+分钟后再试$/);
    // Registering oneself is not a lookup.
    expect((await post(`/api/v1/activities/${activity}/registrations`, "residentA1")).status).toBe(201);
  });

  it("cancelling an activity notifies everyone registered or waiting", async () => {
    const activity = await published({ capacity: 1 });
    await post(`/api/v1/activities/${activity}/registrations`, "residentA1");
    await post(`/api/v1/activities/${activity}/registrations`, "neighbour");
    await post(`/api/v1/activities/${activity}/cancel`, "workerA1", { reason: "场地维修" });
    const notes = await db().notification.findMany({ where: { kind: "activity.cancelled" } });
    expect(notes.map((n) => n.userId).sort()).toEqual([id.residentA1, id.neighbour].sort());
    expect(notes[0]?.body).toContain("场地维修");
  });
});

describe("the desk", () => {
  it("checks in by code once, counts walk-ins, and refuses outsiders", async () => {
    const activity = await published({
      startsAt: new Date(Date.now() + HOUR).toISOString(),
      endsAt: new Date(Date.now() + 3 * HOUR).toISOString(),
    });
    const code = (await post(`/api/v1/activities/${activity}/registrations`, "residentA1")).body.registration
      .checkInCode;
    expect((await post(`/api/v1/activities/${activity}/check-ins`, "workerB1", { code })).status).toBe(403);
    expect((await post(`/api/v1/activities/${activity}/check-ins`, "residentA1", { code })).status).toBe(403);
    const other = code === "000000" ? "000001" : "000000";
    expect((await post(`/api/v1/activities/${activity}/check-ins`, "workerA1", { code: other })).status).toBe(
      404,
    );
    expect(
      (await post(`/api/v1/activities/${activity}/check-ins`, "workerA1", { code: "12ab56" })).status,
    ).toBe(400);
    const done = await post(`/api/v1/activities/${activity}/check-ins`, "workerA1", { code });
    expect(done.status).toBe(200);
    expect(done.body.registration).toMatchObject({
      checkedInAt: expect.any(String),
      phoneMasked: expect.stringContaining("****"),
    });
    expect((await post(`/api/v1/activities/${activity}/check-ins`, "workerA1", { code })).status).toBe(409);
    expect(
      (await post(`/api/v1/activities/${activity}/walk-ins`, "workerA1", { count: 12 })).body.counts,
    ).toMatchObject({
      checkedIn: 1,
      walkIns: 12,
      personTimes: 13,
    });
    expect((await post(`/api/v1/activities/${activity}/walk-ins`, "workerA1", { count: -1 })).status).toBe(
      400,
    );
    const desk = await get(`/api/v1/activities/${activity}/registrations`, "workerA1");
    expect(desk.body.items).toHaveLength(1);
    expect((await get(`/api/v1/activities/${activity}/registrations`, "residentA1")).status).toBe(403);
  });

  it("does not open the desk more than two hours ahead", async () => {
    const activity = await published();
    const code = (await post(`/api/v1/activities/${activity}/registrations`, "residentA1")).body.registration
      .checkInCode;
    expect((await post(`/api/v1/activities/${activity}/check-ins`, "workerA1", { code })).status).toBe(409);
  });
});

describe("attendance after the end (ADR 0018)", () => {
  /** A finished activity of community a1 that ended `hoursAgo` hours ago, 20 seats, 30 walk-ins, two
   * registrants (codes 100000 and 100001), the first checked in. */
  async function finished(hoursAgo: number) {
    const other = await createResident(db(), fx.communities.a1.id);
    return createHeldActivity(db(), {
      communityId: fx.communities.a1.id,
      createdById: fx.users.workerA1.id,
      startsAt: new Date(Date.now() - (hoursAgo + 2) * HOUR),
      capacity: 20,
      walkIns: 30,
      attendees: [
        { userId: fx.users.residentA1.id, checkedIn: true },
        { userId: other.id, checkedIn: false },
      ],
    });
  }

  it("lets the organiser's desk change it for 24 hours after the end, then locks it", async () => {
    const recent = await finished(2);
    expect((await post(`/api/v1/activities/${recent.id}/walk-ins`, "workerA1", { count: 40 })).status).toBe(
      200,
    );
    expect(
      (await post(`/api/v1/activities/${recent.id}/check-ins`, "workerA1", { code: "100001" })).status,
    ).toBe(200);
    const old = await finished(14 * 24);
    const walkIns = await post(`/api/v1/activities/${old.id}/walk-ins`, "workerA1", { count: 100_000 });
    expect(walkIns.status).toBe(400);
    const locked = await post(`/api/v1/activities/${old.id}/walk-ins`, "workerA1", { count: 40 });
    expect(locked.status).toBe(409);
    expect(locked.body.error.message).toContain("活动结束已超过24小时");
    const checkIn = await post(`/api/v1/activities/${old.id}/check-ins`, "workerA1", { code: "100001" });
    expect(checkIn.status).toBe(409);
    expect((await db().activity.findUniqueOrThrow({ where: { id: old.id } })).walkIns).toBe(30);
    expect(await db().registration.count({ where: { activityId: old.id, checkedInAt: { not: null } } })).toBe(
      1,
    );
    const view = await get(`/api/v1/activities/${old.id}`, "workerA1");
    expect(view.body.activity.actions).toMatchObject({ checkIn: false, correctAttendance: false });
  });

  it("bounds walk-ins by the seats with a clear message", async () => {
    const recent = await finished(1);
    const tooMany = await post(`/api/v1/activities/${recent.id}/walk-ins`, "workerA1", { count: 201 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields.count).toBe("现场人数不能超过名额的10倍（本场名额20人，最多200人）");
    expect((await post(`/api/v1/activities/${recent.id}/walk-ins`, "workerA1", { count: 200 })).status).toBe(
      200,
    );
    const huge = await post(`/api/v1/activities/${recent.id}/walk-ins`, "workerA1", { count: 5001 });
    expect(huge.body.error.fields.count).toBe("现场人数不能超过5000");
  });

  it("lets only admins above the community correct it later, with a reason, audited and shown as 已更正", async () => {
    const old = await finished(14 * 24);
    const correction = { walkIns: 25, checkInCodes: ["100001"], reason: "按纸质签到表核对更正" };
    const path = `/api/v1/activities/${old.id}/attendance-corrections`;
    for (const who of ["workerA1", "owner", "residentA1", "workerB1"]) {
      expect((await post(path, who, correction)).status, who).toBe(403);
    }
    expect((await post(path, undefined, correction)).status).toBe(401);
    const noReason = await post(path, "subdistrictAdminA", { walkIns: 25 });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toBe("请填写更正原因");
    expect((await post(path, "subdistrictAdminA", { reason: "没有写要改什么" })).body.error.fields).toEqual({
      walkIns: "请填写更正后的现场人数，或要补签的签到码",
    });
    const tooMany = await post(path, "subdistrictAdminA", { ...correction, walkIns: 201 });
    expect(tooMany.body.error.fields.walkIns).toContain("最多200人");
    const unknownCode = await post(path, "subdistrictAdminA", { ...correction, checkInCodes: ["999999"] });
    expect(unknownCode.status).toBe(400);
    expect(unknownCode.body.error.fields.checkInCodes).toContain("999999");
    expect(await db().attendanceCorrection.count()).toBe(0);

    const done = await post(path, "subdistrictAdminA", correction);
    expect(done.status).toBe(201);
    expect(done.body.correction).toMatchObject({
      reason: "按纸质签到表核对更正",
      walkInsFrom: 30,
      walkInsTo: 25,
      checkInsAdded: 1,
    });
    expect(done.body.counts).toMatchObject({ checkedIn: 2, walkIns: 25, personTimes: 27 });
    const audit = await db().auditLog.findFirstOrThrow({
      where: { action: "activity.attendanceCorrection" },
    });
    expect(audit).toMatchObject({ actorId: id.subdistrictAdminA, targetId: old.id });
    expect(
      await db().outboxEvent.count({ where: { topic: "activity.attendance", aggregateId: old.id } }),
    ).toBe(1);
    // Everyone sees that the figures were corrected, and why.
    const view = await get(`/api/v1/activities/${old.id}`);
    expect(view.body.activity.corrections).toEqual([
      expect.objectContaining({
        walkInsFrom: 30,
        walkInsTo: 25,
        checkInsAdded: 1,
        reason: "按纸质签到表核对更正",
      }),
    ]);
    expect(
      (await get(`/api/v1/activities/${old.id}`, "districtAdmin")).body.activity.actions.correctAttendance,
    ).toBe(true);
  });

  it("is described in the OpenAPI document, with the reason required and the 429 of throttled writes", async () => {
    const doc = (await get("/api/v1/openapi.json")).body;
    const correction = doc.paths["/api/v1/activities/{id}/attendance-corrections"].post;
    const schema = correction.requestBody.content["application/json"].schema;
    expect(schema.required).toEqual(["reason"]);
    expect(Object.keys(schema.properties).sort()).toEqual(["checkInCodes", "reason", "walkIns"]);
    expect(Object.keys(correction.responses)).toContain("201");
    for (const [path, method] of [
      ["/api/v1/needs", "post"],
      ["/api/v1/matches", "post"],
      ["/api/v1/providers", "post"],
      ["/api/v1/activities/{id}/registrations", "post"],
      ["/api/v1/auth/register", "post"],
    ] as const) {
      expect(Object.keys(doc.paths[path][method].responses), path).toContain("429");
    }
  });

  it("refuses a correction before the activity has finished", async () => {
    const activity = await published();
    const res = await post(`/api/v1/activities/${activity}/attendance-corrections`, "districtAdmin", {
      walkIns: 1,
      reason: "还没开始就想改",
    });
    expect(res.status).toBe(409);
  });
});

describe("life cycle and figures", () => {
  /** An activity that already happened: published, with registrations, some checked in. */
  async function happened(startsAt: Date, checkIns: number, registrations: number, walkIns: number) {
    const activity = await db().activity.create({
      data: {
        title: "已举办的活动",
        description: "为测试写入的活动。",
        category: "culture",
        communityId: fx.communities.a1.id,
        venue: "活动室",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * HOUR),
        capacity: 100,
        status: "PUBLISHED",
        createdById: id.workerA1 ?? "",
        walkIns,
      },
    });
    for (let i = 0; i < registrations; i++) {
      const person = await createResident(db(), fx.communities.a1.id);
      await db().registration.create({
        data: {
          activityId: activity.id,
          userId: person.id,
          status: "REGISTERED",
          checkInCode: String(100000 + i),
          checkedInAt: i < checkIns ? startsAt : null,
        },
      });
    }
    return activity;
  }

  it("moves to ONGOING and FINISHED only for the time a job was scheduled for", async () => {
    const startsAt = new Date(Date.now() - HOUR);
    const activity = await happened(startsAt, 0, 0, 0);
    expect(await startActivity(activity.id, new Date(startsAt.getTime() + 60_000))).toBe(false);
    expect(await startActivity(activity.id, startsAt)).toBe(true);
    expect(await startActivity(activity.id, startsAt)).toBe(false);
    expect((await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).status).toBe("ONGOING");
    // Not yet over: a finish job for the real end does nothing before it.
    expect(await finishActivity(activity.id, activity.endsAt)).toBe(false);
  });

  it("tallies a finished activity and its community's China day exactly, however often", async () => {
    // 23:30 on 1 March in China is 15:30 UTC the same day; 00:30 on 2 March is 16:30 UTC on 1 March.
    const lateEvening = new Date("2026-03-01T15:30:00Z");
    const afterMidnight = new Date("2026-03-01T16:30:00Z");
    const a = await happened(lateEvening, 3, 5, 10);
    const b = await happened(afterMidnight, 2, 2, 0);
    const cancelled = await happened(lateEvening, 4, 4, 4);
    await db().activity.update({ where: { id: cancelled.id }, data: { status: "CANCELLED" } });
    const swept = await sweepActivities(new Date("2026-03-02T12:00:00Z"));
    expect(swept.finished).toBe(2);
    // Finishing counts nothing itself: it asks the statistics queue to, through the outbox.
    const asked = await db().outboxEvent.findMany({ where: { topic: "activity.attendance" } });
    expect(asked.map((event) => event.aggregateId).sort()).toEqual([a.id, b.id].sort());
    // What the queue's tallyActivity jobs do (twice for one of them: recounting is idempotent).
    await recomputeActivityFigures(a.id);
    await recomputeActivityFigures(b.id);
    await recomputeActivityFigures(a.id);

    expect(await db().activityTally.findUniqueOrThrow({ where: { activityId: a.id } })).toMatchObject({
      registered: 5,
      checkedIn: 3,
      walkIns: 10,
      personTimes: 13,
    });
    const march = { from: new Date("2026-03-01"), to: new Date("2026-03-31") };
    const days = await communityActivityDays(fx.communities.a1.id, march);
    expect(days.map((d) => [d.day, d.activitiesHeld, d.personTimes, d.uniquePersons])).toEqual([
      ["2026-03-01", 1, 13, 3],
      ["2026-03-02", 1, 2, 2],
    ]);
    // A late correction at the desk is counted once the worker recounts.
    await db().activity.update({ where: { id: a.id }, data: { walkIns: 20 } });
    await recomputeActivityFigures(a.id);
    expect((await communityActivityDays(fx.communities.a1.id, march))[0]?.personTimes).toBe(23);
    // Staff read the same figures through the API; others may not.
    const path = `/api/v1/communities/${fx.communities.a1.id}/daily-stats?from=2026-03-01&to=2026-03-02`;
    const api = await get(path, "workerA1");
    expect(api.status).toBe(200);
    expect(api.body.days.map((d: { day: string; personTimes: number }) => [d.day, d.personTimes])).toEqual([
      ["2026-03-01", 23],
      ["2026-03-02", 2],
    ]);
    expect(api.body.total).toMatchObject({ activitiesHeld: 2, personTimes: 25, walkIns: 20, checkedIn: 5 });
    expect((await get(path, "workerB1")).status).toBe(403);
    expect((await get(path, "residentA1")).status).toBe(403);
    expect((await get(path)).status).toBe(401);
    const badDay = await get(
      `/api/v1/communities/${fx.communities.a1.id}/daily-stats?from=2026-02-30`,
      "workerA1",
    );
    expect(badDay.body.error.fields.from).toContain("有效");
    // The nightly repair over recent days agrees with the per-activity counts.
    const allDays = () =>
      db().territoryDailyStat.findMany({
        orderBy: [{ territoryId: "asc" }, { day: "asc" }, { category: "asc" }],
      });
    const before = await allDays();
    await recomputeRecent(new Date("2026-03-10T00:00:00Z"));
    expect(await allDays()).toEqual(before.map((d) => ({ ...d, computedAt: expect.any(Date) })));
  });

  it("an activity made from an accepted match schedules its needs and lets residents confirm them", async () => {
    const service = await createService(db(), {
      providerId: id.provider ?? "",
      title: "上门助浴",
      communityIds: [fx.communities.a1.id],
    });
    const need = await createNeed(db(), {
      requesterId: id.residentA1 ?? "",
      communityId: fx.communities.a1.id,
      status: "MATCHED",
    });
    await db().match.create({
      data: {
        needId: need.id,
        serviceId: service.id,
        providerId: id.provider ?? "",
        status: "ACCEPTED",
        proposedBy: "STAFF",
        proposedById: id.workerA1 ?? "",
      },
    });
    const res = await post(
      "/api/v1/activities",
      "workerA1",
      activityInput({ serviceId: service.id, needIds: [need.id], providerIds: [id.provider] }),
    );
    expect(res.status).toBe(201);
    expect(res.body.activity).toMatchObject({
      serviceId: service.id,
      needIds: [need.id],
      category: "elderly-care",
    });
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("SCHEDULED");
    const activity = await db().activity.findUniqueOrThrow({ where: { id: res.body.activity.id } });
    await db().activity.update({
      where: { id: activity.id },
      data: { startsAt: new Date(Date.now() - 2 * HOUR), endsAt: new Date(Date.now() - HOUR) },
    });
    await sweepActivities();
    expect((await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).status).toBe("FINISHED");
    expect(await db().notification.count({ where: { userId: id.residentA1, kind: "need.confirm" } })).toBe(1);
    const fulfilled = await post(`/api/v1/needs/${need.id}/fulfil`, "residentA1", { rating: 5 });
    expect(fulfilled.body.need.status).toBe("FULFILLED");
  });
});
