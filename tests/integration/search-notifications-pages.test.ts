import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { reindex } from "~/search/reindex.server";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createHeldActivity } from "../factories/activities";
import { expectCleanAnswer, garbageFormValue } from "../setup/garbage";
import { decodeEntities as decode, pagesOf, visibleText as textOf } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// The 搜索 page, the header's search box and 通知 badge, and the notification centre, as a browser
// without JavaScript sees them: HTML from GET, urlencoded form posts from this site, the session
// cookie made the way sign-in makes it. Documents reach the index the way `npm run reindex` puts them.

let server: TestServer;
let fx: TerritoryFixture;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const { cookieOf, page, submit } = pagesOf(() => server);

type Anchor = { href: string; className: string; current: string | null; text: string };

/** Every <a> of the page: its address, class, aria-current and visible text. */
function anchors(html: string): Anchor[] {
  return [...html.matchAll(/<a\b([^>]*)>([\s\S]*?)<\/a>/g)].map(([, attrs = "", inner = ""]) => ({
    href: decode(/\bhref="([^"]*)"/.exec(attrs)?.[1] ?? ""),
    className: /\bclass="([^"]*)"/.exec(attrs)?.[1] ?? "",
    current: /\baria-current="([^"]*)"/.exec(attrs)?.[1] ?? null,
    text: textOf(inner),
  }));
}

const anchorsOf = (html: string, className: string) => anchors(html).filter((a) => a.className === className);

/** The one link of a class whose text contains the words. */
function linkTo(html: string, className: string, words: string) {
  const found = anchorsOf(html, className).filter((a) => a.text.includes(words));
  expect(found.map((a) => a.text)).toHaveLength(1);
  return found[0] ?? { href: "", className, current: null, text: "" };
}

/** The same address as the page would request it (the test server wants a path). */
const pathOf = (href: string) => {
  const url = new URL(href, server.origin);
  return url.pathname + url.search;
};

const paramsOf = (href: string) => Object.fromEntries(new URL(href, server.origin).searchParams);

const indexEverything = () => reindex(new PostgresSearchEngine(db()));

/** The header's unread badge on a page, or null when there is none. */
const badgeOfPage = (html: string) => /<span class="count-badge">(99\+|\d+)/.exec(html)?.[1] ?? null;

let notificationSequence = 0;

/** A notification row as the in-app channel writes it. */
function notification(
  userId: string,
  values: {
    title?: string;
    body?: string;
    link?: string | null;
    readAt?: Date | null;
    createdAt?: Date;
  } = {},
) {
  notificationSequence += 1;
  return db().notification.create({
    data: {
      userId,
      kind: "need.matched",
      title: values.title ?? `测试通知${notificationSequence}`,
      body: values.body ?? "您的需求有了新进展。",
      link: values.link === undefined ? "/me/needs" : values.link,
      dedupeKey: `test-${notificationSequence}`,
      readAt: values.readAt ?? null,
      createdAt: values.createdAt ?? new Date(Date.now() - (1000 - notificationSequence) * 1000),
    },
  });
}

/** A small marketplace: an approved social organization serving subdistrict A and B1, a merchant
 * serving B, their published services, a draft that must not show, and a suspended provider. */
async function marketplace() {
  const org = await createProvider(db(), {
    name: "阳光社工服务中心",
    kind: "SOCIAL_ORG",
    description: "专业社工团队，为老人提供助浴、助餐和心理慰藉。",
    communityIds: [fx.communities.a1.id, fx.communities.a2.id, fx.communities.b1.id],
  });
  const shop = await createProvider(db(), {
    name: "便民理发店",
    kind: "MERCHANT",
    description: "社区里的老字号理发店。",
    communityIds: [fx.communities.b1.id, fx.communities.b2.id],
  });
  const bathing = await createService(db(), {
    providerId: org.id,
    title: "老年人助浴上门服务",
    description: "为行动不便的老人上门助浴，专业护理员两人一组。",
    category: "elderly-care",
    funding: "GOVERNMENT_PURCHASED",
    communityIds: [fx.communities.a1.id],
  });
  const meals = await createService(db(), {
    providerId: org.id,
    title: "长者助餐送餐",
    description: "每天中午为独居老人送餐上门，可以代为助浴预约。",
    category: "elderly-care",
    funding: "FREE",
    // Also in subdistrict B: the community facet under A must still list A's communities only.
    communityIds: [fx.communities.a2.id, fx.communities.b1.id],
  });
  const counselling = await createService(db(), {
    providerId: org.id,
    title: "心理咨询热线",
    description: "社工接听，倾听烦恼，提供心理疏导。",
    category: "mental-health",
    funding: "FREE",
    communityIds: [fx.communities.b1.id],
  });
  const haircut = await createService(db(), {
    providerId: shop.id,
    title: "上门理发",
    description: "为卧床老人上门理发，收费实惠。",
    category: "housekeeping",
    funding: "PAID",
    communityIds: [fx.communities.b2.id],
  });
  const draft = await createService(db(), {
    providerId: shop.id,
    title: "助浴草稿服务",
    status: "DRAFT",
    communityIds: [fx.communities.b1.id],
  });
  return { org, shop, bathing, meals, counselling, haircut, draft };
}

