import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { STARTING_INDICATORS } from "~/domain/projects/projects.schema";
import { chinaDay, DAY_MS, isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import {
  createDistrict,
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createProvider } from "../../prisma/factories/marketplace";
import { createProjectRow } from "../../prisma/factories/projects";
import { pagesOf, visibleText } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The district's default evaluation indicators (issue 18, ADR 0026): public to read, kept by the
// district's admins alone (API and 评估指标 page), replaced whole and audited with the set before,
// garbage refused field by field with nothing changed, and every evaluation form of the district
// pre-filled from it.

let server: TestServer;
let fx: TerritoryFixture;
let otherDistrictAdmin: { id: string };
let member: { id: string };
let providerId: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const pages = pagesOf(() => server);

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const other = await createDistrict(db());
  otherDistrictAdmin = await createUser(db(), { roles: [{ role: "DISTRICT_ADMIN", scopeId: other.id }] });
  member = await createResident(db(), fx.communities.a1.id);
  providerId = (
    await createProvider(db(), { communityIds: [fx.communities.a1.id], members: [{ userId: member.id }] })
  ).id;
});

const path = () => `/api/v1/districts/${fx.district.id}/evaluation-indicators`;
const SET = [
  { indicator: "服务成效", max: 50 },
  { indicator: "群众满意度", max: 30 },
  { indicator: "资金使用", max: 20 },
];
const put = async (who: { id: string } | null, json: unknown, to = path()) =>
  server.json(to, { method: "PUT", json, token: who ? await tokenFor(who.id) : undefined });
const storedSet = () =>
  db().evaluationIndicator.findMany({
    where: { districtId: fx.district.id },
    orderBy: { position: "asc" },
    select: { indicator: true, max: true },
  });

describe("GET and PUT /api/v1/districts/:id/evaluation-indicators", () => {
  it("reads the starting set until the district keeps its own; its district admin replaces it whole, audited", async () => {
    const first = await server.json(path());
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      districtId: fx.district.id,
      districtName: fx.district.name,
      kept: false,
      indicators: [...STARTING_INDICATORS],
      updatedAt: null,
    });

    const kept = await put(fx.users.districtAdmin, { indicators: SET });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ kept: true, indicators: SET, updatedAt: expect.any(String) });
    expect((await server.json(path())).body.indicators).toEqual(SET);

    const shorter = [{ indicator: "服务成效", max: 100 }];
    expect((await put(fx.users.districtAdmin, { indicators: shorter })).status).toBe(200);
    expect(await storedSet()).toEqual(shorter);
    const audit = await db().auditLog.findMany({
      where: { action: "project.keepIndicators", targetId: fx.district.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((entry) => entry.data)).toEqual([
      { before: [], after: SET },
      { before: SET, after: shorter },
    ]);
    expect(audit.every((entry) => entry.actorId === fx.users.districtAdmin.id)).toBe(true);
  });

  it("lets nobody but the district's own admins keep it; a refusal changes nothing", async () => {
    await put(fx.users.districtAdmin, { indicators: SET });
    const refused: [string, { id: string } | null, number][] = [
      ["stranger", null, 401],
      ["resident", fx.users.residentA1, 403],
      ["provider member", member, 403],
      ["community worker", fx.users.workerA1, 403],
      ["subdistrict admin", fx.users.subdistrictAdminA, 403],
      ["another district's admin", otherDistrictAdmin, 403],
    ];
    for (const [who, user, status] of refused) {
      const answer = await put(user, { indicators: [{ indicator: "自定指标", max: 10 }] });
      expect(answer.status, who).toBe(status);
    }
    expect(await storedSet()).toEqual(SET);
    expect(await db().auditLog.count({ where: { action: "project.keepIndicators" } })).toBe(1);
  });

  it("answers garbage with field errors in Chinese and writes nothing; an unknown district is 404", async () => {
    const cases: [unknown, string, string][] = [
      [{}, "indicators", "请填写评估指标"],
      [{ indicators: [] }, "indicators", "至少填写一项评估指标"],
      [
        { indicators: Array.from({ length: 9 }, (_, n) => ({ indicator: `指标${n}`, max: 10 })) },
        "indicators",
        "默认评估指标最多8项",
      ],
      [{ indicators: [SET[0], SET[0]] }, "indicators", "评估指标不能重复"],
      [{ indicators: [{ indicator: "服务成效", max: 0 }] }, "indicators.0.max", "满分"],
      [{ indicators: [{ indicator: "服务成效", max: 2.5 }] }, "indicators.0.max", "满分"],
      [{ indicators: [{ indicator: "服务成效", max: "x" }] }, "indicators.0.max", "满分"],
      [{ indicators: [{ indicator: "", max: 10 }] }, "indicators.0.indicator", "指标名称"],
      [{ indicators: [{ indicator: "效".repeat(41), max: 10 }] }, "indicators.0.indicator", "指标名称"],
      [{ indicators: "服务成效" }, "indicators", "评估指标"],
    ];
    for (const [json, field, message] of cases) {
      const answer = await put(fx.users.districtAdmin, json);
      expect(answer.status, JSON.stringify(json)).toBe(400);
      expect(answer.body.error.fields[field], JSON.stringify(json)).toContain(message);
    }
    expect(await storedSet()).toEqual([]);
    for (const unknown of ["no-such-district", "x".repeat(65), "%E4%B8%AD"]) {
      const to = `/api/v1/districts/${unknown}/evaluation-indicators`;
      expect((await server.json(to)).status).toBe(404);
      expect((await put(fx.users.districtAdmin, { indicators: SET }, to)).status).toBe(404);
    }
    expect(await db().auditLog.count({ where: { action: "project.keepIndicators" } })).toBe(0);
  });
});

