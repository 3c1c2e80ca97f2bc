import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PRIVACY_NOTICE_VERSION } from "~/domain/accounts/privacy";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, DEFAULT_PASSWORD, type TerritoryFixture } from "../../prisma/factories";
import { createNeed } from "../../prisma/factories/marketplace";
import { createHeldActivity } from "../factories/activities";
import { pagesOf, visibleText } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// The privacy notice, consent on the sign-up form, and 注销账号 / 下载我的数据 under 我的, as a
// browser without JavaScript uses them (ADR 0013).

let server: TestServer;
let fx: TerritoryFixture;
const { cookieOf, page, submit } = pagesOf(() => server);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

describe("隐私政策", () => {
  it("is public, plain, versioned and linked from every page's footer", async () => {
    const notice = await page("/privacy");
    expect(notice.status).toBe(200);
    const text = visibleText(notice.html);
    for (const part of [
      "我们收集哪些信息",
      "谁能看到您的手机号和姓名",
      "保存多久",
      "下载我的数据",
      "注销账号",
    ]) {
      expect(text).toContain(part);
    }
    expect(text).toContain(PRIVACY_NOTICE_VERSION);
    expect((await page("/")).html).toContain('href="/privacy"');
  });
});

describe("sign-up consent", () => {
  const form = () => ({
    name: "周建国",
    phone: "13912340000",
    password: "a-good-password",
    communityId: fx.communities.a1.id,
  });

  it("shows the notice's link and a consent checkbox", async () => {
    const { html } = await page("/register");
    expect(html).toContain('href="/privacy"');
    expect(html).toMatch(/<input[^>]*type="checkbox"[^>]*name="privacyConsent"/);
    expect(visibleText(html)).toContain("我已阅读并同意《隐私政策》");
  });

  it("refuses a sign-up without the tick, keeping what was typed, and writes nothing", async () => {
    const answer = await submit("/register", "", form());
    expect(answer.status).toBe(400);
    expect(visibleText(answer.html)).toContain("请阅读并勾选同意《隐私政策》后再注册");
    expect(answer.html).toContain('value="周建国"');
    expect(await db().user.count({ where: { phone: "13912340000" } })).toBe(0);
  });

  it("records the consent with its version when ticked", async () => {
    const answer = await submit("/register", "", { ...form(), privacyConsent: "yes" });
    expect(answer.status).toBe(302);
    const user = await db().user.findUniqueOrThrow({ where: { phone: "13912340000" } });
    expect(user.privacyConsentAt).toBeInstanceOf(Date);
    expect(user.privacyNoticeVersion).toBe(PRIVACY_NOTICE_VERSION);
  });
});