describe("/search", () => {
  it("finds services with the matched words marked, links to them, and shows the total and time", async () => {
    const m = await marketplace();
    await indexEverything();

    const { status, html } = await page(`/search?q=${encodeURIComponent("助浴")}`);
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>搜索<\/h1>/);
    const results = anchors(html).filter((a) => a.href.startsWith("/services/"));
    expect(results.map((a) => a.href).sort()).toEqual(
      [`/services/${m.bathing.id}`, `/services/${m.meals.id}`].sort(),
    );
    expect(html).toContain("老年人<mark>助浴</mark>上门服务");
    // The snippet marks the word too: 长者助餐送餐's match is in its description.
    expect(html).toMatch(/可以代为<mark>助浴<\/mark>预约/);
    expect(html).not.toContain("助浴草稿服务");
    expect(textOf(html)).toContain("找到 2 条与“助浴”有关的服务");
    // The time taken is for the API, not for a resident (#15).
    expect(textOf(html)).not.toContain("毫秒");
    // The search box keeps the word; the header's box steps aside for the page's own.
    expect(html).toMatch(/<input[^>]*name="q"[^>]*value="助浴"/);
    expect(html.match(/name="q"/g)).toHaveLength(1);

    // Text that reaches the page is escaped, never markup: the title comes from a provider.
    await db().service.update({ where: { id: m.haircut.id }, data: { title: "<b>上门</b>理发" } });
    await indexEverything();
    const escaped = await page(`/search?q=${encodeURIComponent("理发")}`);
    expect(escaped.html).not.toContain("<b>上门</b>");
    expect(escaped.html).toContain("&lt;b&gt;上门&lt;/b&gt;<mark>理发</mark>");
  });

  it("searches organizations in the 组织 tab and lists everything newest first without a word", async () => {
    const m = await marketplace();
    await indexEverything();

    const providers = await page(`/search?type=provider&q=${encodeURIComponent("理发")}`);
    expect(providers.status).toBe(200);
    expect(linkTo(providers.html, "tabs__link", "组织").current).toBe("page");
    expect(anchors(providers.html).some((a) => a.href === `/providers/${m.shop.id}`)).toBe(true);
    expect(providers.html).toContain("便民<mark>理发</mark>店");

    const all = await page("/search");
    expect(all.status).toBe(200);
    expect(textOf(all.html)).toContain("共 4 条服务");
  });

  it("offers facets with counts whose links add a filter, shown as a chip that removes it", async () => {
    await marketplace();
    await indexEverything();

    const { html } = await page("/search?type=service");
    const elderly = linkTo(html, "facet__link", "养老助老");
    expect(elderly.text).toContain("养老助老2");
    expect(linkTo(html, "facet__link", "心理健康").text).toContain("心理健康1");
    expect(linkTo(html, "facet__link", "政府购买").text).toContain("政府购买1");
    expect(linkTo(html, "facet__link", "特色商家").text).toContain("特色商家1");
    expect(linkTo(html, "facet__link", fx.subdistricts.a.name).text).toContain(`${fx.subdistricts.a.name}2`);
    // No subdistrict chosen yet: no wall of community links.
    expect(anchorsOf(html, "facet__link").some((a) => a.text.includes(fx.communities.a1.name))).toBe(false);
    expect(paramsOf(elderly.href)).toEqual({ type: "service", category: "elderly-care" });

    const filtered = await page(pathOf(elderly.href));
    expect(textOf(filtered.html)).toContain("共 2 条服务");
    expect(filtered.html).not.toContain("心理咨询热线");
    const chosen = linkTo(filtered.html, "facet__link", "养老助老");
    expect(chosen.current).toBe("true");
    expect(paramsOf(chosen.href)).toEqual({ type: "service" });
    const chip = linkTo(filtered.html, "chip", "类别：养老助老");
    expect(paramsOf(chip.href)).toEqual({ type: "service" });
    // A new word keeps the chosen filter.
    expect(filtered.html).toMatch(/<input type="hidden" name="category" value="elderly-care"\/>/);

    // Subdistrict A, then its communities with their own counts (and none of subdistrict B's).
    const subdistrictA = linkTo(filtered.html, "facet__link", fx.subdistricts.a.name);
    const inA = await page(pathOf(subdistrictA.href));
    expect(paramsOf(subdistrictA.href)).toEqual({
      type: "service",
      category: "elderly-care",
      subdistrictId: fx.subdistricts.a.id,
    });
    const a2 = linkTo(inA.html, "facet__link", fx.communities.a2.name);
    expect(a2.text).toContain(`${fx.communities.a2.name}1`);
    expect(inA.html).toContain(`社区（${fx.subdistricts.a.name}）`);
    expect(anchorsOf(inA.html, "facet__link").some((a) => a.text.includes(fx.communities.b1.name))).toBe(
      false,
    );

    const inA2 = await page(pathOf(a2.href));
    expect(textOf(inA2.html)).toContain("共 1 条服务");
    expect(inA2.html).toContain("长者助餐送餐");
    expect(inA2.html).not.toContain("老年人助浴上门服务");
    const chips = anchorsOf(inA2.html, "chip").map((a) => a.text);
    expect(chips).toEqual([
      expect.stringContaining("类别：养老助老"),
      expect.stringContaining(`街道：${fx.subdistricts.a.name}`),
      expect.stringContaining(`社区：${fx.communities.a2.name}`),
    ]);
    // Removing the subdistrict lets go of its community; removing the category keeps the place.
    expect(paramsOf(linkTo(inA2.html, "chip", "街道：").href)).toEqual({
      type: "service",
      category: "elderly-care",
    });
    const withoutCategory = linkTo(inA2.html, "chip", "类别：").href;
    expect(paramsOf(withoutCategory)).toEqual({
      type: "service",
      subdistrictId: fx.subdistricts.a.id,
      communityId: fx.communities.a2.id,
    });
    expect(textOf((await page(pathOf(withoutCategory))).html)).toContain("共 1 条服务");
    expect(paramsOf(linkTo(inA2.html, "", "清除全部条件").href)).toEqual({ type: "service" });
  });

  it("pages through results with the pager, keeping the word and filters", async () => {
    const org = await createProvider(db(), { communityIds: [fx.communities.a1.id] });
    for (let i = 0; i < 3; i++) {
      await createService(db(), {
        providerId: org.id,
        title: `助餐服务${i}`,
        category: "elderly-care",
        communityIds: [fx.communities.a1.id],
      });
    }
    await indexEverything();
    const first = await page(`/search?q=${encodeURIComponent("助餐")}&category=elderly-care&pageSize=2`);
    expect(first.status).toBe(200);
    expect(textOf(first.html)).toContain("第 1 / 2 页");
    const next = linkTo(first.html, "button", "下一页");
    expect(paramsOf(next.href)).toMatchObject({
      q: "助餐",
      category: "elderly-care",
      page: "2",
      pageSize: "2",
    });
    const second = await page(pathOf(next.href));
    expect(textOf(second.html)).toContain("第 2 / 2 页");
    expect(anchors(second.html).filter((a) => a.href.startsWith("/services/"))).toHaveLength(1);
  });

  it("says nothing was found, suggests removing each filter and offers the popular categories", async () => {
    await marketplace();
    await indexEverything();

    const { status, html } = await page(
      `/search?q=${encodeURIComponent("理发")}&type=service&category=legal&funding=FREE`,
    );
    expect(status).toBe(200);
    expect(textOf(html)).toContain("没有找到与“理发”有关的服务");
    const removeCategory = linkTo(html, "chip", "去掉“类别：法律援助”");
    expect(paramsOf(removeCategory.href)).toEqual({ q: "理发", type: "service", funding: "FREE" });
    expect(paramsOf(linkTo(html, "chip", "去掉“收费方式：免费”").href)).toEqual({
      q: "理发",
      type: "service",
      category: "legal",
    });
    const popular = linkTo(html, "chip", "养老助老（2）");
    expect(paramsOf(popular.href)).toEqual({ type: "service", category: "elderly-care" });
    expect(html).toContain('href="/needs/new"');

    // Without filters the advice is about the word.
    const word = await page(`/search?q=${encodeURIComponent("潜水艇")}`);
    expect(textOf(word.html)).toContain("没有找到与“潜水艇”有关的服务");
    expect(textOf(word.html)).toContain("换个说法");
    expect(anchorsOf(word.html, "chip").map((a) => a.text)).toContain("养老助老（2）");
  });

  it("links an activity hit to that activity's page", async () => {
    const activity = await createHeldActivity(db(), {
      communityId: fx.communities.a1.id,
      createdById: fx.users.workerA1.id,
      startsAt: new Date(Date.now() + 3 * 24 * 3600 * 1000),
      status: "PUBLISHED",
      title: "重阳节助浴服务日",
    });
    await indexEverything();
    const { status, html } = await page(`/search?type=activity&q=${encodeURIComponent("助浴")}`);
    expect(status).toBe(200);
    expect(linkTo(html, "", "重阳节助浴服务日").href).toBe(`/activities/${activity.id}`);
  });

  it("has an 活动 tab whose empty state suggests activity categories, never the services'", async () => {
    await marketplace();
    await indexEverything();
    const { status, html } = await page(`/search?type=activity&q=${encodeURIComponent("助浴")}`);
    expect(status).toBe(200);
    expect(linkTo(html, "tabs__link", "活动").current).toBe("page");
    expect(textOf(html)).toContain("没有找到与“助浴”有关的活动");
    expect(textOf(html)).not.toContain("即将开放");
    expect(html).toContain('href="/activities"');
    // Activities are indexed: popular categories come from them (none here), not from the services.
    expect(anchorsOf(html, "chip").map((a) => paramsOf(a.href).type)).not.toContain("service");
  });

  it("shows the 需求 tab to staff only, and tells others why they cannot search needs", async () => {
    await marketplace();
    const need = await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
      title: "独居老人需要助浴",
      description: "老人行动不便，希望每周有人上门帮忙洗澡。",
      category: "elderly-care",
    });
    await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
      title: "已经完成的助浴需求",
      status: "FULFILLED",
    });
    await indexEverything();
    const needTab = (html: string) => anchorsOf(html, "tabs__link").filter((a) => a.text === "需求");

    const anonymous = await page(`/search?q=${encodeURIComponent("助浴")}`);
    expect(anchorsOf(anonymous.html, "tabs__link").map((a) => a.text)).toEqual([
      "服务",
      "组织",
      "活动",
      "阵地",
    ]);
    const resident = await page(
      `/search?q=${encodeURIComponent("助浴")}`,
      await cookieOf(fx.users.residentA1),
    );
    expect(needTab(resident.html)).toEqual([]);

    const worker = await cookieOf(fx.users.workerA1);
    const staff = await page(`/search?q=${encodeURIComponent("助浴")}`, worker);
    expect(paramsOf(needTab(staff.html)[0]?.href ?? "")).toEqual({ q: "助浴", type: "need" });
    const needs = await page(`/search?q=${encodeURIComponent("助浴")}&type=need`, worker);
    expect(needs.status).toBe(200);
    expect(anchors(needs.html).some((a) => a.href === `/needs/${need.id}`)).toBe(true);
    expect(needs.html).toContain("独居老人需要<mark>助浴</mark>");
    expect(linkTo(needs.html, "facet__link", "已完成").text).toContain("已完成1");
    expect(linkTo(needs.html, "facet__link", "待对接").text).toContain("待对接1");
    // Needs carry no personal data into the results.
    expect(needs.html).not.toContain(fx.users.residentA1.name);

    const refused = await page("/search?type=need&q=x", await cookieOf(fx.users.residentA1));
    expect(refused.status).toBe(403);
    expect(refused.html).toContain("只有工作人员和服务机构可以搜索需求");
    expect(refused.html).not.toContain("独居老人");
    expect(refused.html).toContain('href="/me/needs"');

    const signedOut = await page("/search?type=need&status=OPEN");
    expect(signedOut.status).toBe(401);
    expect(signedOut.html).toContain("登录后才能搜索需求");
    expect(anchors(signedOut.html).some((a) => a.href.startsWith("/login?redirectTo=%2Fsearch"))).toBe(true);
  });

  it("shows the error of an over-long word next to the box (400), not a failure", async () => {
    const long = "助".repeat(101);
    const { status, html } = await page(`/search?q=${encodeURIComponent(long)}`);
    expect(status).toBe(400);
    expect(html).toContain("搜索词不能超过100个字");
    expect(html).toMatch(/<input[^>]*aria-invalid="true"/);
    expect(html).toMatch(/id="search-q-error"/);

    const badFilter = await page("/search?category=cooking&q=abc");
    expect(badFilter.status).toBe(400);
    expect(badFilter.html).toContain("没有这个类别");
    expect(paramsOf(linkTo(badFilter.html, "", "清除筛选条件").href)).toEqual({ q: "abc", type: "service" });
  });

  it("answers garbage query strings without failing, signed in or not", async () => {
    await marketplace();
    await indexEverything();
    const cookies = ["", await cookieOf(fx.users.residentA1), await cookieOf(fx.users.districtAdmin)];
    const values = garbageFormValue([
      "service",
      "need",
      "provider",
      "activity",
      "elderly-care",
      "FREE",
      "MERCHANT",
      "OPEN",
      fx.subdistricts.a.id,
      fx.communities.a1.id,
    ]);
    const query = fc.dictionary(
      fc.constantFrom(
        "q",
        "type",
        "category",
        "subdistrictId",
        "communityId",
        "funding",
        "providerKind",
        "status",
        "page",
        "pageSize",
      ),
      values,
    );
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom(...cookies), async (params, cookie) => {
        const response = await server.request(`/search?${new URLSearchParams(params)}`, {
          headers: { cookie },
        });
        await expectCleanAnswer(response);
      }),
      { numRuns: propertyRuns(150) },
    );
  });
});

