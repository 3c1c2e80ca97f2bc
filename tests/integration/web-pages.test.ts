import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, DEFAULT_PASSWORD, type TerritoryFixture } from "../../prisma/factories";
import { keptFixture } from "../setup/kept-fixtures";
import { maskOf } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// The HTML side through the real HTTP stack: forms are sent urlencoded like a browser without
// JavaScript would, and cookies are carried by hand from Set-Cookie.

let server: TestServer;
let fx: TerritoryFixture;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
/** The territory every test starts from: made once, put back from its rows after that. */
const territory = keptFixture(() => createTerritoryFixture(db()));
beforeEach(async () => {
  fx = await territory();
});

type Cookie = { name: string; value: string; attributes: string[] };

function parseSetCookie(header: string): Cookie {
  const [pair = "", ...attributes] = header.split(";").map((part) => part.trim());
  const at = pair.indexOf("=");
  return { name: pair.slice(0, at), value: pair.slice(at + 1), attributes };
}

const setCookies = (res: Response) => res.headers.getSetCookie().map(parseSetCookie);

/** A browser without JavaScript: keeps cookies, sends forms from this site's pages. */
class Browser {
  readonly cookies = new Map<string, string>();

  cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  private keep(res: Response) {
    for (const cookie of setCookies(res)) {
      const expired = cookie.attributes.some((a) => /^max-age=0$/i.test(a)) || cookie.value === "";
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return res;
  }

  async get(pathname: string) {
    return this.keep(await server.request(pathname, { headers: { cookie: this.cookieHeader() } }));
  }

  async post(pathname: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.keep(
      await server.request(pathname, {
        method: "POST",
        body: new URLSearchParams(form).toString(),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: server.origin,
          cookie: this.cookieHeader(),
          ...headers,
        },
      }),
    );
  }
}

async function signedIn(user: { phone: string }) {
  const browser = new Browser();
  const res = await browser.post("/login", {
    phone: user.phone,
    password: DEFAULT_PASSWORD,
    redirectTo: "/",
  });
  expect(res.status).toBe(302);
  expect(browser.cookies.has("__session")).toBe(true);
  return browser;
}

/** Where a redirect goes, resolved the way a browser resolves the Location header. */
function redirectTarget(res: Response) {
  const location = res.headers.get("location");
  expect(location).not.toBeNull();
  return new URL(location ?? "", server.origin);
}

function expectSecurityHeaders(res: Response, html: string) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("'unsafe-inline'");
  const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce).toEqual(expect.any(String));
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? "");
  expect(scripts.length).toBeGreaterThan(0);
  for (const attributes of scripts) {
    expect(/\bnonce="([^"]*)"/.exec(attributes)?.[1]).toBe(nonce);
  }
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toMatch(
    /^(no-referrer|same-origin|strict-origin(-when-cross-origin)?)$/,
  );
  const cacheControl = res.headers.get("cache-control") ?? "";
  expect(cacheControl).toContain("private");
  expect(cacheControl).toContain("no-store");
}

const registration = (overrides: Record<string, string> = {}) => ({
  name: "王秀英",
  phone: "13912345678",
  password: "a-good-password",
  communityId: fx.communities.a1.id,
  privacyConsent: "yes",
  ...overrides,
});

