import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { acceptMatch, proposeMatch } from "~/domain/matching/matching.server";
import { db } from "~/lib/db.server";
import { createBookingRow, createVenueRow } from "../../prisma/factories/venues";
import { resetOnlyWhenAsked } from "../setup/integration";
import { type Account, atPath, browserJourney, PHONE, setElderMode, signIn } from "./browser";
import {
  actorOf,
  bottomOf,
  emptyScreenshotsDir,
  focused,
  journeySteps,
  seedJourneys,
} from "./people-journeys.fixture";

// The pages of issue #15 that the four journeys pass by, walked as their people would on a phone
// (390 × 844) in 适老化 mode: 「我要这个服务」 into a need, 撤回需求 and 确认完成, a forgotten password
// (the worker's 密码重置码 desk, then /forgot-password), a booking cancelled on 阵地管理 whose
// notification opens the booking's own page, and the admin's 队列状态. Screenshots are kept in
// test-results/journey-pages/, each step axe clean.

resetOnlyWhenAsked();
const { origin, url, openBrowser, expectScriptsRan } = browserJourney();
const SCREENSHOTS = path.resolve("test-results/journey-pages");
let fx: Awaited<ReturnType<typeof seedJourneys>>;

beforeAll(async () => {
  await emptyScreenshotsDir(SCREENSHOTS);
  fx = await seedJourneys();
});

const main = (page: Page) => page.getByRole("main");
const status = (page: Page) => page.getByRole("status");
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 30_000 });

async function elderPhone(who: string, account?: Account) {
  const page = await openBrowser(who);
  await setElderMode(page.context(), origin(), true);
  if (account) {
    await signIn(page, origin(), account);
    await page.getByRole("banner").getByText(`您好，${account.name}`).waitFor();
  }
  return page;
}

