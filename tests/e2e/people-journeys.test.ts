import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createActivity } from "~/domain/activities/activities.server";
import { acceptMatch, proposeMatch } from "~/domain/matching/matching.server";
import { chinaDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { resetOnlyWhenAsked } from "../setup/integration";
import {
  type Account,
  atPath,
  browserJourney,
  PHONE,
  setElderMode,
  signIn,
  waitForRootClass,
} from "./browser";
import {
  actorOf,
  bottomOf,
  emptyScreenshotsDir,
  focused,
  journeySteps,
  LAST_YEAR,
  seedJourneys,
} from "./people-journeys.fixture";

// The four journeys of issue #15, each on a phone (390 × 844) in 适老化 mode, as its person would walk
// it: a resident from sign-up to checking in and reading her need's story; a provider from sign-in to
// an accepted offer and its activity's 报名名单; a community worker's 签到台; the district admin's 统计
// pickers. Each step keeps a screenshot in test-results/journeys/ and must be axe clean; what the
// issue asks of the page (focus, the first screen, what is and is not shown) is checked where it
// happens. The other side's part (a worker matching, accepting) is done through the domain.
// The community is seeded once for the file; each journey touches its own part of it.

resetOnlyWhenAsked();
const { origin, url, openBrowser, expectScriptsRan } = browserJourney();
let fx: Awaited<ReturnType<typeof seedJourneys>>;

beforeAll(async () => {
  await emptyScreenshotsDir();
  fx = await seedJourneys();
});

const ID = "[A-Za-z0-9_-]+";
const main = (page: Page) => page.getByRole("main");
/** After a form post the answer can show a moment before the page's data is reloaded, and the focus
 * moves once the answer is drawn: both are polled, generously (other test files share the cores). */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000 });
const status = (page: Page) => page.getByRole("status");

/** A person at their own phone with 适老化 on, signed in through the login form when they have an account. */
async function elderPhone(who: string, account?: Account) {
  const page = await openBrowser(who);
  await setElderMode(page.context(), origin(), true);
  if (account) {
    await signIn(page, origin(), account);
    await page.getByRole("banner").getByText(`您好，${account.name}`).waitFor();
  }
  return page;
}

/** The header must leave most of the phone's first screen to the page (it took 440 of 844 px). */
async function expectCompactHeader(page: Page) {
  expect(await bottomOf(page, "header.site-header")).toBeLessThanOrEqual(PHONE.height / 3);
}

