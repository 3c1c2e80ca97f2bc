import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { browserJourney, rootFontSize, waitForRootClass } from "./browser";

// A resident's first visit in a real browser: register, sign out, sign in, switch 适老化 on and off,
// sign out again; the pages at phone width; and the register form without JavaScript.

const MAIN_NAV = ["首页", "服务", "需求", "活动", "阵地", "组织", "统计", "我的"];

const { url, openBrowser, serverOutput } = browserJourney();
let fx: TerritoryFixture;

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const atPath = (pathname: string) => (current: URL) => current.pathname === pathname;
const banner = (page: Page) => page.getByRole("banner");

async function fillRegistration(page: Page, values: { name: string; phone: string; password: string }) {
  await page.getByLabel("姓名").fill(values.name);
  await page.getByLabel("手机号").fill(values.phone);
  await page.getByLabel("设置密码").fill(values.password);
  await page.getByLabel("所在社区").selectOption({ label: fx.communities.a1.name });
  await page.getByLabel("我已阅读并同意《隐私政策》").check();
}

describe("a resident's journey", () => {
  it("registers, signs out and in, switches 适老化 on and off, and signs out", async () => {
    const outputBefore = serverOutput().length;
    const page = await openBrowser("resident");
    const name = "王秀英";
    const phone = "13912345678";
    const password = "a-good-password";

    // Register (typed with spaces, as many people write their number) and land on 我的.
    await page.goto(url("/register"));
    await fillRegistration(page, { name, phone: "139 1234 5678", password });
    await page.getByRole("button", { name: "注册", exact: true }).click();
    await page.waitForURL(atPath("/me"));
    await page.getByText("注册成功，欢迎您！").waitFor();
    await page.getByText("139****5678").waitFor();
    expect(await page.content()).not.toContain(phone);
    expect(await banner(page).getByText(`您好，${name}`).isVisible()).toBe(true);
    const stored = await db().user.findUniqueOrThrow({ where: { phone }, include: { roles: true } });
    expect(stored.communityId).toBe(fx.communities.a1.id);
    expect(stored.roles.map((role) => role.role)).toEqual(["RESIDENT"]);

    // Sign out: back on the home page, signed out.
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForURL(atPath("/"));
    await banner(page).getByRole("link", { name: "登录", exact: true }).waitFor();
    expect(await banner(page).getByText("您好").count()).toBe(0);

    // Sign in with the new account.
    await banner(page).getByRole("link", { name: "登录", exact: true }).click();
    await page.waitForURL(atPath("/login"));
    await page.getByLabel("手机号").fill(phone);
    await page.getByLabel("密码", { exact: true }).fill(password);
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await page.waitForURL(atPath("/"));
    await banner(page).getByText(`您好，${name}`).waitFor();
    const nav = page.getByRole("navigation", { name: "主导航" });
    expect(await nav.getByRole("link").allInnerTexts()).toEqual(MAIN_NAV);
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");

    // 适老化模式: larger type, remembered across a reload.
    const normalSize = await rootFontSize(page);
    expect(await page.locator("html").getAttribute("class")).toBeNull();
    await page.getByRole("button", { name: "适老化模式" }).click();
    await waitForRootClass(page, "elder", true);
    expect(await rootFontSize(page)).toBeGreaterThan(normalSize);
    const switchOff = page.getByRole("button", { name: "关闭适老化" });
    expect(await switchOff.getAttribute("aria-pressed")).toBe("true");

    await page.reload();
    expect(await page.evaluate(() => document.documentElement.classList.contains("elder"))).toBe(true);
    expect(await rootFontSize(page)).toBeGreaterThan(normalSize);
    expect(page.url()).toBe(url("/"));

    await switchOff.click();
    await waitForRootClass(page, "elder", false);
    expect(await rootFontSize(page)).toBe(normalSize);
    expect(await page.getByRole("button", { name: "适老化模式" }).getAttribute("aria-pressed")).toBe("false");

    // 我的 → 退出登录: the header offers 登录 again and 我的 asks to sign in.
    await nav.getByRole("link", { name: "我的" }).click();
    await page.waitForURL(atPath("/me"));
    await page.getByText("139****5678").waitFor();
    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForURL(atPath("/"));
    await banner(page).getByRole("link", { name: "登录", exact: true }).waitFor();
    expect(await banner(page).getByText("您好").count()).toBe(0);
    expect(await db().authSession.count({ where: { userId: stored.id, revokedAt: null } })).toBe(0);

    await page.goto(url("/me"));
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(serverOutput().slice(outputBefore)).not.toContain("Warning");
  });
});