describe("public pages", () => {
  it.each([
    ["/", "社区、社会组织、社工联动"],
    ["/login", "登录"],
    ["/register", "居民注册"],
    ["/services", "服务项目"],
    ["/needs", "居民需求"],
    ["/activities", "社区活动"],
    ["/providers", "社会组织与特色商家"],
    ["/stats", "统计"],
  ])("GET %s renders in Chinese with security headers", async (pathname, heading) => {
    const res = await new Browser().get(pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain("三社联动服务平台");
    expect(html).toMatch(new RegExp(`<h1[^>]*>${heading}`));
    // React 18.3 pads some 2 KB chunks with NUL bytes (entry.server.tsx drops them).
    expect(html).not.toContain("\0");
    expectSecurityHeaders(res, html);
  });

  it("the home page shows the real territory figures", async () => {
    const html = await (await new Browser().get("/")).text();
    expect(html).toContain(fx.district.name);
    // 2 subdistricts; 4 communities (2 urban, 2 village-converted); 1 resident.
    expect(html).toMatch(/<span class="figure__value">2<\/span><span class="figure__label">个街道/);
    expect(html).toMatch(/<span class="figure__value">4<\/span><span class="figure__label">个社区/);
    expect(html).toMatch(/<span class="figure__value">1<\/span><span class="figure__label">位注册居民/);
  });

  it("the register page offers every community, grouped by subdistrict", async () => {
    const html = await (await new Browser().get("/register")).text();
    for (const community of Object.values(fx.communities)) {
      expect(html).toContain(`<option value="${community.id}">${community.name}</option>`);
    }
    expect(html).toContain(`label="${fx.district.name} · ${fx.subdistricts.a.name}"`);
  });

  it("an unknown page answers 404 with the Chinese error page", async () => {
    const res = await new Browser().get("/no-such-page/at-all");
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain("页面不存在");
    expect(html).toContain('lang="zh-CN"');
    expectSecurityHeaders(res, html);
  });

  it("uses a fresh CSP nonce for every response", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i += 1) {
      const res = await new Browser().get("/");
      nonces.add(/'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "");
    }
    expect(nonces.size).toBe(3);
  });
});