// A journey is a whole morning of one person's steps (twenty pages, each screenshotted and checked
// with axe): more than the suite's two minutes on a busy shared machine, so a hang guard of its own.
describe("the people's journeys on a phone in 适老化 mode (issue #15)", { timeout: 360_000 }, () => {
  it("a resident signs up, posts a need, searches, registers, reads her need's story and checks in", async () => {
    const step = journeySteps("resident");
    const name = "王秀英";
    const phone = "13912345678";
    const password = "shuilongtou-2026";
    const needTitle = "家里卫生间水龙头漏水，想找人上门修一下";
    const page = await openBrowser("resident");

    // 1. 注册, switching 适老化 on from the header first.
    await page.goto(url("/register"));
    await page.getByRole("button", { name: "适老化模式" }).click();
    await waitForRootClass(page, "elder", true);
    await expectCompactHeader(page);
    await step(page, "register");

    // 2. A six-digit password: the error summary takes the focus, on screen, and links to the field.
    await page.getByLabel("姓名").fill(name);
    await page.getByLabel("手机号").fill("139 1234 5678");
    await page.getByLabel("设置密码").fill("123456");
    await page.getByLabel("所在社区").selectOption({ label: "映月社区" });
    await page.getByLabel("我已阅读并同意《隐私政策》").check();
    await page.getByRole("button", { name: "注册", exact: true }).click();
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    await expect
      .poll(() => focused(page))
      .toMatchObject({ role: "alert", className: expect.stringContaining("error-summary") });
    const summaryBox = await summary.boundingBox();
    expect(summaryBox && summaryBox.y >= 0 && summaryBox.y < PHONE.height).toBe(true);
    const toPassword = summary.getByRole("link", { name: /密码/ });
    expect(await toPassword.getAttribute("href")).toBe("#password");
    await step(page, "register-error");
    // By keyboard alone: from the focused summary, Tab reaches its link, Enter takes her to the field.
    await page.keyboard.press("Tab");
    await eventually(() => focused(page)).toMatchObject({ tag: "a", text: expect.stringContaining("密码") });
    await page.keyboard.press("Enter");
    await eventually(() => focused(page)).toMatchObject({ tag: "input", id: "password" });
    expect(await page.getByLabel("姓名").inputValue()).toBe(name);
    expect(await db().user.count({ where: { phone } })).toBe(0);

    // 3. A good password: registered, on 我的, told so.
    await page.getByLabel("设置密码").fill(password);
    await page.getByRole("button", { name: "注册", exact: true }).click();
    await page.waitForURL(atPath(/^\/me$/));
    await status(page).getByText("注册成功，欢迎您！").waitFor();
    await page.getByRole("banner").getByText(`您好，${name}`).waitFor();
    await step(page, "registered");
    const resident = await db().user.findUniqueOrThrow({ where: { phone } });

    // 4. The home page: 「我想……」 on the first screen, before the figures.
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "首页" }).click();
    await page.waitForURL(atPath(/^\/$/));
    await expectCompactHeader(page);
    expect(await bottomOf(page, "#quick-title")).toBeLessThanOrEqual(PHONE.height);
    await step(page, "home");

    // 5. 提需求 without a 类别: the summary takes the focus and links to 类别; then with one.
    await page.getByRole("link", { name: /^我要提需求/ }).click();
    await page.waitForURL(atPath(/^\/needs$/));
    await main(page).getByRole("link", { name: "我要提需求" }).click();
    await page.waitForURL(atPath(/^\/needs\/new$/));
    await page.getByLabel("需求标题").fill(needTitle);
    await page.getByLabel("具体情况").fill("水龙头一直滴水，关不紧，我年纪大了修不了，希望有师傅上门看看。");
    await page.getByRole("button", { name: "提交需求" }).click();
    await summary.waitFor();
    await expect
      .poll(() => focused(page))
      .toMatchObject({ className: expect.stringContaining("error-summary") });
    expect(await summary.getByRole("link", { name: /类别/ }).getAttribute("href")).toBe("#category");
    expect(await page.getByLabel("需求标题").inputValue()).toBe(needTitle);
    await step(page, "need-error");
    await page.getByLabel("类别").selectOption({ label: "家政维修" });
    await page.getByRole("button", { name: "提交需求" }).click();
    await page.waitForURL(atPath(new RegExp(`^/needs/${ID}$`)));
    await page.getByRole("heading", { level: 1, name: needTitle }).waitFor();
    const need = await db().need.findFirstOrThrow({ where: { requesterId: resident.id } });
    // A fresh need offers 撤回需求, not 确认完成 (item 2); its story has begun.
    await main(page).getByText("撤回需求").first().waitFor();
    expect(await main(page).getByText("确认完成").count()).toBe(0);
    const story = page.getByRole("region", { name: "需求进展" });
    await story.getByText("已提交").waitFor();
    await step(page, "need-posted");

    // 6. Searching from the header's folded search: the repair service, and no engine timings (item 8).
    await page.getByRole("banner").locator("summary", { hasText: "搜索" }).click();
    await page.getByRole("searchbox", { name: "搜索服务、组织" }).fill("水龙头");
    await page.getByRole("searchbox", { name: "搜索服务、组织" }).press("Enter");
    await page.waitForURL(atPath(/^\/search$/));
    await main(page).getByRole("link", { name: fx.repair.title }).first().waitFor();
    expect(await main(page).textContent()).not.toMatch(/毫秒|用时/);
    await step(page, "search");
    // The service's page: 「我要这个服务」 and the business phone to call, on the first screen (item 6).
    await main(page).getByRole("link", { name: fx.repair.title }).first().click();
    await page.waitForURL(atPath(new RegExp(`^/services/${fx.repair.id}$`)));
    const call = main(page).getByRole("link", { name: /^打电话/ });
    expect(await call.getAttribute("href")).toBe("tel:027-88886666");
    expect(await main(page).getByRole("link", { name: "我要这个服务" }).getAttribute("href")).toBe(
      `/needs/new?serviceId=${fx.repair.id}`,
    );
    expect(await bottomOf(page, "main .actions")).toBeLessThanOrEqual(PHONE.height);
    await step(page, "service");

    // 7. 活动: her community by default; 报名 on the first screen of the activity page.
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "活动" }).click();
    await page.waitForURL(atPath(/^\/activities$/));
    expect(
      await page
        .getByRole("navigation", { name: "查看范围" })
        .getByRole("link", { name: "本社区" })
        .getAttribute("aria-current"),
    ).toBe("page");
    await step(page, "activities");
    await main(page).getByRole("link", { name: fx.lecture.title }).click();
    await page.waitForURL(atPath(new RegExp(`^/activities/${fx.lecture.id}$`)));
    const register = main(page).getByRole("button", { name: "报名", exact: true });
    await register.waitFor();
    expect(await bottomOf(page, "main form button[type=submit].button--primary")).toBeLessThanOrEqual(
      PHONE.height,
    );
    // Staff figures (已报名 / 候补 / 签到 …) are not hers to see.
    expect(await main(page).locator(".activity-counts").count()).toBe(0);
    await step(page, "activity");
    await register.click();
    await status(page)
      .getByText(/^报名成功！您的签到码是 \d{6}/)
      .waitFor();
    await eventually(() => focused(page)).toMatchObject({ role: "status" });
    const code = (
      await db().registration.findFirstOrThrow({ where: { activityId: fx.lecture.id, userId: resident.id } })
    ).checkInCode;
    await page.getByRole("region", { name: "我的报名" }).getByText(code, { exact: true }).waitFor();
    await step(page, "registered-for-activity");

    // 8. A worker sends her need to the repair service with a note about her; the provider accepts;
    // the worker schedules the visit.
    const staffNote = "王阿姨72岁，独居，子女在外地，上门前先打电话";
    const worker = await actorOf(fx.users.workerA1);
    const match = await proposeMatch(worker, { needId: need.id, serviceId: fx.repair.id, note: staffNote });
    await acceptMatch(await actorOf(fx.owner), match.id);
    const visitStart = new Date(Math.ceil((Date.now() + 26 * 3600_000) / 3600_000) * 3600_000);
    const { activity: visit } = await createActivity(worker, {
      title: "上门维修卫生间水龙头",
      description: "映月便民服务社的师傅上门维修卫生间水龙头。",
      venue: "王秀英家中（映月社区）",
      communityId: fx.communities.a1.id,
      startsAt: visitStart,
      endsAt: new Date(visitStart.getTime() + 3600_000),
      capacity: 1,
      providerIds: [fx.provider.id],
      serviceId: fx.repair.id,
      needIds: [need.id],
      publish: true,
    });

    // 9. Her need's story: who, their phone to call, when and where; the worker's note nowhere.
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的" }).click();
    await page.waitForURL(atPath(/^\/me$/));
    await main(page).getByRole("link", { name: "我的需求" }).first().click();
    await page.waitForURL(atPath(/^\/me\/needs$/));
    await main(page).getByRole("link", { name: needTitle }).click();
    await page.waitForURL(atPath(new RegExp(`^/needs/${need.id}$`)));
    await story.waitFor();
    expect(await main(page).locator(".badge--status-scheduled").first().textContent()).toBe("已安排");
    const matched = story.locator(".story__step").filter({ hasText: "已对接" });
    await matched.getByRole("link", { name: fx.provider.name }).waitFor();
    expect(await matched.getByRole("link", { name: fx.provider.contactPhone }).getAttribute("href")).toBe(
      `tel:${fx.provider.contactPhone}`,
    );
    const scheduled = story.locator(".story__step").filter({ hasText: "已安排" });
    await scheduled.getByRole("link", { name: visit.title }).waitFor();
    await scheduled.getByText(visit.venue).waitFor();
    expect(await scheduled.textContent()).toMatch(/时间.*\d{1,2}:\d{2}/);
    expect(await page.content()).not.toContain("独居");
    // Now matched and scheduled, 确认完成 is offered (on a page of its own).
    await main(page)
      .getByRole("link", { name: /^确认完成/ })
      .waitFor();
    await step(page, "need-story");

    // 10. The notification tells the time and the place too.
    await page.goto(url("/me/notifications"));
    await main(page).getByText("您的需求已安排").first().waitFor();
    expect(await main(page).textContent()).toContain(visit.venue);
    await step(page, "notifications");

    // 11. At the lecture she shows her code; the worker types it at the 签到台; her page says so.
    await page.goto(url("/me/activities"));
    const card = page.getByRole("article", { name: fx.lecture.title });
    expect(await card.locator(".check-in-code__digits").textContent()).toBe(code);
    await step(page, "check-in-code");
    const desk = await elderPhone("worker", fx.users.workerA1);
    await desk.goto(url(`/activities/${fx.lecture.id}/desk`));
    await desk.getByRole("textbox", { name: "6位签到码" }).fill(code);
    await desk.getByRole("button", { name: "签到", exact: true }).click();
    await status(desk)
      .getByText(new RegExp(`^已签到：${name} `))
      .waitFor();
    await page.goto(url(`/activities/${fx.lecture.id}`));
    await page
      .getByRole("region", { name: "我的报名" })
      .getByText(/已于 .*\d{2}:\d{2} 签到/)
      .waitFor();
    expect(await page.locator(".check-in-code__digits").count()).toBe(0);
    await step(page, "checked-in");
    expectScriptsRan();
  });

  it("a provider signs in, offers a chosen service for a suggested need, is accepted and reads its 报名名单", async () => {
    const step = journeySteps("provider");
    const page = await elderPhone("provider", fx.owner);
    // 1. Signed in, the owner of one provider lands on its workspace (item 10).
    await page.waitForURL(atPath(new RegExp(`^/me/providers/${fx.provider.id}$`)));
    await page.getByRole("heading", { level: 1, name: fx.provider.name }).waitFor();
    await expectCompactHeader(page);
    await step(page, "signed-in");

    // 2. 适合本机构的需求: 上门理发 with its content fit, never 代买菜 (item 9).
    const suggested = page.getByRole("region", { name: "适合本机构的需求" });
    const haircut = suggested
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: fx.haircutNeed.title }) });
    await haircut.waitFor();
    await haircut.getByText("内容相符").waitFor();
    expect(await suggested.getByRole("link", { name: fx.groceryNeed.title }).count()).toBe(0);
    await step(page, "suggested-needs");

    // 3. It offers with the service it chooses: the one not preselected.
    const choices = haircut.getByRole("group", { name: "用哪项服务接单" });
    const options = await choices.getByRole("radio").all();
    expect(options.length).toBeGreaterThanOrEqual(2);
    const chosen = choices.getByRole("radio", { name: fx.haircutDay.title });
    const wasChecked = await chosen.isChecked();
    const other = wasChecked ? fx.haircutAtHome : fx.haircutDay;
    await choices.getByRole("radio", { name: other.title }).check();
    await haircut.getByRole("button", { name: "主动接单" }).click();
    await status(page).getByText("已主动接单").waitFor();
    await eventually(() => focused(page)).toMatchObject({ role: "status" });
    const offer = await db().match.findFirstOrThrow({ where: { needId: fx.haircutNeed.id } });
    expect(offer).toMatchObject({ serviceId: other.id, proposedBy: "PROVIDER", status: "PROPOSED" });
    await step(page, "offered");

    // 4. The community accepts the offer for the resident (staff decide a provider's offer, ADR 0009).
    await acceptMatch(await actorOf(fx.users.workerA1), offer.id);
    await page.reload();
    const record = page.getByRole("region", { name: "对接记录" });
    const accepted = record
      .getByRole("listitem")
      .filter({ has: page.getByRole("link", { name: fx.haircutNeed.title }) });
    await accepted.getByText("已接受", { exact: true }).waitFor();
    await accepted.getByText(other.title).waitFor();
    await step(page, "accepted");

    // 5. Its own activity's 报名名单: names and full phones to call, and the download.
    await page.goto(url(`/activities/${fx.providerActivity.id}`));
    await page.getByRole("heading", { level: 1, name: fx.providerActivity.title }).waitFor();
    // The organiser's doors (签到台, 报名名单) on the first screen; the list itself is further down.
    const doors = page.getByRole("navigation", { name: "组织者入口" });
    expect(await doors.getByRole("link", { name: "报名名单（2 人）" }).getAttribute("href")).toBe(
      "#registrants",
    );
    expect(await bottomOf(page, 'nav[aria-label="组织者入口"]')).toBeLessThanOrEqual(PHONE.height);
    // A short list is open at once.
    const list = main(page).locator("details.registrants");
    expect(await list.locator("summary").textContent()).toBe("报名名单（2 人）");
    expect(await list.getAttribute("open")).not.toBeNull();
    for (const person of fx.neighbours.slice(0, 2)) {
      await list.getByText(person.name).waitFor();
      expect(await list.getByRole("link", { name: person.phone }).getAttribute("href")).toBe(
        `tel:${person.phone}`,
      );
    }
    await step(page, "registrants");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      list.getByRole("link", { name: "下载名单（CSV）" }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    for (const person of fx.neighbours.slice(0, 2)) {
      expect(csv).toContain(person.name);
      expect(csv).toContain(person.phone);
    }
    expect(csv).not.toContain(fx.neighbours[2]?.name ?? "孙玉梅");
    expect(
      await db().auditLog.count({ where: { action: "activity.registrantsExported", actorId: fx.owner.id } }),
    ).toBe(1);
    expectScriptsRan();
  });

  it("a community worker's 签到台: codes typed and refocused, 现场人数 ±1 with the total, a desk not yet open", async () => {
    const step = journeySteps("worker");
    const page = await elderPhone("worker", fx.users.workerA1);
    // 工作台 after sign-in (item 10), with what waits and today's activities, each with its desk (item
    // 13); a run late in the evening, when the class starts after China's midnight, opens it instead.
    await page.waitForURL(atPath(/^\/workbench$/));
    await step(page, "workbench");
    if (chinaDay(new Date(fx.phoneClass.startsAt)).getTime() === chinaDay(new Date()).getTime()) {
      await page
        .getByRole("region", { name: "今日活动" })
        .getByRole("listitem")
        .filter({ has: page.getByRole("link", { name: fx.phoneClass.title }) })
        .getByRole("link", { name: "签到台" })
        .click();
    } else {
      await page.goto(url(`/activities/${fx.phoneClass.id}`));
      await main(page).getByRole("link", { name: "签到台" }).click();
    }
    await page.waitForURL(atPath(new RegExp(`^/activities/${fx.phoneClass.id}/desk$`)));

    // 1. The code box waits with the focus, on the first screen.
    const box = page.getByRole("textbox", { name: "6位签到码" });
    await eventually(() => focused(page)).toMatchObject({ id: "code" });
    expect(await bottomOf(page, "#code")).toBeLessThanOrEqual(PHONE.height);
    await step(page, "desk");

    // 2. Two codes typed one after the other (Enter): each checks in and the box is empty and
    // focused again for the next person.
    for (const [i, code] of fx.classCodes.slice(0, 2).entries()) {
      await page.keyboard.type(code);
      await page.keyboard.press("Enter");
      await status(page)
        .getByText(new RegExp(`^已签到：${fx.neighbours[i]?.name} `))
        .waitFor();
      await eventually(() => focused(page)).toMatchObject({ id: "code" });
      expect(await box.inputValue()).toBe("");
    }
    // The list under the box: each name on one line, not a character a line.
    const nameLines = await page.locator(".desk-table tbody td:first-child").evaluateAll((cells) =>
      cells.map((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return range.getClientRects().length;
      }),
    );
    expect(nameLines).toEqual([1, 1, 1]);
    await step(page, "two-checked-in");

    // 3. A wrong code is said beside the box, kept for correcting, with the focus still there.
    await page.keyboard.type("000000");
    await page.keyboard.press("Enter");
    await page.locator("#code-error").getByText("签到码不正确，请核对后重试").waitFor();
    expect(await box.inputValue()).toBe("000000");
    await eventually(() => focused(page)).toMatchObject({ id: "code" });
    await step(page, "wrong-code");

    // 4. 现场人数: +1 three times, −1 once: 2 walk-ins, shown as the total, 4 person-times.
    const total = page.locator(".desk-walk-ins__total strong");
    for (const [button, expected] of [
      ["现场人数加1", "1"],
      ["现场人数加1", "2"],
      ["现场人数加1", "3"],
      ["现场人数减1", "2"],
    ] as const) {
      await page.getByRole("button", { name: button }).click();
      await eventually(() => total.textContent()).toBe(expected);
    }
    await status(page).getByText("现场人数−1，现在共 2 人，受众共 4 人次。").waitFor();
    expect(await db().activity.findUniqueOrThrow({ where: { id: fx.phoneClass.id } })).toMatchObject({
      walkIns: 2,
    });
    await step(page, "walk-ins");

    // 5. An activity three days away: the desk says when check-in opens and takes no code, also from a
    // scanned code's link.
    for (const path of [
      `/activities/${fx.dumplings.id}/desk`,
      `/activities/${fx.dumplings.id}/desk?code=${fx.dumplingsCode}`,
    ]) {
      await page.goto(url(path));
      await page
        .getByRole("note")
        .getByText(/^签到在活动开始前2小时开放（.+ 起）。$/)
        .waitFor();
      expect(await page.getByRole("textbox", { name: "6位签到码" }).count()).toBe(0);
      expect(await page.getByRole("button", { name: /签到$/ }).count()).toBe(0);
    }
    await step(page, "not-open-yet");
    expect(
      await db().registration.count({ where: { activityId: fx.dumplings.id, checkedInAt: { not: null } } }),
    ).toBe(0);
    expectScriptsRan();
  });

  it("the district admin's 统计: a community, then a date range; heading and figures name the same place", async () => {
    const step = journeySteps("admin");
    const page = await elderPhone("district admin", fx.users.districtAdmin);
    const headline = (label: string) =>
      page
        .locator(".stats-card")
        .filter({ has: page.locator(".stats-card__label", { hasText: new RegExp(`^${label}$`) }) })
        .locator(".stats-card__value")
        .textContent();
    const picked = () =>
      page
        .getByLabel("地区", { exact: true })
        .evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent);
    const pick = async (values: { place?: string; period?: string; from?: string; to?: string }) => {
      if (values.place) await page.getByLabel("地区", { exact: true }).selectOption({ label: values.place });
      if (values.period)
        await page.getByLabel("时段", { exact: true }).selectOption({ label: values.period });
      if (values.from) await page.getByLabel("开始日期").fill(values.from);
      if (values.to) await page.getByLabel("结束日期").fill(values.to);
      const before = page.url();
      await page.getByRole("button", { name: "查看统计" }).click();
      await page.waitForURL((current) => current.href !== before);
    };
    const expectPlace = async (place: string) => {
      await page.getByRole("heading", { level: 1, name: `统计 · ${place}` }).waitFor();
      expect(await picked()).toContain(place);
      expect(await page.getByRole("navigation", { name: "地区层级" }).textContent()).toContain(place);
    };

    // 1. 统计 from the menu: the district.
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "统计" }).click();
    await page.waitForURL(atPath(/^\/stats$/));
    await expectPlace(fx.district.name);
    await step(page, "district");

    // 2. 映月社区 picked, this year: nothing held yet this year there.
    await pick({ place: "映月社区" });
    await expectPlace("映月社区");
    await step(page, "community");

    // 3. Then a date range (last year): still 映月社区, with its figures (2 activities, 2,032 person-times).
    await pick({ period: "自定义（按下面的日期）", from: `${LAST_YEAR}-01-01`, to: `${LAST_YEAR}-12-31` });
    await expectPlace("映月社区");
    expect(await headline("活动")).toBe("2 场次");
    expect(await headline("受众")).toBe("2032 人次");
    expect(await headline("服务居民")).toBe("2 人");
    expect(await page.getByLabel("开始日期").inputValue()).toBe(`${LAST_YEAR}-01-01`);
    await step(page, "community-last-year");

    // 4. The other community over the same dates: its own name and figures.
    await pick({ place: "望湖社区" });
    await expectPlace("望湖社区");
    expect(await headline("活动")).toBe("1 场次");
    expect(await headline("受众")).toBe("40 人次");
    expect(await page.getByLabel("结束日期").inputValue()).toBe(`${LAST_YEAR}-12-31`);
    await step(page, "other-community");

    // 5. A period tab keeps the place.
    await page.getByRole("navigation", { name: "统计时段" }).getByRole("link", { name: "去年" }).click();
    await page.waitForURL((current) => current.searchParams.get("period") === "lastYear");
    await page.getByRole("heading", { level: 2, name: `${LAST_YEAR}年概况` }).waitFor();
    await expectPlace("望湖社区");
    expect(await headline("受众")).toBe("40 人次");
    await step(page, "period-tab");
    expectScriptsRan();
  });
});
