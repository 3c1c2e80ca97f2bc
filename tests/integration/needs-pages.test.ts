import type { NeedStatus } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed } from "../../prisma/factories/marketplace";
import { maskOf, pagesOf, joinedText as textOf, visibleText } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// The needs pages as a browser without JavaScript sees them: HTML from GET, urlencoded form posts from
// this site, the session cookie made the way sign-in makes it.

let server: TestServer;
let fx: TerritoryFixture;
let neighbourA1: Awaited<ReturnType<typeof createResident>>;
let residentB1: Awaited<ReturnType<typeof createResident>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  neighbourA1 = await createResident(db(), fx.communities.a1.id);
  residentB1 = await createResident(db(), fx.communities.b1.id);
});

const DAY_MS = 24 * 3600 * 1000;

const { cookieOf, page, submit } = pagesOf(() => server);

const needOfResidentA1 = (values: { status?: NeedStatus; createdAt?: Date; title?: string } = {}) =>
  createNeed(db(), { requesterId: fx.users.residentA1.id, communityId: fx.communities.a1.id, ...values });

const needForm = (overrides: Record<string, string> = {}) => ({
  title: "老人需要上门探访",
  description: "家里老人独居，希望每周有人上门看看。",
  category: "elderly-care",
  urgency: "NORMAL",
  preferredTime: "",
  ...overrides,
});

describe("/needs, the public list", () => {
  it("shows open needs without personal data, filters them, and offers 我要提需求", async () => {
    const open = await needOfResidentA1({ title: "需要助餐服务" });
    const legal = await createNeed(db(), {
      requesterId: residentB1.id,
      communityId: fx.communities.b1.id,
      category: "legal",
      urgency: "HIGH",
      title: "咨询遗产法律问题",
    });
    await needOfResidentA1({ status: "CANCELLED", title: "已经取消的需求" });

    const { status, html } = await page("/needs");
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>居民需求/);
    expect(html).toContain('href="/needs/new"');
    expect(html).toContain("我要提需求");
    expect(html).toContain(`href="/needs/${open.id}"`);
    expect(html).toContain("咨询遗产法律问题");
    expect(html).toContain("紧急");
    expect(html).not.toContain("已经取消的需求");
    for (const person of [fx.users.residentA1, residentB1]) {
      expect(html).not.toContain(person.name);
      expect(html).not.toContain(person.phone);
      expect(html).not.toContain(maskOf(person.phone));
    }

    const filtered = await page("/needs?category=legal");
    expect(filtered.html).toContain(`href="/needs/${legal.id}"`);
    expect(filtered.html).not.toContain(`href="/needs/${open.id}"`);
    expect(filtered.html).toContain('<option value="legal" selected="">');

    const bad = await page("/needs?category=cooking");
    expect(bad.status).toBe(200);
    expect(bad.html).toContain("请选择需求类别");
    expect(bad.html).toContain(`href="/needs/${legal.id}"`);
  });
});

