import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recomputeTallies } from "~/domain/activities/tallies.server";
import { recountAllDays, recountLatestDays } from "~/domain/stats/daily.server";
import type { PeriodFigures, Stats } from "~/domain/stats/stats.schema";
import { chinaDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createProjectRow } from "../../prisma/factories/projects";
import { createHeldActivity } from "../factories/activities";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The statistics of a small district, counted by hand (the comments give the count), through the API
// as each role sees them: month boundaries in China time, cancelled activities nowhere, walk-ins in,
// providers serving two subdistricts counted once in the district, and roll-ups equal to the sum of
// their children wherever a figure is additive.

let server: TestServer;
let fx: TerritoryFixture;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A moment written in China time. */
const china = (text: string) => new Date(`${text.replace(" ", "T")}:00+08:00`);
const Q1 = "from=2026-01-01&to=2026-03-31";

async function get(path: string, who?: string) {
  const response = await server.request(path, who ? { token: tokens[who] } : {});
  return { status: response.status, body: await response.json() };
}

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const { a1, a2, b1 } = fx.communities;
  const workerB1 = await createUser(db(), { roles: [{ role: "COMMUNITY_WORKER", scopeId: b1.id }] });
  for (const [who, user] of Object.entries({ ...fx.users, workerB1 })) tokens[who] = await tokenFor(user.id);

  // Providers. Social orgs: P1 (A1, A2), P3 (A1 and B1: both subdistricts), P5 (A2, approved in
  // 2025, suspended since: still joined). Merchant: P2 (B1). Pending P4 and rejected P6 count nowhere.
  const p1 = await createProvider(db(), {
    communityIds: [a1.id, a2.id],
    reviewedAt: china("2026-01-15 09:00"),
  });
  const p2 = await createProvider(db(), {
    kind: "MERCHANT",
    communityIds: [b1.id],
    reviewedAt: china("2026-02-10 09:00"),
  });
  const p3 = await createProvider(db(), {
    communityIds: [a1.id, b1.id],
    reviewedAt: china("2026-03-31 23:30"),
  });
  const p4 = await createProvider(db(), { communityIds: [a1.id], status: "PENDING" });
  await createProvider(db(), {
    communityIds: [a2.id],
    status: "SUSPENDED",
    reviewedAt: china("2025-12-20 09:00"),
  });
  await createProvider(db(), {
    communityIds: [a1.id],
    status: "REJECTED",
    reviewedAt: china("2026-01-20 09:00"),
  });

  // Services. S1 (P1, government-purchased) in January; S2 published before P2 joined counts on
  // 10 February; S5 (archived since) in April, after the period. A draft and a pending provider's
  // service count nowhere.
  await createService(db(), {
    providerId: p1.id,
    communityIds: [a1.id, a2.id],
    funding: "GOVERNMENT_PURCHASED",
    category: "elderly-care",
    publishedAt: china("2026-01-20 10:00"),
  });
  await createService(db(), {
    providerId: p2.id,
    communityIds: [b1.id],
    category: "housekeeping",
    publishedAt: china("2026-02-01 10:00"),
  });
  await createService(db(), { providerId: p1.id, communityIds: [a1.id], status: "DRAFT" });
  await createService(db(), {
    providerId: p4.id,
    communityIds: [a1.id],
    publishedAt: china("2026-01-25 10:00"),
  });
  await createService(db(), {
    providerId: p3.id,
    communityIds: [b1.id],
    status: "ARCHIVED",
    publishedAt: china("2026-04-02 10:00"),
  });

  // Needs: posted N1, N2 (23:30 on 31 January: January), N3, N4; N5 was posted in 2025. Matched N1
  // (4 h), N2 (2 h, on 1 February), N4 (48 h): median 4 h. Fulfilled N1 (5), N4 (3), N5 (4).
  const residentA2 = await createResident(db(), a2.id);
  const residentB1 = await createResident(db(), b1.id);
  const need = async (
    requesterId: string,
    communityId: string,
    createdAt: string,
    settled: { matchedAt?: string; fulfilledAt?: string; rating?: number } = {},
  ) => {
    const created = await createNeed(db(), {
      requesterId,
      communityId,
      createdAt: china(createdAt),
      category: "elderly-care",
    });
    await db().need.update({
      where: { id: created.id },
      data: {
        matchedAt: settled.matchedAt ? china(settled.matchedAt) : null,
        fulfilledAt: settled.fulfilledAt ? china(settled.fulfilledAt) : null,
        rating: settled.rating ?? null,
        status: settled.fulfilledAt ? "FULFILLED" : settled.matchedAt ? "MATCHED" : "OPEN",
      },
    });
  };
  const residentA1 = fx.users.residentA1.id;
  await need(residentA1, a1.id, "2026-01-05 10:00", {
    matchedAt: "2026-01-05 14:00",
    fulfilledAt: "2026-01-10 10:00",
    rating: 5,
  });
  await need(residentA1, a1.id, "2026-01-31 23:30", { matchedAt: "2026-02-01 01:30" });
  await need(residentA2.id, a2.id, "2026-02-15 10:00");
  await need(residentB1.id, b1.id, "2026-03-01 10:00", {
    matchedAt: "2026-03-03 10:00",
    fulfilledAt: "2026-03-05 10:00",
    rating: 3,
  });
  await need(residentB1.id, b1.id, "2025-12-31 10:00", { fulfilledAt: "2026-01-02 10:00", rating: 4 });

  // Activities (persons r1…r4). A1 in A1 on 10 January: r1, r2 in, r3 absent, 5 walk-ins = 7.
  // A2 in A2 at 23:30 on 28 February: r1 in, r3 absent = 1. A3 in B1 at 00:30 on 1 March (March,
  // although 28 February in UTC): r4 in, 2 walk-ins = 3. A5 in A1 on 15 March: r2 in, r4 waitlisted
  // = 1. A4 was cancelled after check-ins: nowhere. Held 4, registered 7, checked in 5, 12 person-times.
  const [r1, r2, r3, r4] = await Promise.all([
    createResident(db(), a1.id),
    createResident(db(), a1.id),
    createResident(db(), a2.id),
    createResident(db(), b1.id),
  ]);
  const createdById = fx.users.workerA1.id;
  await createHeldActivity(db(), {
    communityId: a1.id,
    createdById,
    startsAt: china("2026-01-10 09:00"),
    category: "elderly-care",
    walkIns: 5,
    attendees: [
      { userId: r1.id, checkedIn: true },
      { userId: r2.id, checkedIn: true },
      { userId: r3.id, checkedIn: false },
    ],
  });
  await createHeldActivity(db(), {
    communityId: a2.id,
    createdById,
    startsAt: china("2026-02-28 23:30"),
    attendees: [
      { userId: r1.id, checkedIn: true },
      { userId: r3.id, checkedIn: false },
    ],
  });
  await createHeldActivity(db(), {
    communityId: b1.id,
    createdById,
    startsAt: china("2026-03-01 00:30"),
    walkIns: 2,
    attendees: [{ userId: r4.id, checkedIn: true }],
  });
  await createHeldActivity(db(), {
    communityId: a1.id,
    createdById,
    startsAt: china("2026-03-15 09:00"),
    attendees: [
      { userId: r2.id, checkedIn: true },
      { userId: r4.id, checkedIn: false, status: "WAITLISTED" },
    ],
  });
  await createHeldActivity(db(), {
    communityId: a1.id,
    createdById,
    startsAt: china("2026-03-20 09:00"),
    status: "CANCELLED",
    walkIns: 9,
    attendees: [{ userId: r1.id, checkedIn: true }],
  });
  await recomputeTallies();
  await recountAllDays(new Date("2026-06-30T00:00:00Z"));
});

