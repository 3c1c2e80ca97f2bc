import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { communityCheckboxName } from "~/domain/services/services.schema";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, createUser, type TerritoryFixture } from "../../prisma/factories";
import { createProvider, createService } from "../../prisma/factories/marketplace";
import { pagesOf, sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// The service pages through the real HTTP stack, as a browser without JavaScript uses them: GET
// filter forms, urlencoded posts from this site, the session cookie carried by hand.

let server: TestServer;
let fx: TerritoryFixture;
let owner: Awaited<ReturnType<typeof createUser>>;
let providerA: Awaited<ReturnType<typeof createProvider>>;
let providerB: Awaited<ReturnType<typeof createProvider>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  owner = await createUser(db());
  providerA = await createProvider(db(), {
    name: "明湖助老服务社",
    communityIds: [fx.communities.a1.id, fx.communities.a2.id],
    members: [{ userId: owner.id }],
  });
  providerB = await createProvider(db(), {
    kind: "MERCHANT",
    name: "便民家电维修店",
    communityIds: [fx.communities.b1.id],
  });
});

const pages = pagesOf(() => server);
const { page } = pages;
/** A signed-in browser's cookie, without going through the sign-in form (tested elsewhere). */
const cookieFor = (userId: string) => sessionCookie(server, userId);
/** A urlencoded post from this site (the form before the cookie, as everywhere in this file). */
const submit = (pathname: string, form: Record<string, string>, cookie: string) =>
  pages.submit(pathname, cookie, form);

/** Is the checkbox or radio with this name (and value) rendered ticked? */
const ticked = (html: string, name: string, value = "on") =>
  [...html.matchAll(/<input [^>]*>/g)].some(
    ([input]) =>
      input.includes(`name="${name}"`) && input.includes(`value="${value}"`) && input.includes('checked=""'),
  );

/** The titles of the result cards, in order. */
const cardTitles = (html: string) =>
  [...html.matchAll(/<h3 id="s-[^"]+"><a [^>]*>([^<]+)<\/a><\/h3>/g)].map((match) => match[1]);

describe("/services (browse)", () => {
  beforeEach(async () => {
    const paid = await createService(db(), {
      providerId: providerB.id,
      communityIds: [fx.communities.b1.id],
      title: "家电上门维修",
      category: "housekeeping",
      funding: "PAID",
      priceFen: 5000,
    });
    await db().service.update({ where: { id: paid.id }, data: { publishedAt: new Date(Date.now() + 1000) } });
    await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a1.id, fx.communities.a2.id],
      title: "老人助浴",
      category: "elderly-care",
    });
    await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a1.id],
      title: "草稿服务",
      status: "DRAFT",
    });
    const pending = await createProvider(db(), { status: "PENDING", communityIds: [fx.communities.a1.id] });
    await createService(db(), {
      providerId: pending.id,
      communityIds: [fx.communities.a1.id],
      title: "待审机构服务",
    });
  });

  it("shows cards of public services with category, price, provider and communities", async () => {
    const { status, html } = await page("/services");
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>服务项目/);
    expect(cardTitles(html)).toEqual(["家电上门维修", "老人助浴"]);
    expect(html).toContain("共 2 项服务");
    expect(html).toContain("¥50.00/次");
    expect(html).toContain("家政维修");
    expect(html).toContain("养老助老");
    expect(html).toContain("便民家电维修店");
    expect(html).toContain("特色商家");
    expect(html).toContain(`服务社区：${fx.communities.a1.name}、${fx.communities.a2.name}`);
    expect(html).not.toContain("草稿服务");
    expect(html).not.toContain("待审机构服务");
    expect(html).not.toContain(providerB.contactPhone);
  });

  it("offers the filters as a GET form and narrows by them", async () => {
    const all = await page("/services");
    expect(all.html).toMatch(/<form method="get"/);
    for (const name of ["category", "subdistrictId", "communityId", "funding", "providerKind"]) {
      expect(all.html).toContain(`name="${name}"`);
    }
    expect(all.html).toContain(`label="${fx.district.name} · ${fx.subdistricts.a.name}"`);

    const byCategory = await page(
      "/services?category=elderly-care&funding=&providerKind=&subdistrictId=&communityId=",
    );
    expect(cardTitles(byCategory.html)).toEqual(["老人助浴"]);
    expect(byCategory.html).toContain('<option value="elderly-care" selected="">');
    expect(byCategory.html).toContain("清除筛选");

    expect(cardTitles((await page(`/services?subdistrictId=${fx.subdistricts.b.id}`)).html)).toEqual([
      "家电上门维修",
    ]);
    expect(cardTitles((await page(`/services?communityId=${fx.communities.a2.id}`)).html)).toEqual([
      "老人助浴",
    ]);
    expect(cardTitles((await page("/services?funding=PAID")).html)).toEqual(["家电上门维修"]);
    expect(cardTitles((await page("/services?providerKind=SOCIAL_ORG")).html)).toEqual(["老人助浴"]);
  });

  it("explains an empty result and points to posting a need", async () => {
    const { status, html } = await page("/services?category=legal");
    expect(status).toBe(200);
    expect(cardTitles(html)).toEqual([]);
    expect(html).toContain("没有找到符合条件的服务");
    expect(html).toContain('href="/needs"');
  });

  it("answers a hand-edited bad filter with 400 and a field error", async () => {
    const { status, html } = await page("/services?category=cooking");
    expect(status).toBe(400);
    expect(html).toContain('id="category-error"');
    expect(html).toContain("请选择列表中的服务类别");
  });

  it("pages with 上一页 / 下一页, keeping the filters", async () => {
    for (let i = 0; i < 20; i += 1) {
      await createService(db(), {
        providerId: providerA.id,
        communityIds: [fx.communities.a1.id],
        title: `更多服务${i}`,
      });
    }
    const first = await page("/services?providerKind=SOCIAL_ORG");
    expect(cardTitles(first.html)).toHaveLength(20);
    expect(first.html).toContain("第 1 / 2 页");
    expect(first.html).toContain('href="/services?providerKind=SOCIAL_ORG&amp;page=2"');
    expect(first.html).not.toContain("上一页");
    const second = await page("/services?providerKind=SOCIAL_ORG&page=2");
    expect(cardTitles(second.html)).toHaveLength(1);
    expect(second.html).toContain("上一页");
    expect(second.html).not.toContain("下一页");
  });
});

