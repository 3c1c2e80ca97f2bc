import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { pagesOf, joinedText as textOf } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Issue #15 items 1–2: a need tells its story to the resident (已提交 → 社区已受理 → 已对接 → 已安排
// → 待评价) with a notification at each step, staff notes stay staff-only, and 确认完成 comes only
// once the need is matched, through a page of its own.

let server: TestServer;
const { cookieOf, page, submit } = pagesOf(() => server, { html: textOf });
let fx: TerritoryFixture;
const token: Record<string, string> = {};
let ids: { owner: string; provider: string; service: string; other: string; neighbour: string };
const PROVIDER_PHONE = "02787654321";

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const owner = await createUser(db());
  const neighbour = await createResident(db(), fx.communities.a1.id);
  const provider = await createProvider(db(), {
    name: "东湖助老服务社",
    contactPhone: PROVIDER_PHONE,
    communityIds: [fx.communities.a1.id],
    members: [{ userId: owner.id }],
  });
  const [service, other] = await Promise.all([
    createService(db(), {
      providerId: provider.id,
      title: "上门维修水电",
      communityIds: [fx.communities.a1.id],
    }),
    createService(db(), { providerId: provider.id, title: "上门保洁", communityIds: [fx.communities.a1.id] }),
  ]);
  ids = {
    owner: owner.id,
    provider: provider.id,
    service: service.id,
    other: other.id,
    neighbour: neighbour.id,
  };
  const users = { ...fx.users, owner, neighbour };
  for (const [key, user] of Object.entries(users)) token[key] = await tokenFor(user.id);
});

const post = (path: string, who: string, json: unknown = {}) =>
  server.json(path, { method: "POST", json, token: token[who] });
const get = (path: string, who?: string) => server.json(path, { token: who ? token[who] : undefined });

const kindsOf = async (userId: string) =>
  (await db().notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } })).map((n) => n.kind);

type Step = { key: string; label: string; state: string; details: { label: string; value: string }[] };
const stepsOf = async (needId: string, who = "residentA1") => {
  const res = await get(`/api/v1/needs/${needId}/story`, who);
  expect(res.status).toBe(200);
  return res.body.story.steps as Step[];
};

describe("a need's story", () => {
  it("tells every step with its facts, notifies each once, and keeps the worker's note from her", async () => {
    const resident = fx.users.residentA1;
    const posted = await post("/api/v1/needs", "residentA1", {
      title: "家里卫生间水龙头漏水，想找人上门修一下",
      description: "水龙头一直滴水，关不紧。",
      category: "elderly-care",
    });
    expect(posted.status).toBe(201);
    const needId: string = posted.body.need.id;
    expect(posted.body.need.actions).toMatchObject({ cancel: true, fulfil: false });
    expect(await kindsOf(resident.id)).toEqual(["need.submitted"]);
    let steps = await stepsOf(needId);
    expect(steps.map((s) => [s.key, s.label, s.state])).toEqual([
      ["submitted", "已提交", "done"],
      ["accepted", "社区已受理", "current"],
      ["matched", "已对接", "todo"],
      ["scheduled", "已安排", "todo"],
      ["rated", "待评价", "todo"],
    ]);

    // 社区已受理: the worker sends it to two services; she hears of it once.
    const NOTE = "老人82岁，独居，请先给家属打电话";
    const first = await post("/api/v1/matches", "workerA1", { needId, serviceId: ids.service, note: NOTE });
    expect(first.status).toBe(201);
    expect((await post("/api/v1/matches", "workerA1", { needId, serviceId: ids.other })).status).toBe(201);
    expect(await kindsOf(resident.id)).toEqual(["need.submitted", "need.accepted"]);
    steps = await stepsOf(needId);
    expect(steps.map((s) => s.state)).toEqual(["done", "done", "current", "todo", "todo"]);

    // The note is for the provider and staff, never for her.
    const mine = await get(`/api/v1/matches?needId=${needId}`, "residentA1");
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((m: { note: string | null }) => m.note)).toEqual([null, null]);
    const staffSide = await get(`/api/v1/matches?needId=${needId}`, "workerA1");
    expect(staffSide.body.items.map((m: { note: string | null }) => m.note)).toContain(NOTE);
    expect(JSON.stringify(await get(`/api/v1/needs/${needId}/story`, "residentA1"))).not.toContain("独居");

    // 已对接: the provider, its service and its phone.
    expect((await post(`/api/v1/matches/${first.body.match.id}/accept`, "owner")).status).toBe(200);
    expect(await kindsOf(resident.id)).toEqual(["need.submitted", "need.accepted", "need.matched"]);
    steps = await stepsOf(needId);
    expect(steps[2]).toMatchObject({
      key: "matched",
      state: "done",
      details: [
        { label: "机构", value: "东湖助老服务社", href: `/providers/${ids.provider}` },
        { label: "服务", value: "上门维修水电" },
        { label: "联系电话", value: PROVIDER_PHONE, href: `tel:${PROVIDER_PHONE}` },
      ],
    });
    expect((await get(`/api/v1/needs/${needId}`, "residentA1")).body.need.actions.fulfil).toBe(true);

    // 已安排: which activity, when, where.
    const startsAt = new Date(Date.now() + 48 * 3600 * 1000);
    const activity = await post("/api/v1/activities", "workerA1", {
      title: "上门维修服务日",
      description: "为报修的老人上门维修水电。",
      communityId: fx.communities.a1.id,
      venue: "居民家中（上门）",
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3600 * 1000).toISOString(),
      capacity: 5,
      serviceId: ids.service,
      needIds: [needId],
      providerIds: [ids.provider],
      publish: true,
    });
    expect(activity.status).toBe(201);
    const scheduled = await db().notification.findFirstOrThrow({
      where: { userId: resident.id, kind: "need.scheduled" },
    });
    expect(scheduled.body).toContain("上门维修服务日");
    expect(scheduled.body).toContain("居民家中（上门）");
    expect(scheduled.link).toBe(`/needs/${needId}`);
    steps = await stepsOf(needId);
    expect(steps.map((s) => s.state)).toEqual(["done", "done", "done", "done", "current"]);
    expect(steps[3]?.details.map((d) => d.label)).toEqual(["活动", "时间", "地点"]);
    expect(steps[3]?.details[2]?.value).toBe("居民家中（上门）");

    // The provider of the accepted match reads it too; a neighbour does not.
    expect((await get(`/api/v1/needs/${needId}/story`, "owner")).status).toBe(200);
    expect((await get(`/api/v1/needs/${needId}/story`, "neighbour")).status).toBe(403);
    expect((await get(`/api/v1/needs/${needId}/story`)).status).toBe(401);
    expect((await get("/api/v1/needs/nosuchneed/story", "residentA1")).status).toBe(404);

    // The need page tells the same story, without the note.
    const cookie = await cookieOf(resident);
    const html = await page(`/needs/${needId}`, cookie);
    expect(html.status).toBe(200);
    expect(html.html).toContain("需求进展");
    expect(html.html).toContain(`href="tel:${PROVIDER_PHONE}"`);
    expect(html.html).not.toContain("独居");
    expect(html.html).toContain(`href="/needs/${needId}/fulfil"`);
  });

  it("ends the story where a withdrawn need stopped", async () => {
    const need = await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
    });
    expect((await post(`/api/v1/needs/${need.id}/cancel`, "residentA1")).status).toBe(200);
    const steps = await stepsOf(need.id);
    expect(steps.map((s) => [s.key, s.label, s.state])).toEqual([
      ["submitted", "已提交", "done"],
      ["ended", "已撤回", "done"],
    ]);
  });
});