describe("the header", () => {
  it("has a search box on every page that goes to /search", async () => {
    for (const path of ["/", "/services", "/login", "/no-such-page"]) {
      const { html } = await page(path);
      const form = /<form[^>]*action="\/search"[^>]*>/.exec(html)?.[0] ?? "";
      expect(form).toContain('method="get"');
      expect(form).toContain('role="search"');
      expect(html).toMatch(/<label for="site-search-q" class="visually-hidden">搜索服务、组织<\/label>/);
      expect(html).toMatch(/<input id="site-search-q" name="q"/);
      expect(html).toMatch(/<button type="submit" class="button">搜索<\/button>/);
    }
  });

  it("shows 通知 with the signed-in person's unread count, and nothing of it to visitors", async () => {
    const resident = fx.users.residentA1;
    const other = await createResident(db(), fx.communities.a1.id);
    const cookie = await cookieOf(resident);
    const signedOut = await page("/");
    expect(signedOut.html).not.toContain('href="/me/notifications"');

    const none = await page("/", cookie);
    expect(none.html).toContain('href="/me/notifications"');
    expect(badgeOfPage(none.html)).toBeNull();

    for (let i = 0; i < 3; i++) await notification(resident.id, { title: `通知${i}` });
    await notification(resident.id, { readAt: new Date() });
    await notification(other.id);
    const three = await page("/services", cookie);
    expect(badgeOfPage(three.html)).toBe("3");
    expect(textOf(three.html)).toContain("通知3条未读");
    expect(await db().notification.count({ where: { userId: resident.id, readAt: null } })).toBe(3);
    // 我的 points at the centre with the same count.
    expect(textOf((await page("/me", cookie)).html)).toContain("我的通知（3 条未读）");

    for (let i = 0; i < 100; i++) await notification(resident.id);
    expect(badgeOfPage((await page("/", cookie)).html)).toBe("99+");
  });
});