describe("/services/:id (detail)", () => {
  it("shows the service with its provider link and no contact details", async () => {
    const service = await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a1.id],
      title: "老人助浴",
      description: "每周二上门助浴。\n需提前一天预约。",
      funding: "PAID",
      priceFen: 1250,
      capacityPerWeek: 20,
    });
    const { status, html } = await page(`/services/${service.id}`);
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>老人助浴<\/h1>/);
    expect(html).toContain("每周二上门助浴。\n需提前一天预约。");
    expect(html).toContain("¥12.50/次");
    expect(html).toContain("20 人次");
    expect(html).toContain(`${fx.subdistricts.a.name} · ${fx.communities.a1.name}`);
    expect(html).toContain(`href="/providers/${providerA.id}"`);
    expect(html).not.toContain(providerA.contactPhone);
    expect(html).not.toContain("确认下架");
  });

  it("answers 404 for a draft to the public and shows it to the owner with a note", async () => {
    const draft = await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a1.id],
      status: "DRAFT",
    });
    const anonymous = await page(`/services/${draft.id}`);
    expect(anonymous.status).toBe(404);
    expect(anonymous.html).toContain("页面不存在");
    const own = await page(`/services/${draft.id}`, await cookieFor(owner.id));
    expect(own.status).toBe(200);
    expect(own.html).toContain("这是草稿");
    expect(own.html).toContain(">发布</button>");
  });

  it("gives staff in scope a 下架 button that archives the service", async () => {
    const service = await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a1.id],
    });
    const resident = await cookieFor(fx.users.residentA1.id);
    expect((await page(`/services/${service.id}`, resident)).html).not.toContain("确认下架");
    expect((await submit(`/services/${service.id}`, { intent: "archive" }, resident)).status).toBe(403);

    const worker = await cookieFor(fx.users.workerA1.id);
    const view = await page(`/services/${service.id}`, worker);
    expect(view.html).toContain("下架此服务");
    expect(view.html).toContain("确认下架");
    expect(view.html).not.toContain(">编辑</a>");
    const archived = await submit(`/services/${service.id}`, { intent: "archive" }, worker);
    expect(archived.status).toBe(200);
    expect(archived.html).toContain("服务已下架");
    expect(archived.html).toContain("该服务已下架");
    expect((await db().service.findUniqueOrThrow({ where: { id: service.id } })).status).toBe("ARCHIVED");
    expect((await page(`/services/${service.id}`)).status).toBe(404);
  });
});

