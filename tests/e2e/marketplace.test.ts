import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, createUser, type TerritoryFixture } from "../../prisma/factories";
import { createNeed, createProvider, createService, makeUscc } from "../../prisma/factories/marketplace";
import {
  atPath,
  browserJourney,
  documentWidth,
  rootFontSize,
  successMessage,
  textSizes,
  waitForRootClass,
} from "./browser";

// The marketplace in a real browser (issue 3): a merchant applies, a worker of the community
// approves, the merchant publishes a paid service that the public then finds, a resident posts a
// need that the worker sees in triage with the contact details (the merchant only masked); a
// rejected application corrected and re-submitted; and the pages in 适老化 mode at phone width.
// Everyone signs in through the login form in their own browser and acts through the pages only.

let fx: TerritoryFixture;
const { url, openBrowser, signedIn, expectScriptsRan } = browserJourney();

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const ID = "[A-Za-z0-9_-]+";
const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/** The provider's status badge under the page's heading ("待审核", "已通过", …). */
const providerStatus = (page: Page) =>
  page.getByRole("main").locator(".badge[class*='badge--provider-']").first();

/** Waits until the status badge reads `label`. After a form post the confirmation (action data)
 * can show a moment before the page's data is reloaded, so the badge is polled, generously. */
const statusReads = (page: Page, label: string) =>
  expect.poll(() => providerStatus(page).textContent(), { timeout: 15_000 }).toBe(label);