describe("agreeing after sign-up: accounts opened without consent, and a changed notice", () => {
  const BANNER = "请阅读《隐私政策》并表示同意";
  const withoutConsent = (version: string | null) =>
    db().user.update({
      where: { id: fx.users.residentA1.id },
      data: { privacyNoticeVersion: version, privacyConsentAt: version ? new Date("2025-01-01") : null },
    });

  it("asks on every page until the person agrees on /privacy; then records it, audited, and stops", async () => {
    await withoutConsent(null);
    const cookie = await cookieOf(fx.users.residentA1);
    for (const path of ["/", "/me", "/activities"]) {
      const answer = await page(path, cookie);
      expect(visibleText(answer.html)).toContain(BANNER);
      expect(answer.html).toContain('href="/privacy#agree"');
    }
    const notice = await page("/privacy", cookie);
    expect(visibleText(notice.html)).not.toContain(BANNER);
    expect(notice.html).toMatch(/<form[^>]*id="agree"/);

    const unticked = await submit("/privacy", cookie, {});
    expect(unticked.status).toBe(400);
    expect(visibleText(unticked.html)).toContain("请阅读并勾选同意《隐私政策》");
    expect(
      (await db().user.findUniqueOrThrow({ where: { id: fx.users.residentA1.id } })).privacyConsentAt,
    ).toBe(null);

    const agreed = await submit("/privacy", cookie, { privacyConsent: "yes" });
    expect(agreed.status).toBe(302);
    expect(agreed.location).toBe("/privacy?agreed=1");
    const user = await db().user.findUniqueOrThrow({ where: { id: fx.users.residentA1.id } });
    expect(user.privacyNoticeVersion).toBe(PRIVACY_NOTICE_VERSION);
    expect(user.privacyConsentAt).toBeInstanceOf(Date);
    expect(await db().auditLog.count({ where: { action: "privacy.consent", actorId: user.id } })).toBe(1);
    expect(visibleText((await page("/privacy?agreed=1", cookie)).html)).toContain("已记录您的同意");
    expect(visibleText((await page("/", cookie)).html)).not.toContain(BANNER);
  });

  it("asks again when the notice has changed since the person agreed", async () => {
    await withoutConsent("2025-01-01");
    const cookie = await cookieOf(fx.users.residentA1);
    expect(visibleText((await page("/me", cookie)).html)).toContain(BANNER);
  });

  it("asks nobody who agreed to this version, nor the signed-out; the form needs a signed-in person", async () => {
    expect(visibleText((await page("/me", await cookieOf(fx.users.residentA1))).html)).not.toContain(BANNER);
    const anonymous = await page("/privacy");
    expect(visibleText(anonymous.html)).not.toContain(BANNER);
    expect(anonymous.html).not.toContain('id="agree"');
    const post = await submit("/privacy", "", { privacyConsent: "yes" });
    expect(post.status).toBe(302);
    expect(post.location).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("我的 → 下载我的数据 / 注销账号", () => {
  it("offers both on 我的, and the download link gives the file", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    const { html } = await page("/me", cookie);
    expect(html).toContain('href="/api/v1/me/export"');
    expect(html).toContain('href="/me/delete"');
    const file = await server.request("/api/v1/me/export", { headers: { cookie } });
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toContain("attachment");
    expect((await file.json()).account.phone).toBe(fx.users.residentA1.phone);
  });

  it("explains what goes and what stays before asking for the password", async () => {
    const me = fx.users.residentA1;
    await createNeed(db(), { requesterId: me.id, communityId: fx.communities.a1.id });
    await createHeldActivity(db(), {
      communityId: fx.communities.a1.id,
      createdById: fx.users.workerA1.id,
      startsAt: new Date(Date.now() + 48 * 3600 * 1000),
      status: "PUBLISHED",
      attendees: [{ userId: me.id, checkedIn: false }],
    });
    const { status, html } = await page("/me/delete", await cookieOf(me));
    expect(status).toBe(200);
    const text = visibleText(html);
    expect(text).toContain("注销后无法恢复");
    expect(text).toContain("还没完成的 1 条需求会被取消");
    expect(text).toContain("您报名的 1 场还没结束的活动会被取消");
    expect(text).toContain("只保留不含姓名、手机号的统计数字");
    expect(html).toContain('name="password"');
  });

  it("keeps the account on a wrong password and says so at the field", async () => {
    const me = fx.users.residentA1;
    const answer = await submit("/me/delete", await cookieOf(me), { password: "wrong-password" });
    expect(answer.status).toBe(400);
    expect(visibleText(answer.html)).toContain("密码不正确，账号没有注销");
    expect((await db().user.findUniqueOrThrow({ where: { id: me.id } })).deletedAt).toBeNull();
  });

  it("deletes with the right password, signs out and confirms", async () => {
    const me = fx.users.residentA1;
    const cookie = await cookieOf(me);
    const answer = await submit("/me/delete", cookie, { password: DEFAULT_PASSWORD });
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/me/delete?done");
    expect((await db().user.findUniqueOrThrow({ where: { id: me.id } })).deletedAt).toBeInstanceOf(Date);
    expect((await page("/me", cookie)).location).toMatch(/^\/login/);
    const done = await page("/me/delete?done");
    expect(done.status).toBe(200);
    expect(visibleText(done.html)).toContain("账号已注销");
  });

  it("tells staff why they cannot delete, without a password form", async () => {
    const { html } = await page("/me/delete", await cookieOf(fx.users.workerA1));
    expect(visibleText(html)).toContain("工作人员账号不能自行注销");
    expect(html).not.toContain('name="password"');
    const answer = await submit("/me/delete", await cookieOf(fx.users.workerA1), {
      password: DEFAULT_PASSWORD,
    });
    expect(answer.status).toBe(409);
    expect((await db().user.findUniqueOrThrow({ where: { id: fx.users.workerA1.id } })).deletedAt).toBeNull();
  });

  it("sends a signed-out visitor to sign in", async () => {
    expect((await page("/me/delete")).location).toMatch(/^\/login\?redirectTo=/);
  });
});
