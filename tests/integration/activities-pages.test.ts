import type { ActivityStatus } from "@prisma/client";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "~/domain/accounts/actor";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { registerForActivity } from "~/domain/activities/registrations.server";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { expectCleanAnswer, garbageFormValue } from "../setup/garbage";
import { keptFixture } from "../setup/kept-fixtures";
import { joinedText, maskOf, pagesOf } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// The 社区活动 pages as a browser without JavaScript sees them: HTML from GET, urlencoded form posts
// from this site, the session cookie made the way sign-in makes it.

let server: TestServer;
let fx: TerritoryFixture;
let neighbourA1: Awaited<ReturnType<typeof createResident>>;
let residentB1: Awaited<ReturnType<typeof createResident>>;
let workerB1: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
/** The territory and its people: made once, put back from their rows for every test. */
const world = keptFixture(async () => {
  const fx = await createTerritoryFixture(db());
  return {
    fx,
    neighbourA1: await createResident(db(), fx.communities.a1.id, { name: "张桂兰" }),
    residentB1: await createResident(db(), fx.communities.b1.id),
    workerB1: await createUser(db(), {
      roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
    }),
  };
});
beforeEach(async () => {
  ({ fx, neighbourA1, residentB1, workerB1 } = await world());
});

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** A Saturday morning in China, far enough ahead to be "upcoming" whenever the tests run. */
const JUNE_1_2030 = new Date("2030-06-01T09:30:00+08:00");

const { cookieOf, page, submit } = pagesOf(() => server);

/** The domain's Actor for a user, made the way a request makes it. */
async function actorOf(user: { id: string }): Promise<Actor> {
  const actor = await actorForToken((await startSession(user.id, "API")).token);
  if (!actor) throw new Error("no actor");
  return actor;
}

/** React separates adjacent text pieces with comments, and escapes quotes; the reader sees one string. */
const textOf = (html: string) => joinedText(html).replaceAll("&quot;", '"');

type ActivityValues = {
  title?: string;
  description?: string;
  category?: string;
  communityId?: string;
  venue?: string;
  startsAt?: Date;
  endsAt?: Date;
  capacity?: number;
  status?: ActivityStatus;
  providerId?: string | null;
  walkIns?: number;
};

/** An activity row written directly; published, tomorrow, in community A1, unless told otherwise. */
function createActivity(values: ActivityValues = {}) {
  const startsAt = values.startsAt ?? new Date(Date.now() + DAY_MS);
  return db().activity.create({
    data: {
      title: values.title ?? "重阳节敬老茶话会",
      description: values.description ?? "社区老人一起喝茶聊天，还有义诊和理发。",
      category: values.category ?? "culture",
      communityId: values.communityId ?? fx.communities.a1.id,
      venue: values.venue ?? "社区党群服务中心二楼",
      startsAt,
      endsAt: values.endsAt ?? new Date(startsAt.getTime() + 2 * HOUR_MS),
      capacity: values.capacity ?? 30,
      status: values.status ?? "PUBLISHED",
      createdById: fx.users.workerA1.id,
      providerId: values.providerId ?? null,
      walkIns: values.walkIns ?? 0,
    },
  });
}

const registrationOf = (activityId: string, userId: string) =>
  db().registration.findUniqueOrThrow({ where: { activityId_userId: { activityId, userId } } });

const activityForm = (overrides: Record<string, string> = {}) => ({
  title: "社区义诊进楼栋",
  description: "社区卫生服务站医生上门量血压、测血糖，解答用药问题。",
  category: "medical",
  communityId: fx.communities.a1.id,
  venue: "3号楼楼下凉亭",
  startsAt: "2030-06-01T09:30",
  endsAt: "2030-06-01T11:30",
  capacity: "20",
  publish: "on",
  ...overrides,
});

describe("/activities, the list", () => {
  it("shows upcoming published activities as cards, and finished ones under 往期活动", async () => {
    const upcoming = await createActivity({ startsAt: JUNE_1_2030, capacity: 30 });
    const full = await createActivity({ title: "手工编织课", capacity: 1 });
    await registerForActivity(await actorOf(neighbourA1), full.id, {});
    await createActivity({ title: "还在筹备的草稿", status: "DRAFT" });
    await createActivity({ title: "已经取消的活动", status: "CANCELLED" });
    const finished = await createActivity({
      title: "上个月的健康讲座",
      status: "FINISHED",
      startsAt: new Date(Date.now() - 30 * DAY_MS),
    });

    const { status, html } = await page("/activities");
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>社区活动/);
    const text = textOf(html);
    expect(html).toContain(`href="/activities/${upcoming.id}"`);
    expect(text).toContain("2030年6月1日（周六）09:30–11:30");
    expect(text).toContain("地点：社区党群服务中心二楼");
    expect(text).toContain(`社区：${fx.communities.a1.name}`);
    expect(text).toContain("剩余 30 个名额");
    expect(text).toContain("已满·可候补");
    expect(html).toContain('badge--activity-published">报名中</span>');
    expect(text).not.toContain("还在筹备的草稿");
    expect(text).not.toContain("已经取消的活动");
    expect(text).not.toContain("上个月的健康讲座");
    // Soonest first: tomorrow's class before June 2030.
    expect(html.indexOf("手工编织课")).toBeLessThan(html.indexOf(`href="/activities/${upcoming.id}"`));
    expect(html).toMatch(/aria-current="page"[^>]*>即将开始|>即将开始<\/a>/);

    const past = await page("/activities?when=past");
    expect(past.html).toContain(`href="/activities/${finished.id}"`);
    expect(past.html).not.toContain(`href="/activities/${upcoming.id}"`);
    expect(past.html).toContain('badge--activity-finished">已结束</span>');
  });

  it("filters by category, subdistrict and community, and says so when a filter is wrong", async () => {
    const medical = await createActivity({ title: "义诊", category: "medical" });
    const inB1 = await createActivity({ title: "B1的活动", communityId: fx.communities.b1.id });

    const byCategory = await page("/activities?category=medical&when=upcoming");
    expect(byCategory.html).toContain(`href="/activities/${medical.id}"`);
    expect(byCategory.html).not.toContain(`href="/activities/${inB1.id}"`);
    expect(byCategory.html).toContain('<option value="medical" selected="">');
    // The tabs keep the filter.
    expect(byCategory.html).toContain('href="/activities?category=medical&amp;when=past"');

    const bySubdistrict = await page(`/activities?subdistrictId=${fx.subdistricts.b.id}`);
    expect(bySubdistrict.html).toContain(`href="/activities/${inB1.id}"`);
    expect(bySubdistrict.html).not.toContain(`href="/activities/${medical.id}"`);
    const byCommunity = await page(`/activities?communityId=${fx.communities.a1.id}`);
    expect(byCommunity.html).toContain(`href="/activities/${medical.id}"`);
    expect(byCommunity.html).not.toContain(`href="/activities/${inB1.id}"`);

    const bad = await page("/activities?category=cooking");
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("没有这个类别");
    expect(bad.html).toContain("筛选条件有误");
  });

  it("pages through long lists", async () => {
    for (let i = 0; i < 21; i += 1) {
      await createActivity({ title: `第${i + 1}场`, startsAt: new Date(Date.now() + (i + 1) * DAY_MS) });
    }
    const first = await page("/activities");
    expect(textOf(first.html)).toContain("第 1 / 2 页");
    expect(first.html).toContain('href="/activities?when=upcoming&amp;page=2"');
    const second = await page("/activities?when=upcoming&page=2");
    expect(second.html.match(/class="card activity-card"/g)).toHaveLength(1);
    expect(textOf(second.html)).toContain("第21场");
  });

  it("offers 新建活动 to staff and providers' people only", async () => {
    expect((await page("/activities")).html).not.toContain('href="/activities/new"');
    expect((await page("/activities", await cookieOf(fx.users.residentA1))).html).not.toContain(
      'href="/activities/new"',
    );
    expect((await page("/activities", await cookieOf(fx.users.workerA1))).html).toContain(
      'href="/activities/new"',
    );
    const owner = await createResident(db(), fx.communities.a1.id);
    await createProvider(db(), { communityIds: [fx.communities.a1.id], members: [{ userId: owner.id }] });
    expect((await page("/activities", await cookieOf(owner))).html).toContain('href="/activities/new"');
  });
});