describe("register, sign in, sign out", () => {
  it("registers a resident, signs them in with a safe cookie, and redirects", async () => {
    const browser = new Browser();
    const res = await browser.post("/register", registration());
    expect(res.status).toBe(302);
    expect(redirectTarget(res).pathname).toBe("/me");
    const session = setCookies(res).find((c) => c.name === "__session");
    expect(session?.value).toEqual(expect.any(String));
    const attributes = (session?.attributes ?? []).map((a) => a.toLowerCase());
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");

    const user = await db().user.findUniqueOrThrow({
      where: { phone: "13912345678" },
      include: { roles: true },
    });
    expect(user.communityId).toBe(fx.communities.a1.id);
    expect(user.roles.map((r) => [r.role, r.scopeId])).toEqual([["RESIDENT", fx.communities.a1.id]]);
    expect(await db().authSession.count({ where: { userId: user.id, kind: "WEB", revokedAt: null } })).toBe(
      1,
    );

    const me = await browser.get("/me?welcome=1");
    expect(me.status).toBe(200);
    const html = await me.text();
    expect(html).toContain("注册成功");
    expect(html).toContain("王秀英");
    expect(html).toContain("139****5678");
    expect(html).not.toContain("13912345678");
  });

  it("shows Chinese field errors for bad input with status 400 and writes nothing", async () => {
    const res = await new Browser().post(
      "/register",
      registration({ phone: "12345", password: "short-1", name: "" }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain('id="phone-error"');
    expect(html).toContain("请输入11位中国大陆手机号");
    expect(html).toContain("密码至少8位");
    expect(html).toContain("请输入姓名");
    // What was typed comes back, except the password.
    expect(html).toContain('value="12345"');
    expect(html).not.toContain("short-1");
    expectSecurityHeaders(res, html);
    expect(await db().user.count()).toBe(4);
  });

  it("rejects an unknown community and a taken phone with field errors", async () => {
    const unknown = await new Browser().post("/register", registration({ communityId: "no-such-community" }));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("所选社区不存在");
    expect(await db().user.count()).toBe(4);

    const taken = await new Browser().post("/register", registration({ phone: fx.users.residentA1.phone }));
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("该手机号已注册");
    expect(taken.headers.getSetCookie()).toEqual([]);
    expect(await db().user.count()).toBe(4);
  });

  it("answers 401 with 手机号或密码不正确 for a wrong password and sets no session", async () => {
    const browser = new Browser();
    const res = await browser.post("/login", {
      phone: fx.users.residentA1.phone,
      password: "not-the-password",
      redirectTo: "/me",
    });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain("手机号或密码不正确");
    expect(html).not.toContain("not-the-password");
    expect(browser.cookies.has("__session")).toBe(false);
    expect(await db().authSession.count()).toBe(0);
  });

  it("signs in, shows only the masked phone on /me, and signing out revokes the session", async () => {
    const resident = fx.users.residentA1;
    const browser = new Browser();
    const login = await browser.post("/login", {
      phone: resident.phone,
      password: DEFAULT_PASSWORD,
      redirectTo: "/me",
    });
    expect(login.status).toBe(302);
    expect(redirectTarget(login).pathname).toBe("/me");

    const me = await browser.get("/me");
    expect(me.status).toBe(200);
    const html = await me.text();
    expect(html).toContain(maskOf(resident.phone));
    expect(html).not.toContain(resident.phone);
    expect(html).toContain(resident.name);
    expect(html).toContain("居民");

    const oldCookie = browser.cookieHeader();
    const logout = await browser.post("/logout", {});
    expect(logout.status).toBe(302);
    expect(redirectTarget(logout).pathname).toBe("/");
    expect(browser.cookies.has("__session")).toBe(false);
    const sessions = await db().authSession.findMany({ where: { userId: resident.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.revokedAt).toBeInstanceOf(Date);

    // Replaying the old cookie does not work any more.
    const replay = await server.request("/me", { headers: { cookie: oldCookie } });
    expect(replay.status).toBe(302);
    expect(redirectTarget(replay).pathname).toBe("/login");
  });

  it("sends signed-out visitors of /me to sign in and back", async () => {
    const res = await new Browser().get("/me");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Fme");
  });

  it("a forged or tampered session cookie counts as signed out", async () => {
    const browser = await signedIn(fx.users.residentA1);
    const value = browser.cookies.get("__session") ?? "";
    browser.cookies.set("__session", `${value.slice(0, -3)}AAA`);
    const res = await browser.get("/me");
    expect(res.status).toBe(302);
    expect(redirectTarget(res).pathname).toBe("/login");
  });
});

describe("elder mode and safe redirects", () => {
  it("the switch sets the elder cookie and pages then render with class elder", async () => {
    const browser = new Browser();
    const on = await browser.post("/settings/elder-mode", { elderMode: "on", redirectTo: "/services" });
    expect(on.status).toBe(302);
    expect(on.headers.get("location")).toBe("/services");
    const elder = setCookies(on).find((c) => c.name === "elder");
    expect(elder?.attributes.map((a) => a.toLowerCase())).toContain("samesite=lax");
    expect(browser.cookies.has("elder")).toBe(true);

    for (const pathname of ["/services", "/", "/login"]) {
      const html = await (await browser.get(pathname)).text();
      expect(html).toContain('<html lang="zh-CN" class="elder">');
      expect(html).toContain("关闭适老化");
    }

    const off = await browser.post("/settings/elder-mode", { elderMode: "off", redirectTo: "/" });
    expect(off.status).toBe(302);
    const html = await (await browser.get("/")).text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).not.toContain('class="elder"');
  });

  const FOREIGN_TARGETS = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/me",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    // Dot segments that resolve to a path starting with "//" (issue 13, item 3).
    "/.//evil.example/phish",
    "/..//evil.example",
    "/a/..//evil.example",
    "/%2e//evil.example",
    "/./\\evil.example",
  ];

  it.each(FOREIGN_TARGETS)(
    "the elder-mode switch does not follow redirectTo=%j off the site",
    async (target) => {
      const res = await new Browser().post("/settings/elder-mode", { elderMode: "on", redirectTo: target });
      expect(res.status).toBe(302);
      expect(redirectTarget(res).origin).toBe(server.origin);
    },
  );

  it.each(FOREIGN_TARGETS)("sign-in does not follow redirectTo=%j off the site", async (target) => {
    const browser = new Browser();
    const res = await browser.post("/login", {
      phone: fx.users.residentA1.phone,
      password: DEFAULT_PASSWORD,
      redirectTo: target,
    });
    expect(res.status).toBe(302);
    expect(redirectTarget(res).origin).toBe(server.origin);
    // Signed in already, the login page itself redirects; it must stay on the site as well.
    const again = await browser.get(`/login?redirectTo=${encodeURIComponent(target)}`);
    expect(again.status).toBe(302);
    expect(redirectTarget(again).origin).toBe(server.origin);
  });

  it("follows a same-site redirectTo with its query string", async () => {
    const res = await new Browser().post("/login", {
      phone: fx.users.residentA1.phone,
      password: DEFAULT_PASSWORD,
      redirectTo: "/services?category=medical",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/services?category=medical");
  });
});

describe("workbench", () => {
  it("sends anonymous visitors to sign in", async () => {
    for (const pathname of ["/workbench", "/workbench/territory", "/workbench/staff"]) {
      const res = await new Browser().get(pathname);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(pathname)}`);
    }
  });

  it("answers 403 to residents", async () => {
    const browser = await signedIn(fx.users.residentA1);
    for (const pathname of ["/workbench", "/workbench/territory", "/workbench/staff"]) {
      const res = await browser.get(pathname);
      expect(res.status, pathname).toBe(403);
      const html = await res.text();
      expect(html).toContain("没有权限");
      expectSecurityHeaders(res, html);
    }
  });

  it("opens for staff and shows their role and place", async () => {
    const browser = await signedIn(fx.users.subdistrictAdminA);
    const res = await browser.get("/workbench");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("工作台");
    expect(html.replaceAll("<!-- -->", "")).toContain(
      `街道管理员 · ${fx.district.name} · ${fx.subdistricts.a.name}`,
    );
  });

  it("the territory page shows a subdistrict admin its own subdistrict only", async () => {
    const browser = await signedIn(fx.users.subdistrictAdminA);
    const html = await (await browser.get("/workbench/territory")).text();
    expect(html).toContain(fx.subdistricts.a.name);
    expect(html).toContain(fx.communities.a2.name);
    expect(html).not.toContain(fx.subdistricts.b.name);
    expect(html).not.toContain(fx.communities.b1.name);
    // No form to add subdistricts: that is the district's job.
    expect(html).not.toContain('value="createSubdistrict"');
  });

  it("lets a district admin create, rename and update through the territory page", async () => {
    const browser = await signedIn(fx.users.districtAdmin);
    const page = await browser.get("/workbench/territory");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('value="createSubdistrict"');

    const newSd = await browser.post("/workbench/territory", {
      intent: "createSubdistrict",
      districtId: fx.district.id,
      name: "新华街道",
    });
    expect(newSd.status).toBe(200);
    expect(await newSd.text()).toContain("已新增街道“新华街道”");
    const created = await db().subdistrict.findFirstOrThrow({ where: { name: "新华街道" } });
    expect(created.districtId).toBe(fx.district.id);

    const newC = await browser.post("/workbench/territory", {
      intent: "createCommunity",
      subdistrictId: created.id,
      name: "新华社区",
      kind: "VILLAGE_CONVERTED",
    });
    expect(newC.status).toBe(200);
    expect(await newC.text()).toContain("已新增社区“新华社区”");
    const community = await db().community.findFirstOrThrow({ where: { name: "新华社区" } });
    expect(community).toMatchObject({ subdistrictId: created.id, kind: "VILLAGE_CONVERTED" });

    const update = await browser.post("/workbench/territory", {
      intent: "updateCommunity",
      communityId: fx.communities.a1.id,
      name: "映月社区",
      kind: "VILLAGE_CONVERTED",
    });
    expect(update.status).toBe(200);
    expect(await update.text()).toContain("已保存社区“映月社区”");
    expect(await db().community.findUniqueOrThrow({ where: { id: fx.communities.a1.id } })).toMatchObject({
      name: "映月社区",
      kind: "VILLAGE_CONVERTED",
    });

    const rename = await browser.post("/workbench/territory", {
      intent: "renameSubdistrict",
      subdistrictId: fx.subdistricts.b.id,
      name: "西山街道",
    });
    expect(rename.status).toBe(200);
    expect(await rename.text()).toContain("街道已更名为“西山街道”");
    expect((await db().subdistrict.findUniqueOrThrow({ where: { id: fx.subdistricts.b.id } })).name).toBe(
      "西山街道",
    );

    const actions = (await db().auditLog.findMany({ where: { actorId: fx.users.districtAdmin.id } }))
      .map((entry) => entry.action)
      .sort();
    expect(actions).toEqual([
      "territory.community.create",
      "territory.community.update",
      "territory.subdistrict.create",
      "territory.subdistrict.rename",
    ]);
  });

  it("lets a subdistrict admin manage communities of its own subdistrict", async () => {
    const browser = await signedIn(fx.users.subdistrictAdminA);
    const res = await browser.post("/workbench/territory", {
      intent: "createCommunity",
      subdistrictId: fx.subdistricts.a.id,
      name: "桃源社区",
      kind: "URBAN",
    });
    expect(res.status).toBe(200);
    expect(
      await db().community.count({ where: { subdistrictId: fx.subdistricts.a.id, name: "桃源社区" } }),
    ).toBe(1);
  });

  it("answers 403 to a subdistrict admin acting on another subdistrict, and changes nothing", async () => {
    const browser = await signedIn(fx.users.subdistrictAdminA);
    const b = fx.subdistricts.b;
    const b1 = fx.communities.b1;
    const attempts: Record<string, string>[] = [
      { intent: "createCommunity", subdistrictId: b.id, name: "越权社区", kind: "URBAN" },
      { intent: "updateCommunity", communityId: b1.id, name: "越权改名", kind: "VILLAGE_CONVERTED" },
      { intent: "renameSubdistrict", subdistrictId: b.id, name: "越权街道" },
      // Renaming or adding subdistricts is the district's job, even for its own subdistrict.
      { intent: "renameSubdistrict", subdistrictId: fx.subdistricts.a.id, name: "越权街道" },
      { intent: "createSubdistrict", districtId: fx.district.id, name: "越权街道" },
    ];
    for (const form of attempts) {
      const res = await browser.post("/workbench/territory", form);
      expect(res.status, form.intent).toBe(403);
      expect(await res.text()).toContain("没有权限");
    }
    expect(await db().community.findUniqueOrThrow({ where: { id: b1.id } })).toMatchObject({
      name: b1.name,
      kind: b1.kind,
    });
    expect((await db().subdistrict.findUniqueOrThrow({ where: { id: b.id } })).name).toBe(b.name);
    expect((await db().subdistrict.findUniqueOrThrow({ where: { id: fx.subdistricts.a.id } })).name).toBe(
      fx.subdistricts.a.name,
    );
    expect(await db().community.count()).toBe(4);
    expect(await db().subdistrict.count()).toBe(2);
    expect(await db().auditLog.count()).toBe(0);
  });

  it("shows field errors for empty names (400) and duplicate names (409, CONFLICT)", async () => {
    const browser = await signedIn(fx.users.districtAdmin);
    const empty = await browser.post("/workbench/territory", {
      intent: "createSubdistrict",
      districtId: fx.district.id,
      name: "  ",
    });
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(emptyHtml).toContain("街道名称至少2个字");
    expect(emptyHtml).toContain('aria-invalid="true"');

    const emptyCommunity = await browser.post("/workbench/territory", {
      intent: "createCommunity",
      subdistrictId: fx.subdistricts.a.id,
      name: "",
      kind: "URBAN",
    });
    expect(emptyCommunity.status).toBe(400);
    expect(await emptyCommunity.text()).toContain("社区名称至少2个字");

    const badKind = await browser.post("/workbench/territory", {
      intent: "createCommunity",
      subdistrictId: fx.subdistricts.a.id,
      name: "好名字社区",
      kind: "CASTLE",
    });
    expect(badKind.status).toBe(400);
    expect(await badKind.text()).toContain("请选择社区类型");

    // Duplicate names are a conflict (409, as in the API) shown as a field error on the form.
    const duplicateSd = await browser.post("/workbench/territory", {
      intent: "createSubdistrict",
      districtId: fx.district.id,
      name: fx.subdistricts.b.name,
    });
    expect(duplicateSd.status).toBe(409);
    expect(await duplicateSd.text()).toContain("该区已有同名街道");

    const renameClash = await browser.post("/workbench/territory", {
      intent: "renameSubdistrict",
      subdistrictId: fx.subdistricts.a.id,
      name: fx.subdistricts.b.name,
    });
    expect(renameClash.status).toBe(409);
    expect(await renameClash.text()).toContain("该区已有同名街道");

    const duplicateC = await browser.post("/workbench/territory", {
      intent: "updateCommunity",
      communityId: fx.communities.a1.id,
      name: fx.communities.a2.name,
      kind: "URBAN",
    });
    expect(duplicateC.status).toBe(409);
    expect(await duplicateC.text()).toContain("该街道已有同名社区");

    expect(await db().subdistrict.count()).toBe(2);
    expect(await db().community.count()).toBe(4);
    expect((await db().community.findUniqueOrThrow({ where: { id: fx.communities.a1.id } })).name).toBe(
      fx.communities.a1.name,
    );
    expect(await db().auditLog.count()).toBe(0);

    // The same name in another subdistrict is fine, and so is keeping a community's own name.
    const sameNameElsewhere = await browser.post("/workbench/territory", {
      intent: "createCommunity",
      subdistrictId: fx.subdistricts.b.id,
      name: fx.communities.a1.name,
      kind: "URBAN",
    });
    expect(sameNameElsewhere.status).toBe(200);
    const keepName = await browser.post("/workbench/territory", {
      intent: "updateCommunity",
      communityId: fx.communities.a1.id,
      name: fx.communities.a1.name,
      kind: "VILLAGE_CONVERTED",
    });
    expect(keepName.status).toBe(200);
  });

  it("answers an unknown or missing intent with 400, not a server error", async () => {
    const browser = await signedIn(fx.users.districtAdmin);
    const forms: Record<string, string>[] = [{ intent: "dropEverything" }, {}];
    for (const form of forms) {
      const res = await browser.post("/workbench/territory", form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(await res.text()).toContain("未知的操作");
    }
  });

  it("/workbench/staff creates a community worker and lists it with the phone masked", async () => {
    const browser = await signedIn(fx.users.subdistrictAdminA);
    const page = await (await browser.get("/workbench/staff")).text();
    expect(page).toContain("新增社区工作者");
    expect(page).not.toContain("新增街道管理员");
    expect(page).toContain(`<option value="${fx.communities.a2.id}">`);
    expect(page).not.toContain(`<option value="${fx.communities.b1.id}">`);

    const res = await browser.post("/workbench/staff", {
      intent: "COMMUNITY_WORKER",
      role: "COMMUNITY_WORKER",
      name: "李建国",
      phone: "13912345678",
      password: "a-good-password",
      scopeId: fx.communities.a2.id,
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("已为 李建国（139****5678）开设账号");
    expect(html).not.toContain("13912345678");
    expect(html).not.toContain("a-good-password");
    const user = await db().user.findUniqueOrThrow({
      where: { phone: "13912345678" },
      include: { roles: true },
    });
    expect(user.roles.map((r) => [r.role, r.scopeId])).toEqual([["COMMUNITY_WORKER", fx.communities.a2.id]]);
    expect(await db().auditLog.count({ where: { action: "staff.create", targetId: user.id } })).toBe(1);

    const list = await (await browser.get("/workbench/staff")).text();
    expect(list).toContain("李建国");
    expect(list).toContain("139****5678");
  });

  it("/workbench/staff shows field errors and refuses places outside the caller's scope", async () => {
    const browser = await signedIn(fx.users.subdistrictAdminA);
    const bad = await browser.post("/workbench/staff", {
      intent: "COMMUNITY_WORKER",
      role: "COMMUNITY_WORKER",
      name: "",
      phone: "123",
      password: "short",
      scopeId: "",
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("请输入姓名");
    expect(html).toContain("请输入11位中国大陆手机号");
    expect(html).toContain("密码至少8位");
    expect(html).toContain("请选择任职的社区或街道");

    const foreign = await browser.post("/workbench/staff", {
      intent: "COMMUNITY_WORKER",
      role: "COMMUNITY_WORKER",
      name: "李建国",
      phone: "13912345678",
      password: "a-good-password",
      scopeId: fx.communities.b1.id,
    });
    expect(foreign.status).toBe(403);
    expect(await db().user.count({ where: { phone: "13912345678" } })).toBe(0);
  });
});

describe("cross-site form posts", () => {
  it("refuses a register POST from a foreign origin and writes nothing; the same POST from this site works", async () => {
    const foreign = await new Browser().post("/register", registration(), { origin: "http://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.getSetCookie()).toEqual([]);
    expect(await db().user.count({ where: { phone: "13912345678" } })).toBe(0);

    const refererOnly = await server.request("/register", {
      method: "POST",
      body: new URLSearchParams(registration()).toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        referer: "http://evil.example/page",
      },
    });
    expect(refererOnly.status).toBe(403);
    const nullOrigin = await new Browser().post("/register", registration(), { origin: "null" });
    expect(nullOrigin.status).toBe(403);
    expect(await db().user.count({ where: { phone: "13912345678" } })).toBe(0);

    const own = await new Browser().post("/register", registration());
    expect(own.status).toBe(302);
    expect(await db().user.count({ where: { phone: "13912345678" } })).toBe(1);
  });

  it("refuses a signed-in staff member's territory change from a foreign origin", async () => {
    const browser = await signedIn(fx.users.districtAdmin);
    const form = { intent: "createSubdistrict", districtId: fx.district.id, name: "跨站街道" };
    const foreign = await browser.post("/workbench/territory", form, { origin: "http://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await db().subdistrict.count({ where: { name: "跨站街道" } })).toBe(0);

    const logout = await browser.post("/logout", {}, { origin: "http://evil.example" });
    expect(logout.status).toBe(403);
    expect(await db().authSession.count({ where: { revokedAt: { not: null } } })).toBe(0);

    const own = await browser.post("/workbench/territory", form);
    expect(own.status).toBe(200);
    expect(await db().subdistrict.count({ where: { name: "跨站街道" } })).toBe(1);
  });
});

describe("health and the API description", () => {
  it("GET /healthz answers ok", async () => {
    const res = await server.json("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("GET /readyz answers 200 when PostgreSQL, Redis and search answer", async () => {
    const res = await server.json("/readyz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok", checks: { postgres: "ok", redis: "ok", search: "ok" } });
    expect(res.headers.get("cache-control")).toContain("no-store");
  });

  /** The URL path a Remix flat route file serves: dots are slashes, `[.json]` is a literal `.json`,
   * `$param` is an OpenAPI `{param}`. */
  function pathOfRouteFile(file: string) {
    const segments = file
      .replace(/\.tsx?$/, "")
      .split(/\.(?![^[]*\])/) // dots outside [brackets] separate segments
      .map((segment) => segment.replace(/\[([^\]]*)\]/g, "$1"));
    return `/${segments.map((s) => (s.startsWith("$") ? `{${s.slice(1)}}` : s)).join("/")}`;
  }

  const routeFiles = fs
    .readdirSync(path.resolve("app/routes"))
    .filter((file) => file.startsWith("api.v1.") && /\.tsx?$/.test(file))
    .filter((file) => !/^api\.v1\.\$\.tsx?$/.test(file));

  it("derives the expected paths from the route files", () => {
    expect(routeFiles.length).toBeGreaterThan(0);
    expect(pathOfRouteFile("api.v1.openapi[.json].ts")).toBe("/api/v1/openapi.json");
    expect(pathOfRouteFile("api.v1.auth.register.ts")).toBe("/api/v1/auth/register");
    expect(pathOfRouteFile("api.v1.needs.$id.cancel.ts")).toBe("/api/v1/needs/{id}/cancel");
  });

  const jsonSchemaObject = z.record(z.string(), z.unknown());
  const operationSchema = z.object({
    summary: z.string().min(1),
    security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
    requestBody: z
      .object({
        required: z.boolean().optional(),
        content: z.record(z.string(), z.object({ schema: jsonSchemaObject })),
      })
      .optional(),
    responses: z.record(
      z.string().regex(/^[1-5]\d\d$/),
      z.object({
        description: z.string(),
        content: z.record(z.string(), z.object({ schema: jsonSchemaObject })).optional(),
      }),
    ),
  });
  /** The parts of OpenAPI 3.1 this document uses, checked structurally. */
  const openApiSchema = z.object({
    openapi: z.string().regex(/^3\.1\.\d+$/),
    info: z.object({ title: z.string().min(1), version: z.string().min(1) }),
    servers: z.array(z.object({ url: z.string() })).optional(),
    components: z
      .object({
        securitySchemes: z
          .record(
            z.string(),
            z.object({ type: z.enum(["http", "apiKey", "oauth2", "openIdConnect", "mutualTLS"]) }),
          )
          .optional(),
      })
      .optional(),
    paths: z.record(
      z.string().regex(/^\/api\/v1\/[A-Za-z0-9/{}._-]+$/),
      z.partialRecord(
        z.enum(["get", "put", "post", "delete", "options", "head", "patch", "trace"]),
        operationSchema,
      ),
    ),
  });

  it("GET /api/v1/openapi.json is an OpenAPI 3.1 document with a path for every API route file", async () => {
    const res = await server.json("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const parsed = openApiSchema.safeParse(res.body);
    expect(parsed.error?.issues ?? []).toEqual([]);
    const doc = openApiSchema.parse(res.body);

    const expected = routeFiles.map(pathOfRouteFile).sort();
    expect(Object.keys(doc.paths).sort()).toEqual(expected);

    const schemes = Object.keys(doc.components?.securitySchemes ?? {});
    for (const [pathname, item] of Object.entries(doc.paths)) {
      const operations = Object.entries(item);
      expect(operations.length, pathname).toBeGreaterThan(0);
      for (const [method, operation] of operations) {
        expect(Object.keys(operation?.responses ?? {}).length, `${method} ${pathname}`).toBeGreaterThan(0);
        for (const requirement of operation?.security ?? []) {
          for (const name of Object.keys(requirement)) expect(schemes).toContain(name);
        }
      }
      const post = item.post;
      if (post) {
        expect(post.requestBody?.content["application/json"]?.schema.type, `POST ${pathname}`).toBe("object");
      }
    }
  });

  it("the request bodies list the fields the endpoints require", async () => {
    const { body: doc } = await server.json("/api/v1/openapi.json");
    const bodyOf = (pathname: string) =>
      doc.paths[pathname].post.requestBody.content["application/json"].schema;
    expect(bodyOf("/api/v1/staff").required.sort()).toEqual(["name", "password", "phone", "role", "scopeId"]);
    expect(bodyOf("/api/v1/staff").properties.role.enum.sort()).toEqual([
      "COMMUNITY_WORKER",
      "SUBDISTRICT_ADMIN",
    ]);
    expect(bodyOf("/api/v1/auth/register").required.sort()).toEqual([
      "communityId",
      "name",
      "password",
      "phone",
    ]);
    expect(bodyOf("/api/v1/auth/token").required.sort()).toEqual(["password", "phone"]);
    expect(doc.paths["/api/v1/staff"].post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths["/api/v1/territory"].get.security).toBeUndefined();
  });
});