describe("the marketplace journey", () => {
  it("merchant applies, worker approves, service goes public, resident's need reaches triage", async () => {
    const merchant = await createUser(db(), { name: "张记老年餐" });
    const worker = fx.users.workerA1;
    const resident = fx.users.residentA1;
    const a1 = fx.communities.a1;
    const uscc = makeUscc("MERCHANT");
    const shopName = "张记社区老年助餐店";

    // 1. The merchant applies as a 特色商家 serving community a1 and lands on its dashboard.
    const shop = await signedIn("merchant", merchant);
    await shop.goto(url("/providers"));
    await shop.getByRole("main").getByRole("link", { name: "申请入驻", exact: true }).click();
    await shop.waitForURL(atPath(/^\/providers\/apply$/));
    await shop.getByRole("heading", { level: 1, name: "申请入驻" }).waitFor();
    await shop.getByRole("radio", { name: /^特色商家/ }).check();
    await shop.getByLabel("机构名称").fill(shopName);
    await shop.getByLabel("统一社会信用代码").fill(uscc.toLowerCase());
    await shop.getByLabel("联系人姓名").fill("张建华");
    await shop.getByLabel("联系电话").fill("13912340001");
    await shop.getByLabel("机构地址").fill("幸福路12号1楼");
    await shop.getByRole("checkbox", { name: a1.name, exact: true }).check();
    await shop.getByLabel("机构简介").fill("为社区老人提供每日午餐、晚餐，可送餐上门，已服务居民五年。");
    await shop.getByRole("button", { name: "提交申请" }).click();
    await shop.waitForURL(atPath(new RegExp(`^/me/providers/${ID}$`)));
    await successMessage(shop).getByText("申请已提交！").waitFor();
    expect(await shop.getByRole("heading", { level: 1 }).textContent()).toBe(shopName);
    await statusReads(shop, "待审核");
    const providerId = new URL(shop.url()).pathname.split("/").at(-1) ?? "";
    const applied = await db().provider.findUniqueOrThrow({
      where: { id: providerId },
      include: { communities: true, members: true },
    });
    expect(applied).toMatchObject({ kind: "MERCHANT", status: "PENDING", uscc, name: shopName });
    expect(applied.communities.map((c) => c.communityId)).toEqual([a1.id]);
    expect(applied.members.map((m) => [m.userId, m.role])).toEqual([[merchant.id, "OWNER"]]);
    // Not public yet.
    expect((await shop.request.get(url(`/providers/${providerId}`))).status()).toBe(200);
    expect((await fetch(url(`/providers/${providerId}`))).status).toBe(404);

    // 2. The community's worker finds it in 工作台 → 入驻审核 and approves it.
    const desk = await signedIn("worker", worker);
    await desk.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "工作台" }).click();
    await desk.waitForURL(atPath(/^\/workbench$/));
    await desk.getByRole("link", { name: /^入驻审核/ }).click();
    await desk.waitForURL(atPath(/^\/workbench\/providers$/));
    await desk.getByRole("link", { name: shopName }).click();
    await desk.waitForURL(atPath(new RegExp(`^/workbench/providers/${providerId}$`)));
    await statusReads(desk, "待审核");
    // The reviewer sees the contact phone in full.
    await desk.getByText("13912340001").waitFor();
    await desk.getByRole("button", { name: "通过", exact: true }).click();
    await successMessage(desk).getByText("已通过审核").waitFor();
    await statusReads(desk, "已通过");
    expect(await desk.getByRole("button", { name: "通过", exact: true }).count()).toBe(0);
    const approved = await db().provider.findUniqueOrThrow({ where: { id: providerId } });
    expect(approved.status).toBe("APPROVED");
    expect(
      await db().auditLog.count({
        where: { targetId: providerId, action: "provider.approve", actorId: worker.id },
      }),
    ).toBe(1);

    // 3. The merchant sees the approval, publishes a paid service, and the public finds it.
    await shop.reload();
    await statusReads(shop, "已通过");
    await shop.getByRole("link", { name: "管理服务项目" }).click();
    await shop.waitForURL(atPath(new RegExp(`^/me/providers/${providerId}/services$`)));
    await shop.getByRole("link", { name: "发布新服务" }).click();
    await shop.waitForURL(atPath(/\/services\/new$/));
    const serviceTitle = "老年人助餐送餐上门";
    await shop.getByLabel("服务名称").fill(serviceTitle);
    await shop
      .getByLabel("服务介绍")
      .fill("每天中午11点送餐上门，两荤一素一汤，可按老人口味少盐少油。电话预约。");
    await shop.getByLabel("服务类别").selectOption({ label: "养老助老" });
    await shop.getByRole("checkbox", { name: a1.name, exact: true }).check();
    await shop.getByRole("radio", { name: "收费", exact: true }).check();
    await shop.getByLabel("价格（元/次）").fill("18.50");
    await shop.getByRole("button", { name: "发布服务" }).click();
    await shop.waitForURL(atPath(new RegExp(`^/me/providers/${providerId}/services$`)));
    await successMessage(shop).getByText("服务已发布").waitFor();
    const service = await db().service.findFirstOrThrow({ where: { providerId } });
    expect(service).toMatchObject({
      title: serviceTitle,
      status: "PUBLISHED",
      funding: "PAID",
      priceFen: 1850,
    });

    const publicPage = await openBrowser("visitor");
    await publicPage.goto(url("/services"));
    await publicPage.getByRole("heading", { level: 2, name: "共 1 项服务" }).waitFor();
    const card = publicPage.getByRole("article", { name: serviceTitle });
    await card.getByText("¥18.50/次").waitFor();
    await card.getByText(shopName).waitFor();
    await card.getByRole("link", { name: serviceTitle }).click();
    await publicPage.waitForURL(atPath(new RegExp(`^/services/${service.id}$`)));
    await publicPage.getByRole("heading", { level: 1, name: serviceTitle }).waitFor();
    const price = publicPage.locator("dt", { hasText: "价格" }).locator("xpath=following-sibling::dd[1]");
    expect(await price.textContent()).toBe("¥18.50/次");
    // The public provider page now exists, with the contact phone masked.
    await publicPage.getByRole("link", { name: shopName }).click();
    await publicPage.waitForURL(atPath(new RegExp(`^/providers/${providerId}$`)));
    await publicPage.getByText("139****0001").waitFor();
    expect(await publicPage.content()).not.toContain("13912340001");

    // 4. The resident posts a need and finds it under 我的需求.
    const home = await signedIn("resident", resident);
    await home.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "需求" }).click();
    await home.waitForURL(atPath(/^\/needs$/));
    await home.getByRole("link", { name: "我要提需求" }).click();
    await home.waitForURL(atPath(/^\/needs\/new$/));
    await home.getByText(`所在社区：${a1.name}`).waitFor();
    const needTitle = "家中老人需要每天送午餐";
    await home.getByLabel("需求标题").fill(needTitle);
    await home
      .getByLabel("具体情况")
      .fill("老伴腿脚不便，我白天上班，希望有人每天中午送一份清淡的午餐到家。");
    await home.getByLabel("类别", { exact: true }).selectOption({ label: "养老助老" });
    await home.getByRole("radio", { name: "紧急", exact: true }).check();
    await home.getByLabel("希望的时间（选填）").fill("工作日中午");
    await home.getByRole("button", { name: "提交需求" }).click();
    await home.waitForURL(atPath(new RegExp(`^/needs/${ID}$`)));
    await successMessage(home).getByText("需求已提交").waitFor();
    const needId = new URL(home.url()).pathname.split("/").at(-1) ?? "";
    const need = await db().need.findUniqueOrThrow({ where: { id: needId } });
    expect(need).toMatchObject({
      title: needTitle,
      requesterId: resident.id,
      createdById: resident.id,
      communityId: a1.id,
      status: "OPEN",
      urgency: "HIGH",
      category: "elderly-care",
    });
    await home.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的" }).click();
    await home.waitForURL(atPath(/^\/me$/));
    // The need page left behind links back to 我的需求 too: wait for 我的 itself.
    await home.getByRole("heading", { level: 1, name: "我的" }).waitFor();
    await home.getByRole("link", { name: "我的需求" }).click();
    await home.waitForURL(atPath(/^\/me\/needs$/));
    await home.getByRole("heading", { level: 2, name: "共 1 条" }).waitFor();
    const mine = home.getByRole("listitem").filter({ has: home.getByRole("link", { name: needTitle }) });
    await mine.getByText("待对接").waitFor();

    // 5. The worker sees it in 需求分派 and, on its page, the resident's full phone number; the
    // merchant on the same page only the masked one.
    await desk.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "工作台" }).click();
    await desk.waitForURL(atPath(/^\/workbench$/));
    await desk.getByRole("link", { name: /^需求分派/ }).click();
    await desk.waitForURL(atPath(/^\/workbench\/needs$/));
    const triaged = desk.getByRole("listitem").filter({ has: desk.getByRole("link", { name: needTitle }) });
    await triaged.waitFor();
    await triaged.getByText(`${resident.name}（${masked(resident.phone)}）`).waitFor();
    await triaged.getByText("紧急").waitFor();
    await triaged.getByRole("link", { name: needTitle }).click();
    await desk.waitForURL(atPath(new RegExp(`^/needs/${needId}$`)));
    await desk.getByRole("heading", { level: 1, name: needTitle }).waitFor();
    const phoneLink = desk.getByRole("link", { name: resident.phone, exact: true });
    expect(await phoneLink.getAttribute("href")).toBe(`tel:${resident.phone}`);
    await desk.getByText(resident.name).waitFor();

    await shop.goto(url(`/needs/${needId}`));
    await shop.getByRole("heading", { level: 1, name: needTitle }).waitFor();
    await shop.getByText(masked(resident.phone), { exact: true }).waitFor();
    expect(await shop.content()).not.toContain(resident.phone);
    expect(await shop.getByText(resident.name).count()).toBe(0);
    expectScriptsRan();
  }, 180_000);
});