describe("/activities?view=calendar", () => {
  it("draws the month as an accessible Monday-first table with each day's activities", async () => {
    const morning = await createActivity({ title: "晨练太极", startsAt: JUNE_1_2030 });
    const later = await createActivity({
      title: "端午包粽子",
      startsAt: new Date("2030-06-15T14:00:00+08:00"),
      status: "CANCELLED",
    });
    await createActivity({
      title: "草稿不显示",
      startsAt: new Date("2030-06-20T09:00:00+08:00"),
      status: "DRAFT",
    });
    await createActivity({ title: "七月的活动", startsAt: new Date("2030-07-01T09:00:00+08:00") });
    // Half past midnight on 2 June in China is still 1 June in UTC: it belongs to the 2nd.
    const midnight = await createActivity({
      title: "夜里的观星",
      startsAt: new Date("2030-06-02T00:30:00+08:00"),
    });

    const { status, html } = await page("/activities?view=calendar&month=2030-06");
    expect(status).toBe(200);
    const text = textOf(html);
    expect(html).toMatch(/<h1[^>]*>社区活动/);
    expect(html).toContain('<table class="calendar">');
    expect(text).toContain("2030年6月活动日历");
    const headers = [...html.matchAll(/<th scope="col">([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual(["周一", "周二", "周三", "周四", "周五", "周六", "周日"]);
    const body = html.slice(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
    const weeks = body.split("<tr").slice(1);
    expect(weeks).toHaveLength(5);
    // 1 June 2030 is a Saturday: five empty cells, then the 1st and 2nd.
    const firstWeek = weeks[0] ?? "";
    expect(firstWeek.match(/calendar__pad/g)).toHaveLength(5);
    const cells = firstWeek.split("<td").slice(1);
    expect(cells[5]).toContain(`href="/activities/${morning.id}"`);
    expect(textOf(cells[5] ?? "")).toContain("09:30 晨练太极");
    expect(cells[6]).toContain(`href="/activities/${midnight.id}"`);
    expect(textOf(body)).toContain("14:00 端午包粽子（已取消）");
    expect(body).toContain(`href="/activities/${later.id}"`);
    expect(text).not.toContain("草稿不显示");
    expect(text).not.toContain("七月的活动");
    expect(html).toContain('href="/activities?view=calendar&amp;month=2030-05"');
    expect(html).toContain('href="/activities?view=calendar&amp;month=2030-07"');

    const december = await page("/activities?view=calendar&month=2030-12&category=culture");
    expect(december.html).toContain(
      'href="/activities?category=culture&amp;view=calendar&amp;month=2031-01"',
    );
    expect(december.html).toContain('<input type="hidden" name="month" value="2030-12"/>');

    const bad = await page("/activities?view=calendar&month=2030-13");
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("月份格式应为 2026-12");
  });

  it("opens on this month when none is given", async () => {
    const { status, html } = await page("/activities?view=calendar");
    expect(status).toBe(200);
    const now = new Date(Date.now() + 8 * HOUR_MS);
    expect(textOf(html)).toContain(`${now.getUTCFullYear()}年${now.getUTCMonth() + 1}月`);
    expect(html).toContain('aria-current="date"');
  });
});

describe("/activities/:id", () => {
  it("shows visitors every fact, the counts, 加入日历 and 登录后报名", async () => {
    const activity = await createActivity({ startsAt: JUNE_1_2030, capacity: 3, walkIns: 4 });
    await registerForActivity(await actorOf(neighbourA1), activity.id, {});
    const { status, html } = await page(`/activities/${activity.id}`);
    expect(status).toBe(200);
    const text = textOf(html);
    expect(html).toMatch(/<h1[^>]*>重阳节敬老茶话会/);
    expect(text).toContain("社区老人一起喝茶聊天");
    expect(text).toContain("2030年6月1日（周六）09:30–11:30");
    expect(text).toContain("社区党群服务中心二楼");
    expect(text).toContain("共 3 个，还剩 2 个");
    // The working figures are the organisers' (issue #15): the public sees the seats left.
    expect(text).not.toContain("受众人次");
    expect(html).toContain(`href="/activities/${activity.id}.ics"`);
    const organiser = textOf(
      (await page(`/activities/${activity.id}`, await cookieOf(fx.users.workerA1))).html,
    );
    expect(organiser).toMatch(/activity-counts__value">1<\/span>已报名/);
    expect(organiser).toMatch(/activity-counts__value">4<\/span>现场/);
    expect(organiser).toMatch(/activity-counts__value">4<\/span>受众人次/);
    expect(html).toContain(`href="/login?redirectTo=%2Factivities%2F${activity.id}"`);
    expect(text).toContain("登录后报名");
    expect(html).not.toContain('name="intent"');
    expect(text).not.toContain(neighbourA1.name);
  });

  it("registers a resident: 已报名, the six-digit code and its QR code", async () => {
    const activity = await createActivity();
    const cookie = await cookieOf(fx.users.residentA1);
    const before = await page(`/activities/${activity.id}`, cookie);
    expect(before.html).toContain('name="intent" value="register"');
    expect(textOf(before.html)).toContain(">报名</button>");

    const res = await submit(`/activities/${activity.id}`, cookie, { intent: "register" });
    expect(res.status).toBe(200);
    const registration = await registrationOf(activity.id, fx.users.residentA1.id);
    expect(registration.status).toBe("REGISTERED");
    expect(registration.checkInCode).toMatch(/^\d{6}$/);
    expect(textOf(res.html)).toContain(`报名成功！您的签到码是 ${registration.checkInCode}`);

    const shown = await page(`/activities/${activity.id}`, cookie);
    const text = textOf(shown.html);
    expect(text).toContain("我的报名");
    expect(text).toContain("已报名");
    expect(shown.html).toContain(`class="check-in-code__digits"`);
    expect(text).toContain(`>${registration.checkInCode}</p>`);
    expect(shown.html).toMatch(/<div class="check-in-code__qr"[^>]*><svg [^>]*viewBox/);
    expect(shown.html).not.toContain('name="intent" value="register"');
    expect(shown.html).toContain('name="intent" value="cancelRegistration"');

    const twice = await submit(`/activities/${activity.id}`, cookie, { intent: "register" });
    expect(twice.status).toBe(409);
    expect(twice.html).toContain("已经报过名了");
    expect(await db().registration.count()).toBe(1);
  });

  it("puts people on the waitlist when full, and a cancellation promotes the first of them", async () => {
    const activity = await createActivity({ capacity: 1 });
    const first = await cookieOf(fx.users.residentA1);
    const second = await cookieOf(neighbourA1);
    const third = await cookieOf(residentB1);
    await submit(`/activities/${activity.id}`, first, { intent: "register" });

    const fullPage = await page(`/activities/${activity.id}`, second);
    expect(textOf(fullPage.html)).toContain("已满·可候补");
    expect(textOf(fullPage.html)).toContain(">加入候补</button>");
    const waiting = await submit(`/activities/${activity.id}`, second, { intent: "register" });
    expect(waiting.status).toBe(200);
    expect(textOf(waiting.html)).toContain("名额已满，您已加入候补，排第 1 位");
    const waitingThird = await submit(`/activities/${activity.id}`, third, { intent: "register" });
    expect(textOf(waitingThird.html)).toContain("排第 2 位");
    const secondView = await page(`/activities/${activity.id}`, second);
    expect(textOf(secondView.html)).toContain("候补第 1 位");
    expect(secondView.html).not.toContain("check-in-code__digits");

    const cancelled = await submit(`/activities/${activity.id}`, first, { intent: "cancelRegistration" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.html).toContain("已取消报名");
    expect((await registrationOf(activity.id, fx.users.residentA1.id)).status).toBe("CANCELLED");
    expect((await registrationOf(activity.id, neighbourA1.id)).status).toBe("REGISTERED");
    expect((await registrationOf(activity.id, residentB1.id)).status).toBe("WAITLISTED");
    expect(
      await db().notification.count({ where: { userId: neighbourA1.id, kind: "registration.promoted" } }),
    ).toBe(1);
    const promoted = await page(`/activities/${activity.id}`, second);
    expect(promoted.html).toContain("check-in-code__digits");
    expect(textOf((await page(`/activities/${activity.id}`, third)).html)).toContain("候补第 1 位");

    // A stale page cancelling again: a message, not a 404 page.
    const again = await submit(`/activities/${activity.id}`, first, { intent: "cancelRegistration" });
    expect(again.status).toBe(409);
    expect(again.html).toContain("您没有报名这个活动");
  });

  it("gives organisers 编辑, 签到台, 发布 and 取消活动 by what the activity allows", async () => {
    const draft = await createActivity({ status: "DRAFT" });
    const cookie = await cookieOf(fx.users.workerA1);
    const shown = await page(`/activities/${draft.id}`, cookie);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain("这是草稿");
    expect(shown.html).toContain('name="intent" value="publish"');
    expect(shown.html).toContain(`href="/activities/${draft.id}/edit"`);
    expect(shown.html).not.toContain(`href="/activities/${draft.id}/desk"`);
    expect(shown.html).not.toContain('name="intent" value="register"');

    const published = await submit(`/activities/${draft.id}`, cookie, { intent: "publish" });
    expect(published.status).toBe(200);
    expect(published.html).toContain("活动已发布");
    expect(published.html).toContain(`href="/activities/${draft.id}/desk"`);
    expect((await db().activity.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("PUBLISHED");

    await registerForActivity(await actorOf(fx.users.residentA1), draft.id, {});
    const tooLong = await submit(`/activities/${draft.id}`, cookie, {
      intent: "cancel",
      reason: "雨".repeat(201),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.html).toContain('id="cancel-reason-error"');
    const cancelled = await submit(`/activities/${draft.id}`, cookie, {
      intent: "cancel",
      reason: "天气原因，改期另行通知",
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.html).toContain("活动已取消，已通知报名的居民");
    expect(textOf(cancelled.html)).toContain("该活动已取消：天气原因，改期另行通知");
    expect(
      await db().notification.count({
        where: { userId: fx.users.residentA1.id, kind: "activity.cancelled" },
      }),
    ).toBe(1);

    // Registering for a cancelled activity from a stale page: a message.
    const late = await submit(`/activities/${draft.id}`, await cookieOf(neighbourA1), { intent: "register" });
    expect(late.status).toBe(409);
    expect(late.html).toContain("该活动已取消，不能报名");
    const publishAgain = await submit(`/activities/${draft.id}`, cookie, { intent: "publish" });
    expect(publishAgain.status).toBe(409);
    expect(publishAgain.html).toContain("不能再发布");
  });

  it("refuses organiser actions to others (403) and hides drafts from them (404)", async () => {
    const activity = await createActivity();
    const resident = await cookieOf(fx.users.residentA1);
    const shown = await page(`/activities/${activity.id}`, resident);
    expect(shown.html).not.toContain(`href="/activities/${activity.id}/edit"`);
    expect(shown.html).not.toContain("代办报名");
    const forms: Record<string, string>[] = [
      { intent: "publish" },
      { intent: "cancel" },
      { intent: "registerOnBehalf", phone: neighbourA1.phone },
    ];
    for (const form of forms) {
      const res = await submit(`/activities/${activity.id}`, resident, form);
      expect(res.status, form.intent).toBe(403);
    }
    expect((await page(`/activities/${activity.id}`, await cookieOf(workerB1))).html).not.toContain(
      'value="cancel"',
    );

    const draft = await createActivity({ status: "DRAFT", title: "内部草稿" });
    for (const cookie of ["", resident, await cookieOf(workerB1)]) {
      const res = await page(`/activities/${draft.id}`, cookie);
      expect(res.status).toBe(404);
      expect(res.html).not.toContain("内部草稿");
      expect((await server.request(`/activities/${draft.id}.ics`, { headers: { cookie } })).status).toBe(404);
    }
    expect((await page(`/activities/${draft.id}`, await cookieOf(fx.users.subdistrictAdminA))).status).toBe(
      200,
    );
    expect((await page("/activities/no-such-activity")).status).toBe(404);
    const unknown = await submit(`/activities/${activity.id}`, resident, { intent: "delete" });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain("未知的操作");
  });

  it("lets staff in scope register a resident by phone (代办)", async () => {
    const activity = await createActivity({ capacity: 1 });
    const cookie = await cookieOf(fx.users.workerA1);
    expect((await page(`/activities/${activity.id}`, cookie)).html).toContain("代办报名");

    const empty = await submit(`/activities/${activity.id}`, cookie, {
      intent: "registerOnBehalf",
      phone: "",
    });
    expect(empty.status).toBe(400);
    expect(empty.html).toContain('id="behalf-phone-error"');
    expect(empty.html).toContain("请填写居民的手机号");
    const unknown = await submit(`/activities/${activity.id}`, cookie, {
      intent: "registerOnBehalf",
      phone: "13987654321",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain("您的辖区内没有使用该手机号的居民");
    expect(unknown.html).toContain('value="13987654321"');
    // A resident of another subdistrict gets the same answer as an unknown number (ADR 0018).
    const foreign = await submit(`/activities/${activity.id}`, cookie, {
      intent: "registerOnBehalf",
      phone: residentB1.phone,
    });
    expect(foreign.status).toBe(400);
    expect(foreign.html).toContain("您的辖区内没有使用该手机号的居民");
    expect(foreign.html).not.toContain(residentB1.name);

    const res = await submit(`/activities/${activity.id}`, cookie, {
      intent: "registerOnBehalf",
      phone: neighbourA1.phone,
    });
    expect(res.status).toBe(200);
    // The confirmation names the person (#15 item 14), not a masked number.
    expect(textOf(res.html)).toContain(`已为 ${neighbourA1.name} 代办报名：已报名`);
    expect(await registrationOf(activity.id, neighbourA1.id)).toMatchObject({
      status: "REGISTERED",
      registeredById: fx.users.workerA1.id,
    });
    const another = await createResident(db(), fx.communities.a1.id);
    const waitlisted = await submit(`/activities/${activity.id}`, cookie, {
      intent: "registerOnBehalf",
      phone: another.phone,
    });
    expect(textOf(waitlisted.html)).toContain("名额已满，已加入候补（第 1 位）");
    const twice = await submit(`/activities/${activity.id}`, cookie, {
      intent: "registerOnBehalf",
      phone: neighbourA1.phone,
    });
    expect(twice.status).toBe(409);
    expect(twice.html).toContain("已经报过名了");
    // Staff of another community have no 代办 here.
    expect((await page(`/activities/${activity.id}`, await cookieOf(workerB1))).html).not.toContain(
      "代办报名",
    );
  });

  it("opens the account of a resident without one when 代办报名 gives a name (#15 item 14)", async () => {
    const activity = await createActivity({ capacity: 5 });
    const cookie = await cookieOf(fx.users.workerA1);
    const res = await submit(`/activities/${activity.id}`, cookie, {
      intent: "registerOnBehalf",
      phone: "13987654322",
      name: "王秀兰",
    });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain("已为 王秀兰 代办报名：已报名");
    const opened = await db().user.findUniqueOrThrow({
      where: { phone: "13987654322" },
      select: { id: true, name: true, communityId: true, roles: { select: { role: true, scopeId: true } } },
    });
    expect(opened).toMatchObject({ name: "王秀兰", communityId: activity.communityId });
    expect(opened.roles).toEqual([{ role: "RESIDENT", scopeId: activity.communityId }]);
    expect(await registrationOf(activity.id, opened.id)).toMatchObject({
      status: "REGISTERED",
      registeredById: fx.users.workerA1.id,
    });
    const audit = await db().auditLog.findMany({
      where: { targetId: opened.id },
      select: { action: true, actorId: true },
    });
    expect(audit).toEqual([{ action: "account.create.onBehalf", actorId: fx.users.workerA1.id }]);
    // A number held in another subdistrict, given a name, gets the same answer as a new one (naming the
    // person as typed, ADR 0028): its holder is registered, and no second account is opened.
    const foreign = await submit(`/activities/${activity.id}`, cookie, {
      intent: "registerOnBehalf",
      phone: residentB1.phone,
      name: "某某",
    });
    expect(foreign.status).toBe(200);
    expect(textOf(foreign.html)).toContain("已为 某某 代办报名：已报名");
    expect(textOf(foreign.html)).not.toContain(residentB1.name);
    expect(await registrationOf(activity.id, residentB1.id)).toMatchObject({
      status: "REGISTERED",
      registeredById: fx.users.workerA1.id,
    });
    expect(await db().user.count({ where: { phone: residentB1.phone } })).toBe(1);
  });
});

describe("报名名单 (#15 item 11)", () => {
  it("shows the organiser the names and full phones, downloads CSV and XLSX, and audits each download", async () => {
    const activity = await createActivity({ capacity: 5 });
    await registerForActivity(await actorOf(neighbourA1), activity.id, {});
    const worker = await cookieOf(fx.users.workerA1);
    const shown = (await page(`/activities/${activity.id}`, worker)).html;
    expect(textOf(shown)).toContain("报名名单（1 人）");
    expect(shown).toContain(neighbourA1.name);
    expect(shown).toContain(`tel:${neighbourA1.phone}`);
    // Residents, and staff of another community, see no list and no phone.
    const resident = (await page(`/activities/${activity.id}`, await cookieOf(neighbourA1))).html;
    expect(resident).not.toContain("报名名单");
    const foreign = (await page(`/activities/${activity.id}`, await cookieOf(workerB1))).html;
    expect(foreign).not.toContain(neighbourA1.phone);

    const csv = await server.request(`/activities/${activity.id}/registrants?format=csv`, {
      headers: { cookie: worker },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("cache-control")).toContain("no-store");
    const body = await csv.text();
    expect(body).toContain("姓名,手机号");
    expect(body).toContain(`${neighbourA1.name},${neighbourA1.phone},已报名`);
    const xlsx = await server.request(`/activities/${activity.id}/registrants?format=xlsx`, {
      headers: { cookie: worker },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    const audits = await db().auditLog.findMany({
      where: { action: "activity.registrantsExported", targetId: activity.id },
      select: { actorId: true, data: true },
      orderBy: { createdAt: "asc" },
    });
    expect(audits).toEqual([
      { actorId: fx.users.workerA1.id, data: { format: "csv", rows: 1 } },
      { actorId: fx.users.workerA1.id, data: { format: "xlsx", rows: 1 } },
    ]);
  });

  it("refuses others and bad formats, writing no audit entry", async () => {
    const activity = await createActivity({ capacity: 5 });
    const url = `/activities/${activity.id}/registrants`;
    expect((await server.request(url)).status).toBe(401);
    const resident = await server.request(url, { headers: { cookie: await cookieOf(neighbourA1) } });
    expect(resident.status).toBe(403);
    const foreign = await server.request(url, { headers: { cookie: await cookieOf(workerB1) } });
    expect(foreign.status).toBe(403);
    const bad = await server.request(`${url}?format=pdf`, {
      headers: { cookie: await cookieOf(fx.users.workerA1) },
    });
    expect(bad.status).toBe(400);
    expect(await db().auditLog.count({ where: { action: "activity.registrantsExported" } })).toBe(0);
  });
});

describe("/activities/:id.ics", () => {
  it("downloads the activity as an iCalendar file", async () => {
    const activity = await createActivity({
      startsAt: JUNE_1_2030,
      venue: "活动中心, 二楼; 多功能厅",
      description: "带上老花镜\n欢迎家属陪同",
    });
    const res = await server.request(`/activities/${activity.id}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/calendar");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="activity.ics"');
    const ics = await res.text();
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    const lines = ics.replaceAll("\r\n ", "").split("\r\n");
    expect(lines).toContain(`UID:${activity.id}@sanshe`);
    expect(lines).toContain("DTSTART:20300601T013000Z");
    expect(lines).toContain("DTEND:20300601T033000Z");
    expect(lines).toContain("SUMMARY:重阳节敬老茶话会");
    expect(lines).toContain(`LOCATION:活动中心\\, 二楼\\; 多功能厅（${fx.communities.a1.name}）`);
    expect(lines).toContain("DESCRIPTION:带上老花镜\\n欢迎家属陪同");
    expect(lines.some((line) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(line))).toBe(true);
    for (const line of ics.split("\r\n"))
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    expect((await server.request("/activities/no-such-activity.ics")).status).toBe(404);
  });
});

describe("/activities/:id/desk, the check-in desk", () => {
  /** An activity starting within the hour, with the resident and the neighbour registered. */
  async function deskReady() {
    const activity = await createActivity({ startsAt: new Date(Date.now() + HOUR_MS) });
    const mine = await registerForActivity(await actorOf(fx.users.residentA1), activity.id, {});
    const theirs = await registerForActivity(await actorOf(neighbourA1), activity.id, {});
    return { activity, code: mine.checkInCode ?? "", neighbourCode: theirs.checkInCode ?? "" };
  }

  it("is for organisers: visitors sign in first, others get 403, drafts are 404 to outsiders", async () => {
    const { activity } = await deskReady();
    const anonymous = await page(`/activities/${activity.id}/desk`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(
      `/login?redirectTo=${encodeURIComponent(`/activities/${activity.id}/desk`)}`,
    );
    for (const user of [fx.users.residentA1, workerB1]) {
      const res = await page(`/activities/${activity.id}/desk`, await cookieOf(user));
      expect(res.status).toBe(403);
      expect(res.html).toContain("没有权限");
    }
    const forged = await submit(`/activities/${activity.id}/desk`, await cookieOf(fx.users.residentA1), {
      intent: "walkIns",
      count: "5",
    });
    expect(forged.status).toBe(403);
    const draft = await createActivity({ status: "DRAFT" });
    expect((await page(`/activities/${draft.id}/desk`, await cookieOf(workerB1))).status).toBe(404);
    expect((await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).walkIns).toBe(0);
  });

  it("checks in by typed code, and says when the code is wrong or already used", async () => {
    const { activity, code, neighbourCode } = await deskReady();
    const cookie = await cookieOf(fx.users.workerA1);
    const desk = await page(`/activities/${activity.id}/desk`, cookie);
    expect(desk.status).toBe(200);
    const text = textOf(desk.html);
    expect(desk.html).toMatch(/<h1[^>]*>签到台/);
    expect(desk.html).toMatch(
      /<input[^>]*inputMode="numeric"[^>]*name="code"|<input[^>]*name="code"[^>]*inputMode="numeric"/i,
    );
    expect(desk.html).toMatch(/<input[^>]*autofocus/i);
    expect(text).toContain(fx.users.residentA1.name);
    expect(text).toContain(maskOf(fx.users.residentA1.phone));
    expect(text).not.toContain(fx.users.residentA1.phone);
    expect(text).toContain("报名名单（2 人报名，0 人候补）");
    expect(text).toMatch(/activity-counts__value">2<\/span>已报名/);

    const wrongCode = code === "000000" ? "999999" : "000000";
    const wrong = await submit(`/activities/${activity.id}/desk`, cookie, {
      intent: "checkIn",
      code: wrongCode,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain("签到码不正确");
    expect(wrong.html).toContain('id="code-error"');
    const short = await submit(`/activities/${activity.id}/desk`, cookie, { intent: "checkIn", code: "12" });
    expect(short.status).toBe(400);
    expect(short.html).toContain("签到码是6位数字");

    const res = await submit(`/activities/${activity.id}/desk`, cookie, { intent: "checkIn", code });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain(
      `已签到：${fx.users.residentA1.name} ${maskOf(fx.users.residentA1.phone)}`,
    );
    expect((await registrationOf(activity.id, fx.users.residentA1.id)).checkedInAt).not.toBeNull();
    expect(textOf(res.html)).toMatch(/activity-counts__value">1<\/span>已签到/);
    expect(textOf(res.html)).toMatch(/已签到 \d{2}:\d{2}/);

    const twice = await submit(`/activities/${activity.id}/desk`, cookie, { intent: "checkIn", code });
    expect(twice.status).toBe(409);
    expect(twice.html).toContain("已经签到过了");

    // The list's own 签到 button, for someone who forgot the code.
    expect(res.html).toContain(`name="code" value="${neighbourCode}"`);
  });

  it("prefills the code from a scanned QR link and checks in only on 确认签到", async () => {
    const { activity, code } = await deskReady();
    const cookie = await cookieOf(fx.users.workerA1);
    const scanned = await page(`/activities/${activity.id}/desk?code=${code}`, cookie);
    expect(scanned.status).toBe(200);
    expect(scanned.html).toContain(`value="${code}"`);
    expect(textOf(scanned.html)).toContain(">确认签到</button>");
    expect(textOf(scanned.html)).toContain(
      `${fx.users.residentA1.name}（${maskOf(fx.users.residentA1.phone)}）`,
    );
    expect((await registrationOf(activity.id, fx.users.residentA1.id)).checkedInAt).toBeNull();
    // The form posts to the desk itself, not back to the scanned address.
    expect(scanned.html).toContain(`action="/activities/${activity.id}/desk"`);

    const res = await submit(`/activities/${activity.id}/desk`, cookie, { intent: "checkIn", code });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain(`已签到：${fx.users.residentA1.name}`);
    expect((await registrationOf(activity.id, fx.users.residentA1.id)).checkedInAt).not.toBeNull();

    const unknown = await page(`/activities/${activity.id}/desk?code=12ab`, cookie);
    expect(unknown.status).toBe(200);
    expect(textOf(unknown.html)).toContain(">签到</button>");
  });

  it("records the walk-in count, and rejects a bad one", async () => {
    const { activity } = await deskReady();
    const cookie = await cookieOf(fx.users.workerA1);
    const res = await submit(`/activities/${activity.id}/desk`, cookie, { intent: "walkIns", count: "12" });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain("现场人数已记为 12 人");
    expect((await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).walkIns).toBe(12);
    expect(textOf(res.html)).toMatch(/activity-counts__value">12<\/span>受众人次/);
    const bad = await submit(`/activities/${activity.id}/desk`, cookie, { intent: "walkIns", count: "-1" });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("现场人数至少为0");
    expect((await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).walkIns).toBe(12);
  });

  it("counts walk-ins with 「+1 / −1」 under the activity's lock, audited, never below 0 nor above the cap", async () => {
    const activity = await createActivity({ startsAt: new Date(Date.now() + HOUR_MS), capacity: 1 });
    const cookie = await cookieOf(fx.users.workerA1);
    const path = `/activities/${activity.id}/desk`;
    const walkIns = async () =>
      (await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).walkIns;

    const desk = await page(path, cookie);
    expect(textOf(desk.html)).toContain("现在共 <strong>0</strong> 人");
    // At 0 the −1 button is off.
    expect(desk.html).toMatch(/<button[^>]*value="-1"[^>]*disabled=""/);
    const plus = await submit(path, cookie, { intent: "walkInStep", step: "1" });
    expect(plus.status).toBe(200);
    expect(textOf(plus.html)).toContain("现场人数+1，现在共 1 人，受众共 1 人次。");
    expect(textOf(plus.html)).toContain("现在共 <strong>1</strong> 人");

    // Two phones at the door at once: each press counts (steps, not totals, under the lock).
    const presses = await Promise.all(
      [0, 1, 2, 3].map(() => submit(path, cookie, { intent: "walkInStep", step: "1" })),
    );
    expect(presses.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    expect(await walkIns()).toBe(5);
    const minus = await submit(path, cookie, { intent: "walkInStep", step: "-1" });
    expect(textOf(minus.html)).toContain("现场人数−1，现在共 4 人");
    expect(await walkIns()).toBe(4);

    // Each change is audited with the totals before and after.
    const audits = await db().auditLog.findMany({
      where: { action: "activity.walkIns", targetId: activity.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audits).toHaveLength(6);
    expect(audits.map((row) => row.data).at(-1)).toEqual({ from: 5, to: 4 });

    // Not above the cap (10 per seat), not below 0, not any other step; each leaves the total as it was.
    await submit(path, cookie, { intent: "walkIns", count: "10" });
    const over = await submit(path, cookie, { intent: "walkInStep", step: "1" });
    expect(over.status).toBe(400);
    expect(textOf(over.html)).toContain("现场人数不能超过名额的10倍");
    expect(await walkIns()).toBe(10);
    await submit(path, cookie, { intent: "walkIns", count: "0" });
    const under = await submit(path, cookie, { intent: "walkInStep", step: "-1" });
    expect(under.status).toBe(400);
    expect(textOf(under.html)).toContain("现场人数已经是0，不能再减");
    const odd = await submit(path, cookie, { intent: "walkInStep", step: "5" });
    expect(odd.status).toBe(400);
    expect(textOf(odd.html)).toContain("请按 +1 或 −1");
    expect(await walkIns()).toBe(0);

    // Only organisers press it.
    const forged = await submit(path, await cookieOf(fx.users.residentA1), {
      intent: "walkInStep",
      step: "1",
    });
    expect(forged.status).toBe(403);
    expect(await walkIns()).toBe(0);
  });

  it("tells the organiser when the desk is not open yet", async () => {
    const activity = await createActivity({ startsAt: new Date(Date.now() + DAY_MS) });
    const { checkInCode } = await registerForActivity(await actorOf(fx.users.residentA1), activity.id, {});
    const cookie = await cookieOf(fx.users.workerA1);
    const before = await page(`/activities/${activity.id}/desk`, cookie);
    expect(textOf(before.html)).toContain("签到在活动开始前2小时开放");
    // When it opens, instead of a code box that would only refuse the code.
    expect(before.html).not.toMatch(/name="code"/);
    expect(before.html).not.toContain('name="step"');
    const early = await submit(`/activities/${activity.id}/desk`, cookie, {
      intent: "checkIn",
      code: checkInCode ?? "",
    });
    expect(early.status).toBe(409);
    expect(early.html).toContain("签到在活动开始前2小时开放");
  });

  it("locks the desk 24 hours after the end; an admin corrects on the activity page, shown as 已更正", async () => {
    const activity = await createActivity({
      startsAt: new Date(Date.now() - 14 * DAY_MS),
      status: "FINISHED",
      capacity: 20,
      walkIns: 100,
    });
    const worker = await cookieOf(fx.users.workerA1);
    const desk = await page(`/activities/${activity.id}/desk`, worker);
    expect(textOf(desk.html)).toContain("签到和现场人数已锁定");
    const late = await submit(`/activities/${activity.id}/desk`, worker, { intent: "walkIns", count: "150" });
    expect(late.status).toBe(409);
    expect(late.html).toContain("活动结束已超过24小时");
    // The organiser sees no correction form; the subdistrict admin does.
    expect(textOf((await page(`/activities/${activity.id}`, worker)).html)).not.toContain("更正受众人数");
    const admin = await cookieOf(fx.users.subdistrictAdminA);
    expect(textOf((await page(`/activities/${activity.id}`, admin)).html)).toContain(
      "更正受众人数（管理员）",
    );
    const path = `/activities/${activity.id}`;
    const noReason = await submit(path, admin, { intent: "correctAttendance", walkIns: "80", reason: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain("请填写更正原因");
    const tooMany = await submit(path, admin, {
      intent: "correctAttendance",
      walkIns: "201",
      reason: "录入错误更正",
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.html).toContain("现场人数不能超过名额的10倍（本场名额20人，最多200人）");
    const done = await submit(path, admin, {
      intent: "correctAttendance",
      walkIns: "80",
      checkInCodes: "",
      reason: "签到台误录，按纸质签到表更正",
    });
    expect(done.status).toBe(200);
    expect(textOf(done.html)).toContain("已更正：现场 80 人");
    // Anyone reading the activity sees the correction and its reason.
    const seen = textOf((await page(`/activities/${activity.id}`)).html);
    expect(seen).toContain("已更正");
    expect(seen).toContain("现场人数 100 → 80");
    expect(seen).toContain("原因：签到台误录，按纸质签到表更正");
  });
});

describe("/activities/new and /activities/:id/edit", () => {
  it("sends visitors to sign in and refuses residents", async () => {
    const res = await page("/activities/new");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Factivities%2Fnew");
    const resident = await page("/activities/new", await cookieOf(fx.users.residentA1));
    expect(resident.status).toBe(403);
    const forged = await submit("/activities/new", await cookieOf(fx.users.residentA1), activityForm());
    expect(forged.status).toBe(403);
    expect(await db().activity.count()).toBe(0);
  });

  it("offers staff the communities of their reach and creates a published activity in China time", async () => {
    const cookie = await cookieOf(fx.users.subdistrictAdminA);
    const form = await page("/activities/new", cookie);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/<h1[^>]*>新建活动/);
    expect(form.html).toContain(`<option value="${fx.communities.a1.id}">`);
    expect(form.html).toContain(`<option value="${fx.communities.a2.id}">`);
    expect(form.html).not.toContain(`<option value="${fx.communities.b1.id}">`);
    expect(form.html).toContain('type="datetime-local"');
    expect(form.html).toContain('name="publish"');
    expect(form.html).not.toContain('name="organiserProviderId"');

    const res = await submit("/activities/new", cookie, activityForm({ communityId: fx.communities.a2.id }));
    expect(res.status).toBe(302);
    const activity = await db().activity.findFirstOrThrow();
    expect(res.location).toBe(`/activities/${activity.id}?done=published`);
    expect(activity).toMatchObject({
      status: "PUBLISHED",
      communityId: fx.communities.a2.id,
      category: "medical",
      capacity: 20,
      createdById: fx.users.subdistrictAdminA.id,
      providerId: null,
    });
    expect(activity.startsAt.toISOString()).toBe("2030-06-01T01:30:00.000Z");
    expect(activity.endsAt.toISOString()).toBe("2030-06-01T03:30:00.000Z");
    expect((await page(res.location ?? "", cookie)).html).toContain("活动已发布");

    const draft = await submit("/activities/new", cookie, activityForm({ publish: "" }));
    expect(draft.status).toBe(302);
    expect(draft.location).toMatch(/\?done=draft$/);
    expect(await db().activity.count({ where: { status: "DRAFT" } })).toBe(1);
  });

  it("shows field errors next to the fields, keeps what was typed and writes nothing", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const form = await page("/activities/new", cookie);
    // The worker's only community is chosen already.
    expect(form.html).toContain(`<option value="${fx.communities.a1.id}" selected="">`);
    const res = await submit(
      "/activities/new",
      cookie,
      activityForm({
        title: "短",
        description: "太短",
        venue: "",
        startsAt: "2030-06-01T11:30",
        endsAt: "2030-06-01T09:30",
        capacity: "0",
        publish: "",
      }),
    );
    expect(res.status).toBe(400);
    for (const field of ["title", "description", "venue", "endsAt", "capacity"]) {
      expect(res.html, field).toContain(`id="${field}-error"`);
    }
    expect(res.html).toContain("活动名称至少2个字");
    expect(res.html).toContain("结束时间应晚于开始时间");
    expect(res.html).toContain("名额至少为1");
    expect(res.html).toContain('aria-invalid="true"');
    expect(res.html).toContain('value="短"');
    expect(res.html).toContain('value="2030-06-01T11:30"');
    expect(res.html).not.toMatch(/name="publish" value="on" checked/);

    const badTime = await submit("/activities/new", cookie, activityForm({ startsAt: "明天上午" }));
    expect(badTime.status).toBe(400);
    expect(badTime.html).toContain("开始时间格式应为 2026-12-01T09:30");
    const past = await submit(
      "/activities/new",
      cookie,
      activityForm({ startsAt: "2020-06-01T09:30", endsAt: "2020-06-01T11:30" }),
    );
    expect(past.status).toBe(400);
    expect(past.html).toContain("开始时间已过");
    const elsewhere = await submit(
      "/activities/new",
      cookie,
      activityForm({ communityId: fx.communities.b1.id }),
    );
    expect(elsewhere.status).toBe(403);
    expect(await db().activity.count()).toBe(0);
    expect(await db().auditLog.count()).toBe(0);
  });

  it("lets a provider's people organise for their provider in the communities it serves", async () => {
    const owner = await createResident(db(), fx.communities.a1.id);
    const provider = await createProvider(db(), {
      name: "阳光助老服务社",
      communityIds: [fx.communities.a1.id, fx.communities.b1.id],
      members: [{ userId: owner.id }],
    });
    const cookie = await cookieOf(owner);
    const form = await page("/activities/new", cookie);
    expect(form.status).toBe(200);
    expect(form.html).toContain(`<option value="${provider.id}" selected="">阳光助老服务社</option>`);
    expect(form.html).not.toContain("社区组织（不代表机构）");
    expect(form.html).toContain(`<option value="${fx.communities.b1.id}">`);
    expect(form.html).not.toContain(`<option value="${fx.communities.a2.id}">`);

    const res = await submit(
      "/activities/new",
      cookie,
      activityForm({ communityId: fx.communities.b1.id, organiserProviderId: provider.id }),
    );
    expect(res.status).toBe(302);
    const activity = await db().activity.findFirstOrThrow({ include: { providers: true } });
    expect(activity).toMatchObject({ providerId: provider.id, communityId: fx.communities.b1.id });
    expect(activity.providers.map((p) => p.providerId)).toEqual([provider.id]);
    // Its people manage it, and it is on their 活动管理 list.
    expect((await page(`/activities/${activity.id}`, cookie)).html).toContain(
      `href="/activities/${activity.id}/edit"`,
    );
    expect((await page("/workbench/activities", cookie)).html).toContain(`href="/activities/${activity.id}"`);
  });

  it("edits an activity, keeping unchanged times as they were", async () => {
    const startsAt = new Date(Date.now() + 3 * DAY_MS + 1234);
    const activity = await createActivity({ startsAt, capacity: 5 });
    await registerForActivity(await actorOf(fx.users.residentA1), activity.id, {});
    await registerForActivity(await actorOf(neighbourA1), activity.id, {});
    const cookie = await cookieOf(fx.users.workerA1);
    const form = await page(`/activities/${activity.id}/edit`, cookie);
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="重阳节敬老茶话会"');
    const shownStart = /name="startsAt"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="startsAt"/.exec(
      form.html,
    );
    const startValue = shownStart?.[1] ?? shownStart?.[2] ?? "";
    expect(startValue).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const endValue = /name="endsAt"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="endsAt"/.exec(form.html);

    const values = {
      title: "重阳节敬老茶话会（改）",
      description: "社区老人一起喝茶聊天，还有义诊和理发。",
      category: "culture",
      venue: "社区党群服务中心三楼",
      startsAt: startValue,
      endsAt: endValue?.[1] ?? endValue?.[2] ?? "",
      capacity: "8",
    };
    const tooFew = await submit(`/activities/${activity.id}/edit`, cookie, {
      ...values,
      capacity: "1",
      title: "",
    });
    expect(tooFew.status).toBe(400);
    expect(tooFew.html).toContain("请填写活动名称");
    const stillFew = await submit(`/activities/${activity.id}/edit`, cookie, { ...values, capacity: "1" });
    expect(stillFew.status).toBe(400);
    expect(stillFew.html).toContain("名额不能少于 2");
    expect((await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).title).toBe(
      "重阳节敬老茶话会",
    );

    const res = await submit(`/activities/${activity.id}/edit`, cookie, values);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/activities/${activity.id}?done=saved`);
    const saved = await db().activity.findUniqueOrThrow({ where: { id: activity.id } });
    expect(saved).toMatchObject({
      title: "重阳节敬老茶话会（改）",
      venue: "社区党群服务中心三楼",
      capacity: 8,
    });
    expect(saved.startsAt.getTime()).toBe(startsAt.getTime());
    expect(await db().notification.count({ where: { kind: "activity.retimed" } })).toBe(0);

    const retimed = await submit(`/activities/${activity.id}/edit`, cookie, {
      ...values,
      startsAt: "2030-06-01T09:30",
      endsAt: "2030-06-01T11:00",
    });
    expect(retimed.status).toBe(302);
    expect(await db().notification.count({ where: { kind: "activity.retimed" } })).toBe(2);

    expect((await page(`/activities/${activity.id}/edit`, await cookieOf(fx.users.residentA1))).status).toBe(
      403,
    );
    expect((await submit(`/activities/${activity.id}/edit`, await cookieOf(workerB1), values)).status).toBe(
      403,
    );
    const finished = await createActivity({ status: "FINISHED", startsAt: new Date(Date.now() - DAY_MS) });
    const closed = await page(`/activities/${finished.id}/edit`, cookie);
    expect(closed.status).toBe(200);
    expect(textOf(closed.html)).toContain("该活动已结束，不能再修改");
    expect(closed.html).not.toContain('name="title"');
  });
});

describe("安排活动 from a matched need", () => {
  async function matchedNeed() {
    const owner = await createResident(db(), fx.communities.a1.id);
    const provider = await createProvider(db(), {
      name: "阳光助老服务社",
      communityIds: [fx.communities.a1.id],
      members: [{ userId: owner.id }],
    });
    const service = await createService(db(), {
      providerId: provider.id,
      title: "上门助浴",
      category: "elderly-care",
      communityIds: [fx.communities.a1.id],
    });
    const need = await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
      title: "独居老人需要助浴",
      category: "elderly-care",
      status: "MATCHED",
    });
    await db().match.create({
      data: {
        needId: need.id,
        serviceId: service.id,
        providerId: provider.id,
        status: "ACCEPTED",
        proposedBy: "STAFF",
        proposedById: fx.users.workerA1.id,
        decidedAt: new Date(),
      },
    });
    return { owner, provider, service, need };
  }

  it("links from the need, prefills the form, and schedules the need when published", async () => {
    const { owner, provider, service, need } = await matchedNeed();
    const cookie = await cookieOf(fx.users.workerA1);
    const needPage = await page(`/needs/${need.id}`, cookie);
    expect(needPage.html).toContain(`href="/activities/new?needId=${need.id}"`);
    expect(textOf(needPage.html)).toContain("安排活动");
    expect((await page(`/needs/${need.id}`, await cookieOf(owner))).html).toContain(
      `href="/activities/new?needId=${need.id}"`,
    );
    for (const user of [fx.users.residentA1, workerB1]) {
      expect((await page(`/needs/${need.id}`, await cookieOf(user))).html).not.toContain(
        "/activities/new?needId=",
      );
    }

    const form = await page(`/activities/new?needId=${need.id}`, cookie);
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="独居老人需要助浴"');
    expect(form.html).toContain('<option value="elderly-care" selected="">');
    expect(form.html).toContain(`<option value="${fx.communities.a1.id}" selected="">`);
    expect(form.html).toContain(`<input type="hidden" name="needIds" value="${need.id}"/>`);
    expect(form.html).toContain(`<input type="hidden" name="providerIds" value="${provider.id}"/>`);
    expect(form.html).toContain(`<input type="hidden" name="serviceId" value="${service.id}"/>`);

    const bad = await submit(`/activities/new?needId=${need.id}`, cookie, {
      ...activityForm({ title: "独居老人助浴日", capacity: "abc" }),
      needIds: need.id,
      providerIds: provider.id,
      serviceId: service.id,
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("名额应为整数");
    expect(bad.html).toContain(`name="needIds" value="${need.id}"`);
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("MATCHED");

    const res = await submit(`/activities/new?needId=${need.id}`, cookie, {
      ...activityForm({ title: "独居老人助浴日", category: "" }),
      needIds: need.id,
      providerIds: provider.id,
      serviceId: service.id,
    });
    expect(res.status).toBe(302);
    const activity = await db().activity.findFirstOrThrow({ include: { providers: true, needs: true } });
    expect(activity).toMatchObject({ serviceId: service.id, category: "elderly-care", status: "PUBLISHED" });
    expect(activity.needs.map((n) => n.needId)).toEqual([need.id]);
    expect(activity.providers.map((p) => p.providerId)).toEqual([provider.id]);
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("SCHEDULED");
    // Scheduled now: no second 安排活动.
    expect((await page(`/needs/${need.id}`, cookie)).html).not.toContain("/activities/new?needId=");
  });

  it("lets the matched provider's people arrange it for their provider", async () => {
    const { owner, provider, need } = await matchedNeed();
    const cookie = await cookieOf(owner);
    const form = await page(`/activities/new?needId=${need.id}`, cookie);
    expect(form.status).toBe(200);
    expect(form.html).toContain(`<option value="${provider.id}" selected="">`);
    const res = await submit(`/activities/new?needId=${need.id}`, cookie, {
      ...activityForm({ title: "独居老人助浴日", publish: "" }),
      organiserProviderId: provider.id,
      needIds: need.id,
      providerIds: provider.id,
    });
    expect(res.status).toBe(302);
    expect(await db().activity.findFirstOrThrow()).toMatchObject({
      providerId: provider.id,
      status: "DRAFT",
    });
    // A draft does not schedule the need yet.
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("MATCHED");
  });

  it("refuses needs that are not matched or not the viewer's", async () => {
    const { need } = await matchedNeed();
    expect((await page(`/activities/new?needId=${need.id}`, await cookieOf(workerB1))).status).toBe(403);
    const open = await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
    });
    const notMatched = await page(`/activities/new?needId=${open.id}`, await cookieOf(fx.users.workerA1));
    expect(notMatched.status).toBe(409);
    expect(notMatched.html).toContain("只有“已对接”的需求可以安排活动");
    expect((await page("/activities/new?needId=nope", await cookieOf(fx.users.workerA1))).status).toBe(404);
  });
});

describe("/me/activities", () => {
  it("lists my registrations, upcoming first, with the code and QR code", async () => {
    const later = await createActivity({
      title: "下周的书法课",
      startsAt: new Date(Date.now() + 7 * DAY_MS),
    });
    const soon = await createActivity({ title: "明天的茶话会", capacity: 1 });
    const past = await createActivity({
      title: "上月的讲座",
      status: "FINISHED",
      startsAt: new Date(Date.now() - 30 * DAY_MS),
    });
    const me = await actorOf(fx.users.residentA1);
    const mine = await registerForActivity(me, later.id, {});
    await registerForActivity(await actorOf(neighbourA1), soon.id, {});
    await registerForActivity(me, soon.id, {});
    await db().registration.create({
      data: {
        activityId: past.id,
        userId: fx.users.residentA1.id,
        status: "REGISTERED",
        checkInCode: "123456",
      },
    });

    const cookie = await cookieOf(fx.users.residentA1);
    expect((await page("/me", cookie)).html).toContain('href="/me/activities"');
    const { status, html } = await page("/me/activities", cookie);
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>我的活动/);
    const text = textOf(html);
    expect(text).toContain("共 3 场");
    expect(text.indexOf("明天的茶话会")).toBeLessThan(text.indexOf("下周的书法课"));
    expect(text.indexOf("下周的书法课")).toBeLessThan(text.indexOf("上月的讲座"));
    expect(text).toContain("候补第 1 位");
    expect(text).toContain(`>${mine.checkInCode}</p>`);
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).not.toContain(">123456</p>");

    const anonymous = await page("/me/activities");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/login?redirectTo=%2Fme%2Factivities");
  });
});

describe("/workbench/activities", () => {
  it("lists the organiser's activities with drafts and links to edit and the desk", async () => {
    const draft = await createActivity({ title: "A1的草稿", status: "DRAFT" });
    const live = await createActivity({ title: "A1的活动" });
    const elsewhere = await createActivity({ title: "B1的活动", communityId: fx.communities.b1.id });
    const cookie = await cookieOf(fx.users.workerA1);
    expect((await page("/workbench", cookie)).html).toContain('href="/workbench/activities"');
    const { status, html } = await page("/workbench/activities", cookie);
    expect(status).toBe(200);
    expect(html).toMatch(/<h1[^>]*>活动管理/);
    expect(html).toContain(`href="/activities/${draft.id}/edit"`);
    expect(html).toContain('badge--activity-draft">草稿</span>');
    expect(html).toContain(`href="/activities/${live.id}/desk"`);
    expect(html).not.toContain(`href="/activities/${draft.id}/desk"`);
    expect(html).not.toContain(elsewhere.id);
    expect(html).toContain('href="/activities/new"');

    expect((await page("/workbench/activities", await cookieOf(fx.users.residentA1))).status).toBe(403);
    expect((await page("/workbench/activities")).status).toBe(302);
  });
});

describe("activities pages fed garbage", () => {
  it("forged and garbage form posts never answer 5xx or leak", async () => {
    const activity = await createActivity({ startsAt: new Date(Date.now() + HOUR_MS) });
    await registerForActivity(await actorOf(fx.users.residentA1), activity.id, {});
    const cookies = {
      resident: await cookieOf(fx.users.residentA1),
      worker: await cookieOf(fx.users.workerA1),
      other: await cookieOf(workerB1),
    };
    const formValue = garbageFormValue([
      "register",
      "cancelRegistration",
      "publish",
      "cancel",
      "checkIn",
      "walkIns",
      "123456",
      "2030-06-01T09:30",
    ]);
    const fields = fc.dictionary(
      fc.constantFrom(
        "intent",
        "code",
        "count",
        "phone",
        "reason",
        "title",
        "description",
        "category",
        "communityId",
        "organiserProviderId",
        "venue",
        "startsAt",
        "endsAt",
        "capacity",
        "publish",
        "needIds",
        "providerIds",
        "serviceId",
      ),
      formValue,
    );
    const idSegment = fc.oneof(
      fc.constant(activity.id),
      fc
        .string({ minLength: 1, maxLength: 40 })
        .filter((id) => id !== "." && id !== ".." && id !== "new")
        .map(encodeURIComponent),
    );
    const paths = fc.oneof(
      fc.constant("/activities/new"),
      idSegment.map((id) => `/activities/${id}`),
      idSegment.map((id) => `/activities/${id}/desk`),
      idSegment.map((id) => `/activities/${id}/edit`),
    );
    await fc.assert(
      fc.asyncProperty(
        paths,
        fields,
        fc.constantFrom("resident", "worker", "other"),
        async (path, values, who) => {
          const response = await server.request(path, {
            method: "POST",
            body: new URLSearchParams(values).toString(),
            headers: {
              "content-type": "application/x-www-form-urlencoded",
              origin: server.origin,
              cookie: cookies[who],
            },
          });
          await expectCleanAnswer(response);
        },
      ),
      { numRuns: propertyRuns(200) },
    );
  });

  it("the list, calendar and .ics read garbage query strings without failing", async () => {
    const activity = await createActivity();
    const query = fc.dictionary(
      fc.constantFrom("view", "month", "when", "category", "subdistrictId", "communityId", "page", "code"),
      garbageFormValue(["calendar", "past", "2030-06"]),
    );
    const cookie = await cookieOf(fx.users.workerA1);
    await fc.assert(
      fc.asyncProperty(query, fc.boolean(), async (params, signedIn) => {
        const search = new URLSearchParams(params).toString();
        for (const path of [
          `/activities?${search}`,
          `/activities/${activity.id}?${search}`,
          `/activities/${activity.id}/desk?${search}`,
          `/me/activities?${search}`,
          `/workbench/activities?${search}`,
        ]) {
          const response = await server.request(path, { headers: { cookie: signedIn ? cookie : "" } });
          await expectCleanAnswer(response);
        }
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});