describe("/needs/new", () => {
  it("sends visitors to sign in first", async () => {
    const res = await page("/needs/new");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Fneeds%2Fnew");
  });

  it("posts a resident's need for their own community and shows it", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    const form = await page("/needs/new", cookie);
    expect(form.status).toBe(200);
    expect(textOf(form.html)).toContain(`所在社区：<strong>${fx.communities.a1.name}</strong>`);
    expect(form.html).not.toContain("代办");
    expect(form.html).toContain('name="urgency" checked="" value="NORMAL"');

    const res = await submit(
      "/needs/new",
      cookie,
      needForm({ communityId: fx.communities.a1.id, urgency: "HIGH", preferredTime: "周末上午" }),
    );
    expect(res.status).toBe(302);
    const need = await db().need.findFirstOrThrow();
    expect(res.location).toBe(`/needs/${need.id}?posted=1`);
    expect(need).toMatchObject({
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
      urgency: "HIGH",
      preferredTime: "周末上午",
      onBehalf: false,
    });

    const shown = await page(res.location ?? "", cookie);
    expect(shown.html).toContain("需求已提交");
    expect(shown.html).toContain("老人需要上门探访");
    expect(shown.html).toContain(fx.users.residentA1.phone);
  });

  it("shows field errors next to the fields, keeps what was typed (400), and writes nothing", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    const res = await submit(
      "/needs/new",
      cookie,
      needForm({ title: "短", description: "就三个字", category: "", communityId: fx.communities.a1.id }),
    );
    expect(res.status).toBe(400);
    expect(res.html).toContain('id="title-error"');
    expect(res.html).toContain("标题至少4个字");
    expect(res.html).toContain('id="description-error"');
    expect(res.html).toContain("需求描述至少10个字");
    expect(res.html).toContain("请选择需求类别");
    expect(res.html).toContain('aria-invalid="true"');
    expect(res.html).toContain('value="短"');
    expect(res.html).toContain(">就三个字</textarea>");
    expect(await db().need.count()).toBe(0);
  });

  it("answers 403 to a resident posting for another community", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    const res = await submit("/needs/new", cookie, needForm({ communityId: fx.communities.b1.id }));
    expect(res.status).toBe(403);
    expect(res.html).toContain("没有权限");
    expect(await db().need.count()).toBe(0);
  });

  it("gives staff a 代办 section with the communities of their scope, and opens an account when needed", async () => {
    const cookie = await cookieOf(fx.users.subdistrictAdminA);
    const form = await page("/needs/new", cookie);
    expect(form.html).toContain("代办：为居民填写");
    expect(form.html).toContain('name="requesterPhone"');
    expect(form.html).toContain(`<option value="${fx.communities.a1.id}">`);
    expect(form.html).toContain(`<option value="${fx.communities.a2.id}">`);
    expect(form.html).not.toContain(`<option value="${fx.communities.b1.id}">`);

    const missingName = await submit(
      "/needs/new",
      cookie,
      needForm({ requesterPhone: "13912345678", requesterName: "", communityId: fx.communities.a2.id }),
    );
    expect(missingName.status).toBe(400);
    expect(missingName.html).toContain("请填写居民姓名");
    expect(missingName.html).toContain("您的辖区内没有使用该手机号的居民");
    expect(missingName.html).toContain('value="13912345678"');

    const res = await submit(
      "/needs/new",
      cookie,
      needForm({ requesterPhone: "13912345678", requesterName: "张桂兰", communityId: fx.communities.a2.id }),
    );
    expect(res.status).toBe(302);
    const user = await db().user.findUniqueOrThrow({ where: { phone: "13912345678" } });
    const need = await db().need.findFirstOrThrow({ where: { requesterId: user.id } });
    expect(need).toMatchObject({ onBehalf: true, createdById: fx.users.subdistrictAdminA.id });
    expect(await db().auditLog.count({ where: { action: "need.create.onBehalf", targetId: need.id } })).toBe(
      1,
    );
  });

  it("answers a number held outside the scope as it answers one nobody holds (DESIGN.md §7)", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const before = await db().need.count();
    // What the worker reads, the number they typed aside (the page's nonce is not read).
    const seen = (html: string, phone: string) => visibleText(html).replaceAll(phone, "<phone>");
    const bare = (phone: string) =>
      submit("/needs/new", cookie, needForm({ requesterPhone: phone, communityId: fx.communities.a1.id }));
    const outside = await bare(residentB1.phone);
    const unknown = await bare("13912345678");
    expect(outside.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(seen(outside.html, residentB1.phone)).toEqual(seen(unknown.html, "13912345678"));
    expect(outside.html).not.toContain(residentB1.name);
    expect(await db().need.count()).toBe(before);

    // With a name both go ahead to the need's page, which names the person as typed.
    const named = await submit(
      "/needs/new",
      cookie,
      needForm({
        requesterPhone: residentB1.phone,
        requesterName: "王秀兰",
        communityId: fx.communities.a1.id,
      }),
    );
    expect(named.status).toBe(302);
    const needPage = await page(named.location ?? "", cookie);
    expect(needPage.html).toContain("王秀兰");
    expect(needPage.html).not.toContain(residentB1.name);
    const workbench = await page("/workbench/needs", cookie);
    expect(workbench.html).toContain("王秀兰");
    expect(workbench.html).not.toContain(residentB1.name);
  });

  it("preselects the only community of a community worker", async () => {
    const form = await page("/needs/new", await cookieOf(fx.users.workerA1));
    expect(form.html).toContain(`<option value="${fx.communities.a1.id}" selected="">`);
  });
});

describe("/me/needs", () => {
  it("lists the resident's own needs with their status in Chinese, linked from /me", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    expect((await page("/me", cookie)).html).toContain('href="/me/needs"');
    const labels: [NeedStatus, string][] = [
      ["OPEN", "待对接"],
      ["MATCHED", "已对接"],
      ["SCHEDULED", "已安排"],
      ["FULFILLED", "已完成"],
      ["CANCELLED", "已取消"],
      ["CLOSED", "已关闭"],
    ];
    for (const [status] of labels) await needOfResidentA1({ status, title: `我的${status}需求` });
    await createNeed(db(), {
      requesterId: neighbourA1.id,
      communityId: fx.communities.a1.id,
      title: "邻居的需求",
    });

    const { status, html } = await page("/me/needs", cookie);
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>我的需求/);
    for (const [need, label] of labels) {
      expect(html).toContain(`我的${need}需求`);
      expect(html).toContain(`badge--status-${need.toLowerCase()}">${label}</span>`);
    }
    expect(html).not.toContain("邻居的需求");
  });

  it("sends visitors to sign in", async () => {
    const res = await page("/me/needs");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Fme%2Fneeds");
  });
});