const ADDITIVE = [
  "needsPosted",
  "needsMatched",
  "needsFulfilled",
  "ratings",
  "ratingSum",
  "activitiesHeld",
  "registered",
  "checkedIn",
  "walkIns",
  "personTimes",
] as const satisfies readonly (keyof PeriodFigures)[];
const sumOf = (rows: { figures: PeriodFigures }[], key: keyof PeriodFigures) =>
  rows.reduce((sum, row) => sum + row.figures[key], 0);

describe("the figures of a period", () => {
  it("match the hand count for the district, its public figures", async () => {
    const { status, body } = await get(`/api/v1/stats?scope=district&${Q1}`);
    expect(status).toBe(200);
    const stats: Stats = body;
    expect(stats).toMatchObject({
      scope: "district",
      id: fx.district.id,
      from: "2026-01-01",
      to: "2026-03-31",
      // P1, P3, P5 and P2 by the end of March; P1, P3 and P2 joined in it.
      providers: { socialOrgs: 3, merchants: 1, total: 4, joined: { socialOrgs: 2, merchants: 1 } },
      services: 2,
      governmentPurchasedServices: 1,
      servicesPublished: 2,
      needs: { posted: 4, matched: 3, fulfilled: 3, medianHoursToMatch: 4, ratings: 3, averageRating: 4 },
      activities: { held: 4, registered: 7, checkedIn: 5, walkIns: 7, attendanceRate: 0.7143 },
      // r1, r2, r4 (r3 never came).
      participation: { personTimes: 12, uniquePersons: 3 },
    });
    expect(
      stats.series.map((m) => [m.month, m.figures.needsPosted, m.figures.personTimes, m.uniquePersons]),
    ).toEqual([
      ["2026-01", 2, 7, 2],
      ["2026-02", 1, 1, 1],
      ["2026-03", 1, 4, 2],
    ]);
    expect(
      stats.byCategory.map((c) => [c.name, c.figures.activitiesHeld, c.figures.servicesPublished]),
    ).toEqual([
      ["养老助老", 1, 1],
      ["家政维修", 0, 1],
      ["文体活动", 3, 0],
    ]);
    // Subdistrict A: P1, P3, P5; B: P2, P3. P3 serves both and is one provider of the district.
    const children = new Map(
      stats.byChild.map((c) => [c.id, [c.providers, c.figures.personTimes, c.uniquePersons]]),
    );
    expect(children).toEqual(
      new Map([
        [fx.subdistricts.a.id, [3, 9, 2]],
        [fx.subdistricts.b.id, [2, 3, 1]],
      ]),
    );
  });

  it("roll up: every additive figure of a parent is the sum of its children's", async () => {
    const district: Stats = (await get(`/api/v1/stats?scope=district&${Q1}`)).body;
    const totals: Record<Exclude<(typeof ADDITIVE)[number], "ratingSum">, number> = {
      needsPosted: district.needs.posted,
      needsMatched: district.needs.matched,
      needsFulfilled: district.needs.fulfilled,
      ratings: district.needs.ratings,
      activitiesHeld: district.activities.held,
      registered: district.activities.registered,
      checkedIn: district.activities.checkedIn,
      walkIns: district.activities.walkIns,
      personTimes: district.participation.personTimes,
    };
    for (const key of ADDITIVE.filter((k) => k !== "ratingSum")) {
      expect(sumOf(district.byChild, key), key).toBe(totals[key]);
    }
    for (const key of ADDITIVE) {
      expect(sumOf(district.series, key), `months: ${key}`).toBe(sumOf(district.byChild, key));
    }
    for (const subdistrict of district.byChild) {
      const child: Stats = (
        await get(`/api/v1/stats?scope=subdistrict&id=${subdistrict.id}&${Q1}`, "districtAdmin")
      ).body;
      for (const key of ADDITIVE)
        expect(sumOf(child.byChild, key), `${subdistrict.name}: ${key}`).toBe(subdistrict.figures[key]);
      expect(child.participation.uniquePersons).toBe(subdistrict.uniquePersons);
      expect(child.providers.total).toBe(subdistrict.providers);
    }
  });

  it("count each day in China time, and the latest days again as things happen", async () => {
    const january: Stats = (await get("/api/v1/stats?scope=district&from=2026-01-01&to=2026-01-31")).body;
    // N2 was posted at 23:30 on 31 January and matched at 01:30 on 1 February.
    expect(january.needs).toMatchObject({ posted: 2, matched: 1 });
    const march1: Stats = (await get("/api/v1/stats?scope=district&from=2026-03-01&to=2026-03-01")).body;
    // A3 started at 00:30 on 1 March (16:30 UTC on 28 February); N4 was posted that day.
    expect(march1.activities.held).toBe(1);
    expect(march1.participation).toEqual({ personTimes: 3, uniquePersons: 1 });
    // P3 joined at 23:30 on 31 March: in the first quarter, not in April.
    const april: Stats = (await get("/api/v1/stats?scope=district&from=2026-04-01&to=2026-04-30")).body;
    expect(april.providers.joined).toEqual({ socialOrgs: 0, merchants: 0 });
    expect(april.servicesPublished).toBe(1);

    // Recounting changes nothing; a need posted now is in today's figures after the latest recount.
    const rows = () =>
      db().territoryDailyStat.findMany({
        orderBy: [{ territoryId: "asc" }, { day: "asc" }, { category: "asc" }],
      });
    const before = await rows();
    await recountAllDays(new Date("2026-06-30T00:00:00Z"));
    expect(await rows()).toEqual(before.map((row) => ({ ...row, computedAt: expect.any(Date) })));
    await createNeed(db(), { requesterId: fx.users.residentA1.id, communityId: fx.communities.a1.id });
    await recountLatestDays();
    const day = chinaDay(new Date()).toISOString().slice(0, 10);
    const todayPath = `/api/v1/stats?scope=community&id=${fx.communities.a1.id}&from=${day}&to=${day}`;
    const today: Stats = (await get(todayPath, "workerA1")).body;
    expect(today.needs.posted).toBe(1);
  });
});