const MINUTE = 60_000;

describe("/me/notifications", () => {
  it("sends visitors to sign in first", async () => {
    const res = await page("/me/notifications");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Fme%2Fnotifications");
  });

  it("lists one's own notifications newest first, unread ones marked, and filters to 未读", async () => {
    const resident = fx.users.residentA1;
    const other = await createResident(db(), fx.communities.a1.id);
    const now = Date.now();
    await notification(resident.id, {
      title: "需求已对接",
      body: "阳光社工服务中心接下了您的需求。",
      createdAt: new Date(now - 30 * MINUTE),
    });
    await notification(resident.id, {
      title: "活动提醒",
      link: null,
      readAt: new Date(),
      createdAt: new Date(now - 60 * MINUTE),
    });
    await notification(resident.id, { title: "最新的通知", createdAt: new Date(now - MINUTE) });
    await notification(other.id, { title: "别人的通知" });
    const cookie = await cookieOf(resident);

    const { status, html } = await page("/me/notifications", cookie);
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>我的通知<\/h1>/);
    const text = textOf(html);
    expect(text).not.toContain("别人的通知");
    expect(text.indexOf("最新的通知")).toBeLessThan(text.indexOf("需求已对接"));
    expect(text.indexOf("需求已对接")).toBeLessThan(text.indexOf("活动提醒"));
    expect(text).toContain("阳光社工服务中心接下了您的需求。");
    expect(text).toContain("共 3 条通知");
    expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(html.match(/class="card notification notification--unread"/g)).toHaveLength(2);
    expect(html.match(/<span class="badge badge--unread">未读<\/span>/g)).toHaveLength(2);
    // 查看 for those with a link; 标为已读 for the unread ones; 全部标为已读 once.
    expect(html.match(/>查看<\/button>/g)).toHaveLength(2);
    expect(html.match(/>标为已读<\/button>/g)).toHaveLength(2);
    expect(html.match(/>全部标为已读<\/button>/g)).toHaveLength(1);
    expect(linkTo(html, "tabs__link", "全部").current).toBe("page");
    expect(linkTo(html, "tabs__link", "未读").text).toBe("未读（2）");

    const unread = await page("/me/notifications?unread=true", cookie);
    expect(textOf(unread.html)).toContain("未读通知 2 条");
    expect(textOf(unread.html)).not.toContain("活动提醒");
    expect(linkTo(unread.html, "tabs__link", "未读").current).toBe("page");

    const bad = await page("/me/notifications?unread=maybe&page=0", cookie);
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("unread 只能是 true 或 false");
    expect(textOf(bad.html)).toContain("共 3 条通知");
  });

  it("pages through many notifications", async () => {
    for (let i = 0; i < 25; i++) await notification(fx.users.residentA1.id, { title: `第${i}条` });
    const cookie = await cookieOf(fx.users.residentA1);
    const first = await page("/me/notifications?unread=true", cookie);
    expect(textOf(first.html)).toContain("第 1 / 2 页");
    const next = linkTo(first.html, "button", "下一页");
    expect(paramsOf(next.href)).toEqual({ unread: "true", page: "2" });
    const second = await page(pathOf(next.href), cookie);
    expect(second.html.match(/class="card notification notification--unread"/g)).toHaveLength(5);
  });

  it("marks all, or one, as read", async () => {
    const resident = fx.users.residentA1;
    const other = await createResident(db(), fx.communities.a1.id);
    const first = await notification(resident.id);
    const second = await notification(resident.id);
    await notification(resident.id);
    const others = await notification(other.id);
    const cookie = await cookieOf(resident);

    const one = await submit("/me/notifications", cookie, { intent: "read", id: first.id });
    expect(one.status).toBe(200);
    expect(one.html).toContain("已标为已读。");
    expect((await db().notification.findUniqueOrThrow({ where: { id: first.id } })).readAt).not.toBeNull();
    expect((await db().notification.findUniqueOrThrow({ where: { id: second.id } })).readAt).toBeNull();
    expect(badgeOfPage(one.html)).toBe("2");

    const all = await submit("/me/notifications", cookie, { intent: "readAll" });
    expect(all.status).toBe(200);
    expect(all.html).toContain("已将 2 条通知标为已读。");
    expect(await db().notification.count({ where: { userId: resident.id, readAt: null } })).toBe(0);
    expect(all.html).not.toContain(">全部标为已读</button>");
    expect(badgeOfPage(all.html)).toBeNull();
    // Someone else's notification is never touched.
    expect((await db().notification.findUniqueOrThrow({ where: { id: others.id } })).readAt).toBeNull();

    const again = await submit("/me/notifications", cookie, { intent: "readAll" });
    expect(again.html).toContain("没有未读的通知。");

    const missing = await submit("/me/notifications", cookie, { intent: "read" });
    expect(missing.status).toBe(400);
    const unknown = await submit("/me/notifications", cookie, { intent: "delete", id: first.id });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain("未知的操作");
  });

  it("opens a notification: marks it read and goes to its page, never off the site", async () => {
    const resident = fx.users.residentA1;
    const cookie = await cookieOf(resident);
    const local = await notification(resident.id, { link: "/needs/abc?from=notice#top" });
    const external = await notification(resident.id, { link: "https://evil.example/steal" });
    const sneaky = await notification(resident.id, { link: "/\t/evil.example" });
    const noLink = await notification(resident.id, { link: null });

    const opened = await submit(`/me/notifications/${local.id}`, cookie);
    expect(opened.status).toBe(302);
    expect(opened.location).toBe("/needs/abc?from=notice#top");
    expect((await db().notification.findUniqueOrThrow({ where: { id: local.id } })).readAt).not.toBeNull();

    for (const refused of [external, sneaky, noLink]) {
      const res = await submit(`/me/notifications/${refused.id}`, cookie);
      expect(res.status).toBe(302);
      expect(res.location).toBe("/me/notifications");
      expect(
        (await db().notification.findUniqueOrThrow({ where: { id: refused.id } })).readAt,
      ).not.toBeNull();
    }

    // A GET (a bookmarked or pasted address) lands in the centre and changes nothing.
    const fresh = await notification(resident.id);
    const got = await page(`/me/notifications/${fresh.id}`, cookie);
    expect(got.status).toBe(302);
    expect(got.location).toBe("/me/notifications");
    expect((await db().notification.findUniqueOrThrow({ where: { id: fresh.id } })).readAt).toBeNull();

    const signedOut = await submit(`/me/notifications/${fresh.id}`, "");
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/login\?redirectTo=/);
    expect((await db().notification.findUniqueOrThrow({ where: { id: fresh.id } })).readAt).toBeNull();
  });

  it("never lets one person mark or open another person's notification", async () => {
    const owner = fx.users.residentA1;
    const intruder = await createResident(db(), fx.communities.a1.id);
    const theirs = await notification(owner.id, { title: "只给本人看的通知", link: "/me/needs" });
    const cookie = await cookieOf(intruder);

    const marked = await submit("/me/notifications", cookie, { intent: "read", id: theirs.id });
    expect(marked.status).toBe(200);
    expect(marked.html).toContain("没有需要标记的通知。");
    expect(marked.html).not.toContain("只给本人看的通知");
    const all = await submit("/me/notifications", cookie, { intent: "readAll" });
    expect(all.status).toBe(200);
    const opened = await submit(`/me/notifications/${theirs.id}`, cookie);
    expect(opened.status).toBe(302);
    expect(opened.location).toBe("/me/notifications?missing=1");
    expect((await db().notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull();

    const centre = await page(opened.location ?? "", cookie);
    expect(centre.html).toContain("这条通知不存在");
    expect(centre.html).not.toContain("只给本人看的通知");
  });

  it("answers garbage forms and addresses without failing or touching others' notifications", async () => {
    const other = await createResident(db(), fx.communities.a1.id);
    const theirs = await notification(other.id);
    const mine = await notification(fx.users.residentA1.id);
    const cookie = await cookieOf(fx.users.residentA1);
    const value = garbageFormValue(["read", "readAll", theirs.id, mine.id, "true", "1"]);
    const form = fc.dictionary(fc.constantFrom("intent", "id", "ids", "all", "page", "unread"), value);
    const segment = fc.oneof(
      fc.constantFrom(theirs.id, mine.id),
      fc
        .string({ minLength: 1, maxLength: 80 })
        .filter((id) => id !== "." && id !== "..")
        .map(encodeURIComponent),
    );
    await fc.assert(
      fc.asyncProperty(form, segment, fc.boolean(), async (values, id, signedIn) => {
        const headers = {
          "content-type": "application/x-www-form-urlencoded",
          origin: server.origin,
          cookie: signedIn ? cookie : "",
        };
        const body = new URLSearchParams(values).toString();
        for (const path of ["/me/notifications", `/me/notifications/${id}`]) {
          await expectCleanAnswer(await server.request(path, { method: "POST", body, headers }));
        }
        await expectCleanAnswer(
          await server.request(`/me/notifications?${body}`, { headers: { cookie: headers.cookie } }),
        );
      }),
      { numRuns: propertyRuns(120) },
    );
    expect((await db().notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull();
  });
});