describe("/me/providers/:providerId/services (management)", () => {
  const listPath = () => `/me/providers/${providerA.id}/services`;

  it("renders on its own (not inside /me) for the owner, with statuses and actions", async () => {
    await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a1.id],
      title: "已发布的服务",
    });
    await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a1.id],
      title: "一份草稿",
      status: "DRAFT",
    });
    await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a1.id],
      title: "旧服务",
      status: "ARCHIVED",
    });
    const { status, html } = await page(listPath(), await cookieFor(owner.id));
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>服务管理<\/h1>/);
    expect(html).toContain("明湖助老服务社");
    for (const label of ["已发布", "草稿", "已下架", "已发布的服务", "一份草稿", "旧服务", "发布新服务"]) {
      expect(html).toContain(label);
    }
    expect(html.match(/确认下架/g)).toHaveLength(2);
    expect(html.match(/>发布<\/button>/g)).toHaveLength(1);
  });

  it("sends anonymous visitors to sign in and refuses people who do not act for the provider", async () => {
    const anonymous = await page(listPath());
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(listPath())}`);
    for (const userId of [fx.users.residentA1.id, fx.users.districtAdmin.id]) {
      const cookie = await cookieFor(userId);
      expect((await page(listPath(), cookie)).status).toBe(403);
      expect((await page(`${listPath()}/new`, cookie)).status).toBe(403);
    }
    expect(
      (await page("/me/providers/ckunknown0000000000000000/services", await cookieFor(owner.id))).status,
    ).toBe(404);
  });

  it("publishes and archives from the list", async () => {
    const draft = await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a1.id],
      title: "一份草稿",
      status: "DRAFT",
    });
    const cookie = await cookieFor(owner.id);
    const published = await submit(listPath(), { intent: "publish", serviceId: draft.id }, cookie);
    expect(published.status).toBe(200);
    expect(published.html).toContain("“一份草稿”已发布");
    const again = await submit(listPath(), { intent: "publish", serviceId: draft.id }, cookie);
    expect(again.status).toBe(409);
    expect(again.html).toContain("该服务已经发布");
    const archived = await submit(listPath(), { intent: "archive", serviceId: draft.id }, cookie);
    expect(archived.status).toBe(200);
    expect(archived.html).toContain("“一份草稿”已下架");
    expect(await db().auditLog.count({ where: { targetId: draft.id } })).toBe(2);
    expect((await db().service.findUniqueOrThrow({ where: { id: draft.id } })).version).toBe(3);
  });
});

describe("/me/providers/:providerId/services/new and …/edit (the service form)", () => {
  const newPath = () => `/me/providers/${providerA.id}/services/new`;
  const filled = (overrides: Record<string, string> = {}) => ({
    title: "老人助浴",
    description: "每周二、周四上门为行动不便的老人助浴。",
    category: "elderly-care",
    funding: "PAID",
    priceYuan: "12.50",
    capacityPerWeek: "20",
    intent: "publish",
    [communityCheckboxName(fx.communities.a1.id)]: "on",
    ...overrides,
  });

  it("offers only the provider's own communities and notes a pending review", async () => {
    await db().provider.update({ where: { id: providerA.id }, data: { status: "PENDING" } });
    const { status, html } = await page(newPath(), await cookieFor(owner.id));
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>发布新服务<\/h1>/);
    expect(html).toContain(`name="${communityCheckboxName(fx.communities.a1.id)}"`);
    expect(html).toContain(`name="${communityCheckboxName(fx.communities.a2.id)}"`);
    expect(html).not.toContain(`name="${communityCheckboxName(fx.communities.b1.id)}"`);
    expect(html).toContain("正在审核中");
    expect(html).toContain("审核通过后居民才能看到");
    for (const label of ["免费", "收费", "政府购买", "价格（元/次）", "保存为草稿", "发布服务"])
      expect(html).toContain(label);
  });

  it("creates a published service from the form, converting yuan to fen", async () => {
    const cookie = await cookieFor(owner.id);
    const res = await submit(newPath(), filled(), cookie);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/me/providers/${providerA.id}/services?done=published`);
    const service = await db().service.findFirstOrThrow({ include: { communities: true } });
    expect(service).toMatchObject({
      title: "老人助浴",
      funding: "PAID",
      priceFen: 1250,
      capacityPerWeek: 20,
      status: "PUBLISHED",
    });
    expect(service.communities.map((c) => c.communityId)).toEqual([fx.communities.a1.id]);
    expect(await db().outboxEvent.count({ where: { aggregateId: service.id } })).toBe(1);
    const list = await page(res.location ?? "", cookie);
    expect(list.html).toContain("服务已发布");
    expect(list.html).toContain("老人助浴");
  });

  it("saves a draft when asked", async () => {
    const res = await submit(
      newPath(),
      filled({ intent: "draft", funding: "FREE", priceYuan: "" }),
      await cookieFor(owner.id),
    );
    expect(res.status).toBe(302);
    expect(res.location).toContain("done=drafted");
    expect(await db().service.findFirstOrThrow()).toMatchObject({
      status: "DRAFT",
      funding: "FREE",
      priceFen: null,
    });
  });

  it("shows field errors for a bad price, keeping what was typed, and writes nothing", async () => {
    const res = await submit(
      newPath(),
      filled({ priceYuan: "12.345", title: "老人助浴（周二）" }),
      await cookieFor(owner.id),
    );
    expect(res.status).toBe(400);
    expect(res.html).toContain('id="priceYuan-error"');
    expect(res.html).toContain("价格最多保留两位小数");
    expect(res.html).toContain('value="老人助浴（周二）"');
    expect(res.html).toContain('value="12.345"');
    expect(ticked(res.html, communityCheckboxName(fx.communities.a1.id))).toBe(true);
    expect(ticked(res.html, communityCheckboxName(fx.communities.a2.id))).toBe(false);
    expect(ticked(res.html, "funding", "PAID")).toBe(true);
    expect(ticked(res.html, "funding", "FREE")).toBe(false);
    expect(await db().service.count()).toBe(0);

    const free = await submit(
      newPath(),
      filled({ funding: "FREE", priceYuan: "30" }),
      await cookieFor(owner.id),
    );
    expect(free.status).toBe(400);
    expect(free.html).toContain("免费或政府购买的服务不填写价格");
    const unticked = Object.fromEntries(
      Object.entries(filled()).filter(([name]) => !name.startsWith("community_")),
    );
    const noCommunity = await submit(newPath(), unticked, await cookieFor(owner.id));
    expect(noCommunity.status).toBe(400);
    expect(noCommunity.html).toContain("请至少选择一个服务社区");
    expect(await db().service.count()).toBe(0);
  });

  it("refuses a community outside the provider's area with a field error", async () => {
    const res = await submit(
      newPath(),
      filled({ [communityCheckboxName(fx.communities.b1.id)]: "on" }),
      await cookieFor(owner.id),
    );
    expect(res.status).toBe(400);
    expect(res.html).toContain('id="communityIds-error"');
    expect(res.html).toContain("只能选择本机构服务的社区");
    expect(await db().service.count()).toBe(0);
    expect(await db().auditLog.count()).toBe(0);
  });

  it("edits a service with the same form, filled in, and publishes a draft", async () => {
    const draft = await createService(db(), {
      providerId: providerA.id,
      communityIds: [fx.communities.a2.id],
      title: "一份草稿",
      funding: "PAID",
      priceFen: 5000,
      status: "DRAFT",
    });
    const cookie = await cookieFor(owner.id);
    const editPath = `/me/providers/${providerA.id}/services/${draft.id}/edit`;
    const form = await page(editPath, cookie);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/<h1[^>]*>修改服务<\/h1>/);
    expect(form.html).toContain('value="一份草稿"');
    expect(form.html).toContain('value="50.00"');
    expect(ticked(form.html, communityCheckboxName(fx.communities.a2.id))).toBe(true);
    expect(ticked(form.html, "funding", "PAID")).toBe(true);
    expect(form.html).toContain("保存并发布");

    const res = await submit(editPath, filled({ title: "正式的服务", priceYuan: "60" }), cookie);
    expect(res.status).toBe(302);
    expect(res.location).toContain("done=published");
    const saved = await db().service.findUniqueOrThrow({
      where: { id: draft.id },
      include: { communities: true },
    });
    expect(saved).toMatchObject({ title: "正式的服务", priceFen: 6000, status: "PUBLISHED", version: 2 });
    expect(saved.communities.map((c) => c.communityId)).toEqual([fx.communities.a1.id]);
    expect((await page(editPath, cookie)).html).toContain("保存修改");
  });

  it("does not edit another provider's service under this provider's address", async () => {
    const foreign = await createService(db(), {
      providerId: providerB.id,
      communityIds: [fx.communities.b1.id],
    });
    const res = await page(
      `/me/providers/${providerA.id}/services/${foreign.id}/edit`,
      await cookieFor(owner.id),
    );
    expect(res.status).toBe(404);
  });
});