describe("a rejected application", () => {
  it("is turned down with a reason, which the applicant reads, corrects and re-submits", async () => {
    const owner = await createUser(db(), { name: "李晓梅" });
    const orgName = "东湖社区心理关爱服务中心";
    const application = await createProvider(db(), {
      kind: "SOCIAL_ORG",
      name: orgName,
      status: "PENDING",
      address: "东湖路",
      communityIds: [fx.communities.a1.id],
      members: [{ userId: owner.id }],
    });
    const reason = "机构地址不完整，请写到门牌号。";

    // The worker tries to turn it down without a reason, then with one.
    const desk = await signedIn("worker", fx.users.workerA1);
    await desk.goto(url("/workbench/providers"));
    await desk.getByRole("link", { name: orgName }).click();
    await desk.waitForURL(atPath(new RegExp(`^/workbench/providers/${application.id}$`)));
    await desk.getByRole("button", { name: "不通过", exact: true }).click();
    const reasonField = desk.getByLabel("不通过的原因");
    await desk.locator("textarea[aria-invalid='true']").waitFor();
    expect(await reasonField.getAttribute("aria-invalid")).toBe("true");
    expect((await db().provider.findUniqueOrThrow({ where: { id: application.id } })).status).toBe("PENDING");

    await reasonField.fill(reason);
    await desk.getByRole("button", { name: "不通过", exact: true }).click();
    await successMessage(desk).getByText("已退回申请").waitFor();
    await statusReads(desk, "未通过");
    await desk.getByText(`未通过原因：${reason}`).waitFor();
    expect(await db().provider.findUniqueOrThrow({ where: { id: application.id } })).toMatchObject({
      status: "REJECTED",
      statusReason: reason,
    });

    // The applicant reads the reason on 我的机构, corrects the address and re-submits.
    const office = await signedIn("applicant", owner);
    await office.goto(url("/me"));
    await office.getByRole("link", { name: "我的机构" }).click();
    await office.waitForURL(atPath(/^\/me\/providers$/));
    const card = office.getByRole("article", { name: orgName });
    await card.getByText("未通过", { exact: true }).waitFor();
    await card.getByText(`未通过原因：${reason}`).waitFor();
    await card.getByRole("link", { name: "进入机构管理" }).click();
    await office.waitForURL(atPath(new RegExp(`^/me/providers/${application.id}$`)));
    await statusReads(office, "未通过");
    expect(await office.getByLabel("机构地址").inputValue()).toBe("东湖路");
    await office.getByLabel("机构地址").fill("东湖路8号2楼");
    await office.getByRole("button", { name: "修改后重新提交审核" }).click();
    await successMessage(office).getByText("已保存并提交审核，请等待工作人员审核").waitFor();
    await statusReads(office, "待审核");
    // The earlier reason stays readable, labelled as the last one.
    await office.getByText(`上次未通过原因：${reason}`).waitFor();
    expect(await db().provider.findUniqueOrThrow({ where: { id: application.id } })).toMatchObject({
      status: "PENDING",
      address: "东湖路8号2楼",
    });
    expect(
      await db().auditLog.count({
        where: { targetId: application.id, action: "provider.reapply", actorId: owner.id },
      }),
    ).toBe(1);

    // Back in the worker's queue of pending applications.
    await desk.goto(url("/workbench/providers"));
    await desk.getByRole("link", { name: orgName }).waitFor();
    expectScriptsRan();
  }, 120_000);
});