describe("/workbench/needs, triage", () => {
  it("is for staff only", async () => {
    expect((await page("/workbench/needs")).status).toBe(302);
    const resident = await page("/workbench/needs", await cookieOf(fx.users.residentA1));
    expect(resident.status).toBe(403);
    expect(resident.html).toContain("没有权限");
  });

  it("lists the needs of the worker's community with masked phones, and filters them", async () => {
    const old = await needOfResidentA1({
      title: "等了十天的需求",
      createdAt: new Date(Date.now() - 10 * DAY_MS),
    });
    const urgent = await createNeed(db(), {
      requesterId: neighbourA1.id,
      communityId: fx.communities.a1.id,
      title: "紧急的送医需求",
      urgency: "HIGH",
      category: "medical",
    });
    await createNeed(db(), {
      requesterId: residentB1.id,
      communityId: fx.communities.b1.id,
      title: "别处的需求",
    });
    const cookie = await cookieOf(fx.users.workerA1);

    const all = await page("/workbench/needs", cookie);
    expect(all.status).toBe(200);
    const text = textOf(all.html);
    expect(text).toContain("等了十天的需求");
    expect(text).toContain("已等待 10 天");
    expect(text).toContain("紧急的送医需求");
    expect(text).not.toContain("别处的需求");
    expect(text).toContain(`${neighbourA1.name}（${maskOf(neighbourA1.phone)}）`);
    expect(text).not.toContain(neighbourA1.phone);
    expect(all.html).toContain("need-card--urgent");
    expect(all.html.indexOf("等了十天的需求")).toBeLessThan(all.html.indexOf("紧急的送医需求"));
    expect(all.html).not.toContain(`<option value="${fx.communities.b1.id}"`);

    const byUrgency = await page("/workbench/needs?urgency=HIGH&category=&status=", cookie);
    expect(byUrgency.html).toContain(`href="/needs/${urgent.id}"`);
    expect(byUrgency.html).not.toContain(`href="/needs/${old.id}"`);
    const byAge = await page("/workbench/needs?olderThanDays=7", cookie);
    expect(byAge.html).toContain(`href="/needs/${old.id}"`);
    expect(byAge.html).not.toContain(`href="/needs/${urgent.id}"`);
    expect(byAge.html).toContain('<option value="7" selected="">');
    const byStatus = await page("/workbench/needs?status=CLOSED", cookie);
    expect(textOf(byStatus.html)).toContain("共 0 条需求");

    const bad = await page("/workbench/needs?olderThanDays=abc", cookie);
    expect(bad.status).toBe(200);
    expect(bad.html).toContain("天数应为整数");
  });

  it("pages through long lists", async () => {
    for (let i = 0; i < 21; i += 1)
      await needOfResidentA1({ createdAt: new Date(Date.now() - (30 - i) * DAY_MS) });
    const cookie = await cookieOf(fx.users.subdistrictAdminA);
    const first = await page("/workbench/needs?urgency=NORMAL", cookie);
    expect(textOf(first.html)).toContain("第 1 / 2 页");
    expect(first.html).toContain('href="/workbench/needs?urgency=NORMAL&amp;page=2"');
    const second = await page("/workbench/needs?urgency=NORMAL&page=2", cookie);
    expect(second.html.match(/class="card need-card"/g)).toHaveLength(1);
  });
});