describe("确认完成", () => {
  it("refuses a need nobody has taken on (409 NOT_MATCHED) and offers 撤回需求 instead", async () => {
    const need = await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
    });
    const res = await post(`/api/v1/needs/${need.id}/fulfil`, "residentA1", { rating: 5 });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: "CONFLICT", fields: { status: "NOT_MATCHED" } });
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("OPEN");
    const cookie = await cookieOf(fx.users.residentA1);
    const html = await page(`/needs/${need.id}`, cookie);
    expect(html.html).toContain("撤回需求");
    expect(html.html).not.toContain("确认完成");
    const fulfilPage = await page(`/needs/${need.id}/fulfil`, cookie);
    expect(fulfilPage.html).toContain("还没有对接服务");
    expect(fulfilPage.html).not.toContain("是的，已经完成");
  });

  it("asks once more on its own page, then confirms with the rating", async () => {
    const need = await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
      status: "MATCHED",
    });
    const cookie = await cookieOf(fx.users.residentA1);
    const form = await page(`/needs/${need.id}/fulfil`, cookie);
    expect(form.status).toBe(200);
    expect(form.html).toContain("是的，已经完成");
    const bad = await submit(`/needs/${need.id}/fulfil`, cookie, { rating: "9", comment: "不错" });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("评分应为1到5的整数");
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("MATCHED");
    const done = await submit(`/needs/${need.id}/fulfil`, cookie, { rating: "5", comment: "师傅很耐心" });
    expect(done.status).toBe(302);
    expect(done.location).toBe(`/needs/${need.id}?fulfilled=1`);
    expect(await db().need.findUniqueOrThrow({ where: { id: need.id } })).toMatchObject({
      status: "FULFILLED",
      rating: 5,
      ratingComment: "师傅很耐心",
    });
  });
});

describe("errors and results take the focus (item 3)", () => {
  it("puts an error summary with links to each field at the top of a failed form", async () => {
    const res = await submit("/register", "", {
      name: "王秀英",
      phone: "13800138000",
      password: "123456",
      communityId: fx.communities.a1.id,
    });
    expect(res.status).toBe(400);
    expect(res.html).toContain('class="form-message form-message--error error-summary" role="alert"');
    expect(res.html).toMatch(/<a href="#password">[^<]+<\/a>/);
    const cookie = await cookieOf(fx.users.residentA1);
    const need = await submit("/needs/new", cookie, {
      title: "想找人修水龙头",
      description: "卫生间水龙头漏水。",
    });
    expect(need.status).toBe(400);
    expect(need.html).toContain('<a href="#category">');
  });
});

describe("适老化 puts the action first (item 4)", () => {
  it("folds the header's search, and puts 我想…… before the statistics", async () => {
    const { elderModeCookie } = await import("~/http/auth.server");
    const elder = (await elderModeCookie.serialize("on")).split(";")[0] ?? "";
    const home = await page("/", elder);
    expect(home.status).toBe(200);
    expect(home.html).toContain('<details class="header-search-toggle">');
    expect(home.html.indexOf("我想……")).toBeLessThan(home.html.indexOf("平台概况"));
    expect((await page("/")).html).not.toContain("header-search-toggle");
  });
});