describe("适老化 mode on the marketplace pages", () => {
  it("reads large, fits a 390 px phone and shows the headings", async () => {
    const a1 = fx.communities.a1;
    const provider = await createProvider(db(), {
      kind: "MERCHANT",
      name: "幸福里便民维修部",
      communityIds: [a1.id],
    });
    await createService(db(), {
      providerId: provider.id,
      communityIds: [a1.id],
      title: "水电维修上门（老人优先安排）",
      funding: "PAID",
      priceFen: 3000,
    });
    await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: a1.id,
      title: "卫生间水龙头漏水，需要上门维修",
      urgency: "HIGH",
    });

    const page = await signedIn("worker", fx.users.workerA1);
    expect(page.viewportSize()?.width).toBe(390);
    await page.goto(url("/services"));
    const normalSize = await rootFontSize(page);
    await page.getByRole("button", { name: "适老化模式" }).click();
    await waitForRootClass(page, "elder", true);
    expect(await rootFontSize(page)).toBeGreaterThan(normalSize);

    const headings: Record<string, string> = {
      "/services": "服务项目",
      "/needs": "居民需求",
      "/providers": "社会组织与特色商家",
      "/workbench/needs": "需求分派",
      "/providers/apply": "申请入驻",
    };
    const seen = [];
    for (const [pathname, heading] of Object.entries(headings)) {
      await page.goto(url(pathname));
      const h1 = page.getByRole("heading", { level: 1, name: heading, exact: true });
      const box = await h1.boundingBox();
      seen.push({
        pathname,
        elder: await page.evaluate(() => document.documentElement.classList.contains("elder")),
        /** Visible text in the page's main content below 20 px. */
        smallText: (await textSizes(page)).filter((text) => text.px < 20),
        width: await documentWidth(page),
        headingOnScreen: (await h1.isVisible()) && box !== null && box.x >= 0 && box.x + box.width <= 390,
      });
    }
    expect(seen).toEqual(
      Object.keys(headings).map((pathname) => ({
        pathname,
        elder: true,
        smallText: [],
        width: expect.toSatisfy((width: number) => width <= 390),
        headingOnScreen: true,
      })),
    );
    expectScriptsRan();
  });
});