describe("who sees which figures", () => {
  it("shows the district to everyone and the rest to staff in scope", async () => {
    const { a: sdA, b: sdB } = fx.subdistricts;
    const { a1, b1 } = fx.communities;
    expect((await get(`/api/v1/stats?${Q1}`)).status).toBe(200);
    expect((await get(`/api/v1/stats?scope=district&id=${fx.district.id}&${Q1}`, "residentA1")).status).toBe(
      200,
    );
    const cases: [string, string | undefined, number][] = [
      [`scope=subdistrict&id=${sdA.id}`, undefined, 401],
      [`scope=subdistrict&id=${sdA.id}`, "residentA1", 403],
      [`scope=subdistrict&id=${sdA.id}`, "workerA1", 403],
      [`scope=subdistrict&id=${sdA.id}`, "subdistrictAdminA", 200],
      [`scope=subdistrict&id=${sdB.id}`, "subdistrictAdminA", 403],
      [`scope=subdistrict&id=${sdB.id}`, "districtAdmin", 200],
      [`scope=community&id=${a1.id}`, "workerA1", 200],
      [`scope=community&id=${a1.id}`, "subdistrictAdminA", 200],
      [`scope=community&id=${b1.id}`, "workerA1", 403],
      [`scope=community&id=${b1.id}`, "workerB1", 200],
      [`scope=community&id=${a1.id}`, "workerB1", 403],
    ];
    for (const [query, who, status] of cases) {
      expect((await get(`/api/v1/stats?${query}&${Q1}`, who)).status, `${query} as ${who}`).toBe(status);
      expect(
        (await get(`/api/v1/stats/report?${query}&${Q1}`, who)).status,
        `report ${query} as ${who}`,
      ).toBe(status);
    }
    const community: Stats = (await get(`/api/v1/stats?scope=community&id=${a1.id}&${Q1}`, "workerA1")).body;
    expect(community.path.map((p) => p.scope)).toEqual(["district", "subdistrict", "community"]);
    expect(community.byChild).toEqual([]);
  });

  it("answers garbage with field errors, never a 500", async () => {
    const cases: [string, string][] = [
      ["scope=city", "scope"],
      ["scope=subdistrict", "id"],
      ["scope=community&id=' OR 1=1 --", "id"],
      ["from=2026-02-30", "from"],
      ["to=yesterday", "to"],
      ["from=2026-03-01&to=2026-02-01", "from"],
      ["from=2016-01-01&to=2026-01-01", "from"],
    ];
    for (const [query, field] of cases) {
      const { status, body } = await get(`/api/v1/stats?${query}`, "districtAdmin");
      expect(status, query).toBe(400);
      expect(Object.keys(body.error.fields), query).toContain(field);
    }
    expect((await get("/api/v1/stats?scope=community&id=nosuchcommunity", "districtAdmin")).status).toBe(404);
    expect((await get("/api/v1/stats?scope=subdistrict&id=nosuchplace")).status).toBe(404);
    const post = await server.request("/api/v1/stats", { method: "POST", json: {} });
    expect(post.status).toBe(405);
  });
});