describe("more pages of issue #15 on a phone in 适老化 mode", { timeout: 360_000 }, () => {
  it("a resident asks for a service, withdraws the fresh need, and confirms a matched one", async () => {
    const step = journeySteps("resident", SCREENSHOTS);
    const [li] = fx.neighbours;
    if (!li) throw new Error("a neighbour");
    const page = await elderPhone("resident", li);

    // 1. The service page: 我要这个服务 and the business phone, before the description.
    await page.goto(url(`/services/${fx.repair.id}`));
    expect(await bottomOf(page, "main .actions")).toBeLessThanOrEqual(PHONE.height);
    // The number to call on one line (027- / 88886666 read as two numbers).
    const numberLines = await main(page)
      .getByRole("link", { name: /^打电话/ })
      .locator(".unbroken")
      .evaluate((number) => {
        const range = document.createRange();
        range.selectNodeContents(number);
        return range.getClientRects().length;
      });
    expect(numberLines).toBe(1);
    await step(page, "service");
    await main(page).getByRole("link", { name: "我要这个服务" }).click();
    await page.waitForURL(atPath(/^\/needs\/new$/));
    await main(page).getByText("您想要的服务：").waitFor();
    expect(await page.getByLabel("需求标题").inputValue()).toBe(fx.repair.title);
    await step(page, "need-form-with-service");
    await page.getByLabel("具体情况").fill("厨房的水龙头也在滴水，想请师傅一起看看。");
    await page.getByRole("button", { name: "提交需求" }).click();
    await page.waitForURL(atPath(/^\/needs\/(?!new$)[A-Za-z0-9_-]+$/));
    const fresh = await db().need.findFirstOrThrow({
      where: { requesterId: li.id, requestedServiceId: fx.repair.id },
    });
    // Her own phone on one line beside the long label 居民选择的服务.
    for (const selector of ['main .facts a[href^="tel:"]']) {
      const lines = await page
        .locator(selector)
        .first()
        .evaluate((number) => {
          const range = document.createRange();
          range.selectNodeContents(number);
          return range.getClientRects().length;
        });
      expect(lines, selector).toBe(1);
    }
    await step(page, "need-with-service");

    // 2. 撤回需求 on the fresh need: asked once more, then said.
    await main(page).locator("summary", { hasText: "撤回需求" }).click();
    await main(page).getByRole("button", { name: "确认撤回需求" }).click();
    await status(page).getByText("需求已撤回。").waitFor();
    await eventually(() => focused(page)).toMatchObject({ role: "status" });
    expect((await db().need.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe("CANCELLED");
    await step(page, "need-withdrawn");

    // 3. Her haircut need, once matched: 确认完成 asks on its own page, then is confirmed.
    const worker = await actorOf(fx.users.workerA1);
    const match = await proposeMatch(worker, { needId: fx.haircutNeed.id, serviceId: fx.haircutAtHome.id });
    await acceptMatch(await actorOf(fx.owner), match.id);
    await page.goto(url(`/needs/${fx.haircutNeed.id}`));
    await main(page)
      .getByRole("link", { name: /^确认完成/ })
      .click();
    await page.waitForURL(atPath(new RegExp(`^/needs/${fx.haircutNeed.id}/fulfil$`)));
    expect(await bottomOf(page, "main button[type=submit]")).toBeLessThanOrEqual(PHONE.height * 2);
    await step(page, "fulfil");
    await page.getByRole("button", { name: "是的，已经完成" }).click();
    await page.waitForURL(atPath(new RegExp(`^/needs/${fx.haircutNeed.id}$`)));
    await status(page)
      .getByText(/^已确认完成/)
      .waitFor();
    expect((await db().need.findUniqueOrThrow({ where: { id: fx.haircutNeed.id } })).status).toBe(
      "FULFILLED",
    );
    await step(page, "fulfilled");
    expectScriptsRan();
  });

  it("a forgotten password: the worker issues a code at the desk, the resident sets a new one and signs in", async () => {
    const step = journeySteps("reset", SCREENSHOTS);
    const [, zhao] = fx.neighbours;
    if (!zhao) throw new Error("a neighbour");
    await db().community.update({
      where: { id: fx.communities.a1.id },
      data: { servicePhone: "027-88881234" },
    });

    // 1. From the sign-in page: 忘记密码？ says whom to ask, with her community's phone to call.
    const resident = await elderPhone("resident");
    await resident.goto(url("/login"));
    await resident.getByRole("link", { name: "忘记密码？" }).click();
    await resident.waitForURL(atPath(/^\/forgot-password$/));
    // Someone without a code yet needs the phones first: a link to them on the first screen.
    const toPhones = main(resident).getByRole("link", { name: "查看各社区电话" });
    expect(await toPhones.getAttribute("href")).toBe("#community-phones");
    expect(await bottomOf(resident, 'a[href="#community-phones"]')).toBeLessThanOrEqual(PHONE.height);
    await main(resident).getByRole("link", { name: "027-88881234" }).first().waitFor();
    await step(resident, "forgot-password");

    // 2. The worker's desk: the code, big, with its expiry.
    const desk = await elderPhone("worker", fx.users.workerA1);
    await desk.goto(url("/workbench/password-reset"));
    await step(desk, "desk");
    await desk.getByLabel("居民手机号").fill(zhao.phone);
    await desk.getByRole("button", { name: "发放重置码" }).click();
    const digits = desk.locator(".check-in-code__digits");
    await digits.waitFor();
    const code = ((await digits.textContent()) ?? "").replace(/\s/g, "");
    expect(code).toMatch(/^\d{8}$/);
    // Above the instructions: on the first screen even before the focus scrolls to it.
    await desk.evaluate(() => window.scrollTo(0, 0));
    expect(await bottomOf(desk, ".check-in-code__digits")).toBeLessThanOrEqual(PHONE.height);
    await step(desk, "desk-code");

    // 3. A wrong code first: said on the field, phone kept; then the right one.
    await resident.getByLabel("手机号").fill(zhao.phone);
    await resident.getByLabel("重置码").fill("12345678");
    await resident.getByLabel("新密码").fill("xin-mima-2026");
    await resident.getByRole("button", { name: "设置新密码" }).click();
    await resident.locator(".error-summary, .form-message--error").first().waitFor();
    expect(await resident.getByLabel("手机号").inputValue()).toBe(zhao.phone);
    await step(resident, "wrong-code");
    await resident.getByLabel("重置码").fill(code);
    await resident.getByLabel("新密码").fill("xin-mima-2026");
    await resident.getByRole("button", { name: "设置新密码" }).click();
    await resident.waitForURL(atPath(/^\/login$/));
    await step(resident, "reset-done");
    await signIn(resident, origin(), { phone: zhao.phone, password: "xin-mima-2026" });
    await resident.getByRole("banner").getByText(`您好，${zhao.name}`).waitFor();
    expectScriptsRan();
  });

  it("a booking cancelled on 阵地管理 with a reason: its notification opens the booking's own page", async () => {
    const step = journeySteps("booking", SCREENSHOTS);
    const [, , sun] = fx.neighbours;
    if (!sun) throw new Error("a neighbour");
    const venue = await createVenueRow(db(), {
      subdistrictId: fx.subdistricts.a.id,
      communityId: fx.communities.a1.id,
      name: "映月社区多功能厅",
    });
    const startsAt = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000);
    const booking = await createBookingRow(db(), {
      venueId: venue.id,
      startsAt,
      status: "CONFIRMED",
      createdById: sun.id,
      groupName: "映月合唱队",
    });

    // 1. 阵地管理: 取消 with the reason the holder will read.
    const staff = await elderPhone("worker", fx.users.workerA1);
    await staff.goto(url(`/venues/${venue.id}/manage`));
    await step(staff, "manage");
    await main(staff)
      .locator("summary", { hasText: /^取消这次预约$/ })
      .click();
    await staff.getByRole("button", { name: "确认取消" }).click();
    await staff.locator(".error-summary, .form-message--error").first().waitFor();
    await step(staff, "cancel-without-reason");
    await staff.getByLabel("取消“映月合唱队”的原因").fill("多功能厅临时维修");
    await staff.getByRole("button", { name: "确认取消" }).click();
    await status(staff)
      .getByText(/^已取消“映月合唱队”.*的预约，已通知预约人。$/)
      .waitFor();
    await step(staff, "cancelled");

    // 2. The holder's notification leads to the booking itself, which says why.
    const page = await elderPhone("resident", sun);
    await page.goto(url("/me/notifications"));
    const notice = main(page).getByRole("listitem").filter({ hasText: "阵地预约已取消" });
    await notice.getByRole("button", { name: "查看" }).click();
    await page.waitForURL(atPath(new RegExp(`^/me/bookings/${booking.id}$`)));
    await main(page).getByText("原因：多功能厅临时维修").waitFor();
    await main(page).getByText("已取消").first().waitFor();
    await step(page, "booking-page");
    expectScriptsRan();
  });

  it("the district admin's 队列状态 inside the site, in Chinese, with a way back", async () => {
    const step = journeySteps("queues", SCREENSHOTS);
    const page = await elderPhone("district admin", fx.users.districtAdmin);
    await page.goto(url("/workbench"));
    await main(page).getByRole("link", { name: "队列状态" }).click();
    await page.waitForURL(atPath(/^\/workbench\/queues$/));
    await page.getByRole("heading", { level: 1, name: "队列状态" }).waitFor();
    await page.getByRole("banner").waitFor();
    await main(page)
      .getByRole("link", { name: /返回工作台/ })
      .waitFor();
    await step(page, "queues");
    expectScriptsRan();
  });
});