describe("phone-sized screens", () => {
  it("shows the pages at 360 px without sideways scrolling, also in 适老化模式", async () => {
    const page = await openBrowser("resident");
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth);

    for (const elder of [false, true]) {
      for (const pathname of ["/", "/register", "/login"]) {
        await page.goto(url(pathname));
        expect(await page.evaluate(() => document.documentElement.classList.contains("elder"))).toBe(elder);
        expect({ pathname, elder, scrollWidth: await overflow() }).toEqual({
          pathname,
          elder,
          scrollWidth: expect.toSatisfy((width: number) => width <= 360),
        });
        const nav = page.getByRole("navigation", { name: "主导航" });
        expect(await nav.isVisible()).toBe(true);
        expect(await nav.getByRole("link").allInnerTexts()).toEqual(MAIN_NAV);
        // Every section is reachable on screen, none hidden behind a sideways scroll.
        for (const link of await nav.getByRole("link").all()) {
          const box = await link.boundingBox();
          expect(box).not.toBeNull();
          if (box) expect([box.x >= 0, box.x + box.width <= 360]).toEqual([true, true]);
        }
      }
      if (!elder) {
        await page.getByRole("button", { name: "适老化模式" }).click();
        await waitForRootClass(page, "elder", true);
      }
    }
  });
});

describe("register form errors", () => {
  async function submitBadPhone(page: Page) {
    await page.goto(url("/register"));
    await fillRegistration(page, { name: "李建国", phone: "12345", password: "a-good-password" });
    await page.getByRole("button", { name: "注册", exact: true }).click();
  }

  async function expectPhoneError(page: Page, { reloaded }: { reloaded: boolean }) {
    const phone = page.getByLabel("手机号");
    expect(await phone.getAttribute("aria-invalid")).toBe("true");
    expect(await phone.getAttribute("aria-describedby")).toContain("phone-error");
    const fieldError = page.locator(".field", { has: phone }).locator(".field__error");
    expect(await fieldError.textContent()).toBe("请输入11位中国大陆手机号，如 13812345678");
    expect(await fieldError.getAttribute("id")).toBe("phone-error");
    // The error summary (ADR 0024) leads with the message, then links each field's error.
    const summary = page.getByRole("alert");
    expect(await summary.textContent()).toMatch(/^提交的内容有误，请检查标出的项目/);
    expect(await summary.locator('a[href$="phone"]').textContent()).toContain("请输入11位中国大陆手机号");
    // What was typed stays; a page rendered by the server never sends the password back.
    expect(await page.getByLabel("姓名").inputValue()).toBe("李建国");
    expect(await phone.inputValue()).toBe("12345");
    if (reloaded) expect(await page.getByLabel("设置密码").inputValue()).toBe("");
    expect(await page.getByLabel("姓名").getAttribute("aria-invalid")).toBeNull();
    expect(new URL(page.url()).pathname).toBe("/register");
  }

  it("shows the Chinese field error next to the phone field", async () => {
    const page = await openBrowser("resident");
    await submitBadPhone(page);
    await page.locator('#phone[aria-invalid="true"]').waitFor();
    await expectPhoneError(page, { reloaded: false });
    expect(await db().user.count({ where: { name: "李建国" } })).toBe(0);
  });

  it("works without JavaScript: the form posts, shows the error, then registers", async () => {
    const page = await openBrowser("resident", { javaScriptEnabled: false });
    await submitBadPhone(page);
    await page.waitForLoadState();
    await expectPhoneError(page, { reloaded: true });
    expect(await db().user.count({ where: { name: "李建国" } })).toBe(0);

    await page.getByLabel("手机号").fill("13712345678");
    await page.getByLabel("设置密码").fill("a-good-password");
    await page.getByRole("button", { name: "注册", exact: true }).click();
    await page.waitForURL(atPath("/me"));
    await page.getByText("注册成功，欢迎您！").waitFor();
    expect(await page.getByText("137****5678").isVisible()).toBe(true);

    // The 适老化 switch is a plain form post too.
    await page.getByRole("button", { name: "适老化模式" }).click();
    await page.waitForURL(atPath("/me"));
    expect(await page.locator("html").getAttribute("class")).toBe("elder");
  });
});