describe("government-purchased projects", () => {
  it("count the projects bought at or under the territory and running in the period, with their budgets", async () => {
    const { district, subdistricts, communities } = fx;
    const provider = await createProvider(db(), { communityIds: [communities.a1.id] });
    const base = { providerId: provider.id, createdById: fx.users.districtAdmin.id };
    const day = (text: string) => new Date(`${text}T00:00:00Z`);
    const at = {
      district: { id: district.id, level: "DISTRICT", districtId: district.id },
      a: {
        id: subdistricts.a.id,
        level: "SUBDISTRICT",
        subdistrictId: subdistricts.a.id,
        districtId: district.id,
      },
      a1: {
        id: communities.a1.id,
        level: "COMMUNITY",
        subdistrictId: subdistricts.a.id,
        districtId: district.id,
      },
      b1: {
        id: communities.b1.id,
        level: "COMMUNITY",
        subdistrictId: subdistricts.b.id,
        districtId: district.id,
      },
    } as const;
    // Q1 2026. In: the district's (whole year), A's (from 31 March), A1's completed one (ended on
    // 1 January). Out: B1's of 2025, the district's ended early on 31 December 2025, A1's from April.
    await createProjectRow(db(), {
      ...base,
      purchaser: at.district,
      budgetFen: 100_000_000,
      startsOn: day("2026-01-01"),
      endsOn: day("2026-12-31"),
    });
    await createProjectRow(db(), {
      ...base,
      purchaser: at.a,
      budgetFen: 30_000_000,
      startsOn: day("2026-03-31"),
      endsOn: day("2026-09-30"),
    });
    await createProjectRow(db(), {
      ...base,
      purchaser: at.a1,
      budgetFen: 5_000_050,
      startsOn: day("2025-07-01"),
      endsOn: day("2026-01-01"),
      status: "COMPLETED",
    });
    await createProjectRow(db(), {
      ...base,
      purchaser: at.b1,
      budgetFen: 7_000_000,
      startsOn: day("2025-01-01"),
      endsOn: day("2025-12-31"),
    });
    await createProjectRow(db(), {
      ...base,
      purchaser: at.district,
      budgetFen: 9_000_000,
      startsOn: day("2025-06-01"),
      endsOn: day("2026-06-30"),
      status: "ENDED",
      endedAt: china("2025-12-31 18:00"),
    });
    await createProjectRow(db(), {
      ...base,
      purchaser: at.a1,
      budgetFen: 2_000_000,
      startsOn: day("2026-04-01"),
      endsOn: day("2026-12-31"),
    });

    const projectsOf = async (query: string, who?: string) =>
      ((await get(`/api/v1/stats?${query}&${Q1}`, who)).body as Stats).projects;
    expect(await projectsOf("scope=district")).toEqual({ active: 3, budgetFen: 135_000_050 });
    expect(await projectsOf(`scope=subdistrict&id=${subdistricts.a.id}`, "districtAdmin")).toEqual({
      active: 2,
      budgetFen: 35_000_050,
    });
    expect(await projectsOf(`scope=community&id=${communities.a1.id}`, "districtAdmin")).toEqual({
      active: 1,
      budgetFen: 5_000_050,
    });
    expect(await projectsOf(`scope=subdistrict&id=${subdistricts.b.id}`, "districtAdmin")).toEqual({
      active: 0,
      budgetFen: 0,
    });
    const text: string = (await get(`/api/v1/stats/report?scope=district&${Q1}`)).body.text;
    expect(text).toContain("实施政府购买服务项目3个，项目资金共计135万元。");
  });
});

describe("the report paragraph", () => {
  it("writes the period's real figures the way work reports do", async () => {
    const { status, body } = await get(`/api/v1/stats/report?scope=district&${Q1}`);
    expect(status).toBe(200);
    const text: string = body.text;
    expect(text).toContain("2026年1月1日至3月31日");
    expect(text).toContain("入驻“三社联动”信息平台的社会组织、特色商家共有4家（社会组织3家、特色商家1家）");
    expect(text).toContain("其中本期新入驻3家");
    expect(text).toContain("平台上共有服务2项，其中政府购买服务1项");
    expect(text).toContain("居民提出需求4件，成功对接3件，已办结3件");
    expect(text).toContain("中位数为4小时");
    expect(text).toContain("满意度评分4.0分");
    expect(text).toContain("举办各类活动4场次，受众人数达12人次，其中签到居民3人");
    expect(text).toContain("到场率71.4%");
    const year = (
      await get(
        `/api/v1/stats/report?scope=community&id=${fx.communities.b1.id}&from=2026-01-01&to=2026-12-31`,
        "workerB1",
      )
    ).body.text;
    expect(year).toMatch(/^2026年，/);
    expect(year).toContain("举办各类活动1场次，受众人数达3人次");
  });
});