describe("/needs/:id", () => {
  it("offers the requester 撤回需求 (not 确认完成) on a fresh need, and withdraws it", async () => {
    const need = await needOfResidentA1();
    const cookie = await cookieOf(fx.users.residentA1);
    const { status, html } = await page(`/needs/${need.id}`, cookie);
    expect(status).toBe(200);
    expect(html).toContain("撤回需求");
    expect(html).not.toContain("确认完成");
    expect(html).not.toContain('name="rating"');
    expect(html).not.toContain("关闭（填写原因）");
    expect(html).toContain(fx.users.residentA1.phone);

    const res = await submit(`/needs/${need.id}`, cookie, { intent: "cancel" });
    expect(res.status).toBe(200);
    expect(res.html).toContain("需求已撤回");
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("CANCELLED");
    // Cancelled is final: no more buttons, and a second try from a stale page is a conflict.
    const again = await submit(`/needs/${need.id}`, cookie, { intent: "cancel" });
    expect(again.status).toBe(409);
    expect(again.html).toContain("该需求当前“已取消”，不能取消");
    expect((await page(`/needs/${need.id}`, cookie)).html).not.toContain("确认撤回需求");
  });

  it("lets the requester confirm with a rating and a comment, on the 确认完成 page", async () => {
    const need = await needOfResidentA1({ status: "SCHEDULED" });
    const cookie = await cookieOf(fx.users.residentA1);
    const { html } = await page(`/needs/${need.id}`, cookie);
    expect(html).toContain(`href="/needs/${need.id}/fulfil"`);
    expect(html).not.toContain('name="rating"');
    const form = await page(`/needs/${need.id}/fulfil`, cookie);
    expect(textOf(form.html)).toContain("5 分 非常满意");
    expect(form.html).toContain('type="radio" name="rating" value="1"');
    const bad = await submit(`/needs/${need.id}/fulfil`, cookie, { rating: "9", comment: "不错" });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("评分应为1到5的整数");
    expect(bad.html).toContain(">不错</textarea>");

    const res = await submit(`/needs/${need.id}/fulfil`, cookie, { rating: "5", comment: "志愿者很耐心" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/needs/${need.id}?fulfilled=1`);
    expect((await page(`/needs/${need.id}?fulfilled=1`, cookie)).html).toContain("感谢您的评价");
    expect(await db().need.findUniqueOrThrow({ where: { id: need.id } })).toMatchObject({
      status: "FULFILLED",
      rating: 5,
      ratingComment: "志愿者很耐心",
    });
    expect(textOf((await page(`/needs/${need.id}`, cookie)).html)).toContain("5 分 非常满意：志愿者很耐心");
  });

  it("offers staff in scope 关闭（填写原因） and 确认完成 once matched, and closes with a reason", async () => {
    const matched = await needOfResidentA1({ status: "MATCHED" });
    const cookie = await cookieOf(fx.users.workerA1);
    expect((await page(`/needs/${matched.id}`, cookie)).html).toContain("确认完成");
    expect((await page(`/needs/${matched.id}/fulfil`, cookie)).html).not.toContain('name="rating"');
    const need = await needOfResidentA1();
    const { html } = await page(`/needs/${need.id}`, cookie);
    expect(html).toContain("关闭（填写原因）");
    expect(html).not.toContain("确认完成");
    expect(html).not.toContain("确认撤回需求");
    expect(html).toContain(fx.users.residentA1.phone);

    const empty = await submit(`/needs/${need.id}`, cookie, { intent: "close", reason: "" });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('id="reason-error"');
    expect(empty.html).toContain('<details class="card" open="">');
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("OPEN");

    const res = await submit(`/needs/${need.id}`, cookie, { intent: "close", reason: "居民已搬离本社区" });
    expect(res.status).toBe(200);
    expect(res.html).toContain("需求已关闭");
    expect(res.html).toContain("居民已搬离本社区");
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("CLOSED");
  });

  it("lets staff confirm fulfilment without a rating", async () => {
    const need = await needOfResidentA1({ status: "MATCHED" });
    const res = await submit(`/needs/${need.id}/fulfil`, await cookieOf(fx.users.subdistrictAdminA));
    expect(res.status).toBe(302);
    expect(await db().need.findUniqueOrThrow({ where: { id: need.id } })).toMatchObject({
      status: "FULFILLED",
      rating: null,
    });
  });

  it("shows others the masked phone and no buttons, and refuses their posts (403)", async () => {
    const need = await needOfResidentA1();
    for (const user of [
      neighbourA1,
      await createUser(db(), { roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }] }),
    ]) {
      const cookie = await cookieOf(user);
      const { status, html } = await page(`/needs/${need.id}`, cookie);
      expect(status).toBe(200);
      expect(html).toContain(maskOf(fx.users.residentA1.phone));
      expect(html).not.toContain(fx.users.residentA1.phone);
      expect(html).not.toContain(fx.users.residentA1.name);
      expect(html).not.toContain('name="intent"');
      const forms: Record<string, string>[] = [{ intent: "cancel" }, { intent: "close", reason: "重复提交" }];
      for (const form of forms) {
        const res = await submit(`/needs/${need.id}`, cookie, form);
        expect(res.status, form.intent).toBe(403);
      }
      expect((await submit(`/needs/${need.id}/fulfil`, cookie)).status).toBe(403);
    }
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("OPEN");
    expect(await db().auditLog.count()).toBe(0);
  });

  it("answers 404 for an unknown need and an unknown intent with 400", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    const missing = await page("/needs/no-such-need", cookie);
    expect(missing.status).toBe(404);
    expect(missing.html).toContain("页面不存在");
    const need = await needOfResidentA1();
    const unknown = await submit(`/needs/${need.id}`, cookie, { intent: "delete" });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain("未知的操作");
  });
});