describe("the 评估指标 page", () => {
  const form = (rows: [string, string][]) => ({
    districtId: fx.district.id,
    ...Object.fromEntries(
      rows.flatMap(([indicator, max], n) => [
        [`indicators.${n}.indicator`, indicator],
        [`indicators.${n}.max`, max],
      ]),
    ),
  });

  it("shows the set to anyone, and the form only to the district's admins", async () => {
    const anonymous = await pages.page("/projects/indicators");
    expect(anonymous.status).toBe(200);
    expect(visibleText(anonymous.html)).toContain("平台初始的评估指标（区里还没有设置）");
    expect(visibleText(anonymous.html)).toContain("服务成效40");
    expect(anonymous.html).not.toContain('name="indicators.0.indicator"');
    for (const user of [fx.users.subdistrictAdminA, member, otherDistrictAdmin]) {
      const { html } = await pages.page(
        `/projects/indicators?district=${fx.district.id}`,
        await pages.cookieOf(user),
      );
      expect(html).toContain("服务成效");
      expect(html).not.toContain('name="indicators.0.indicator"');
    }
    const admin = await pages.page(
      `/projects/indicators?district=${fx.district.id}`,
      await pages.cookieOf(fx.users.districtAdmin),
    );
    expect(admin.html).toContain('name="indicators.0.indicator"');
    expect(admin.html).toContain('value="服务成效"');
    expect(admin.html).toContain('name="indicators.7.max"');
    expect((await pages.page("/projects/indicators?district=nothing-here")).status).toBe(404);
    expect((await pages.page("/projects")).html).toContain('href="/projects/indicators"');
  });

  it("saves rows typed by the district admin (blank rows skipped), names a bad row, and refuses the rest", async () => {
    const cookie = await pages.cookieOf(fx.users.districtAdmin);
    const bad = await pages.submit(
      "/projects/indicators",
      cookie,
      form([
        ["服务成效", "50"],
        ["", ""],
        ["资金使用", "零"],
      ]),
    );
    expect(bad.status).toBe(400);
    // The error sits on the row as the form numbers it (the third), and what was typed stays.
    expect(bad.html).toMatch(/id="indicators\.2\.max-error"[^>]*>[^<]*满分/);
    expect(bad.html).toContain('value="零"');
    expect(await storedSet()).toEqual([]);

    const saved = await pages.submit(
      "/projects/indicators",
      cookie,
      form([
        ["服务成效", "50"],
        ["", ""],
        ["资金使用", "20"],
      ]),
    );
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/projects/indicators?district=${fx.district.id}&saved=1`);
    expect(await storedSet()).toEqual([
      { indicator: "服务成效", max: 50 },
      { indicator: "资金使用", max: 20 },
    ]);
    const after = await pages.page(saved.location ?? "", cookie);
    expect(visibleText(after.html)).toContain("评估指标已保存。");
    expect(visibleText(after.html)).toContain("区里设置的评估指标");

    for (const user of [fx.users.subdistrictAdminA, otherDistrictAdmin]) {
      const refused = await pages.submit(
        "/projects/indicators",
        await pages.cookieOf(user),
        form([["自定指标", "10"]]),
      );
      expect(refused.status).toBe(403);
    }
    const stranger = await pages.submit("/projects/indicators", "", form([["自定指标", "10"]]));
    expect(stranger.status).toBe(302);
    expect(stranger.location).toMatch(/^\/login/);
    expect(await storedSet()).toEqual([
      { indicator: "服务成效", max: 50 },
      { indicator: "资金使用", max: 20 },
    ]);
  });

  it("pre-fills the district's evaluation forms from the set it keeps", async () => {
    const today = chinaDay(new Date());
    const project = await createProjectRow(db(), {
      purchaser: {
        id: fx.subdistricts.a.id,
        level: "SUBDISTRICT",
        subdistrictId: fx.subdistricts.a.id,
        districtId: fx.district.id,
      },
      providerId,
      createdById: fx.users.subdistrictAdminA.id,
      budgetFen: 10_000_000,
      startsOn: new Date(`${isoDay(new Date(today.getTime() - 30 * DAY_MS))}T00:00:00Z`),
      endsOn: new Date(`${isoDay(new Date(today.getTime() + 300 * DAY_MS))}T00:00:00Z`),
      targets: { activitiesHeld: 10 },
    });
    const evaluator = await pages.cookieOf(fx.users.subdistrictAdminA);
    const before = (await pages.page(`/projects/${project.id}/evaluations/new`, evaluator)).html;
    expect(before).toContain('value="财务规范"');
    await put(fx.users.districtAdmin, { indicators: SET });
    const after = (await pages.page(`/projects/${project.id}/evaluations/new`, evaluator)).html;
    expect(after).toMatch(
      /name="scores\.1\.indicator"[^>]*value="群众满意度"|value="群众满意度"[^>]*name="scores\.1\.indicator"/,
    );
    expect(after).toMatch(/name="scores\.0\.max"[^>]*value="50"|value="50"[^>]*name="scores\.0\.max"/);
    expect(after).not.toContain('value="财务规范"');
    // Two spare rows after the district's three.
    expect(after).toContain('name="scores.4.indicator"');
    expect(after).not.toContain('name="scores.5.indicator"');
  });
});
