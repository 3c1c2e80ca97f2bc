import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { actorForToken, revokeToken } from "~/domain/accounts/sessions.server";
import { loadServerBuild } from "~/http/load-build.server";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, DEFAULT_PASSWORD, type TerritoryFixture } from "../../prisma/factories";
import { sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Sessions (rotation at sign-in, idle expiry, sign out everywhere, password change), CSRF on every
// state-changing form post, and the sign-in and sign-up rate limits, through the real HTTP stack.
// ADR 0004 and 0014.

let server: TestServer;
let build: ServerBuild;
let fx: TerritoryFixture;

beforeAll(async () => {
  [server, build] = await Promise.all([startTestServer(), loadServerBuild()]);
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
const FORM = "application/x-www-form-urlencoded";
const cookieFrom = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith("__session="))
    ?.split(";")[0] ?? "";

async function signInOnWeb(phone: string, password = DEFAULT_PASSWORD, cookie = "") {
  return server.request("/login", {
    method: "POST",
    body: form({ phone, password }),
    headers: { "content-type": FORM, origin: server.origin, cookie },
  });
}

/** Whether a cookie still signs in: /me answers 200 to a session and sends others to sign in. */
const meStatus = async (cookie: string) => (await server.request("/me", { headers: { cookie } })).status;
const liveSessions = (userId: string) => db().authSession.count({ where: { userId, revokedAt: null } });

/** Audit entries hold ids and counts only (DESIGN §7): no phone, name, token or password. */
async function expectAuditWithoutPersonalData(action: string, user: { phone: string; name: string }) {
  const entries = await db().auditLog.findMany({ where: { action } });
  expect(entries).toHaveLength(1);
  const text = JSON.stringify(entries);
  for (const secret of [user.phone, user.name, DEFAULT_PASSWORD, "a-new-password-2027"]) {
    expect(text).not.toContain(secret);
  }
}

describe("rotation at sign-in", () => {
  it("issues a new token each time and revokes the session cookie the browser still presented", async () => {
    const resident = fx.users.residentA1;
    const first = cookieFrom(await signInOnWeb(resident.phone));
    const second = cookieFrom(await signInOnWeb(resident.phone, DEFAULT_PASSWORD, first));
    expect(first).not.toBe("");
    expect(second).not.toBe(first);
    expect(await meStatus(first)).toBe(302);
    expect(await meStatus(second)).toBe(200);
    expect(await liveSessions(resident.id)).toBe(1);
  });

  it("a failed sign-in leaves the presented session alone", async () => {
    const cookie = await sessionCookie(server, fx.users.residentA1.id);
    // (The sign-in page sends a visitor who is still signed in on to the home page.)
    await signInOnWeb(fx.users.residentA1.phone, "wrong-password", cookie);
    expect(await meStatus(cookie)).toBe(200);
    expect(await db().authSession.count({ where: { revokedAt: { not: null } } })).toBe(0);
  });
});

describe("expiry after inactivity", () => {
  it("a session unused past its expiry is signed out, on pages and in the API", async () => {
    const cookie = await sessionCookie(server, fx.users.residentA1.id);
    const token = await tokenFor(fx.users.residentA1.id);
    expect(await meStatus(cookie)).toBe(200);
    await db().authSession.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await meStatus(cookie)).toBe(302);
    expect((await server.json("/api/v1/me", { token })).status).toBe(401);
  });

  it("each use slides the expiry (written at most once a minute)", async () => {
    const cookie = await sessionCookie(server, fx.users.residentA1.id);
    const soon = new Date(Date.now() + 3600 * 1000);
    await db().authSession.updateMany({
      data: { expiresAt: soon, lastUsedAt: new Date(Date.now() - 2 * 60 * 1000) },
    });
    expect(await meStatus(cookie)).toBe(200);
    const session = await db().authSession.findFirstOrThrow();
    expect(session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 13 * 24 * 3600 * 1000);

    // Used within the minute: no write.
    const stamped = session.lastUsedAt.getTime();
    expect(await meStatus(cookie)).toBe(200);
    expect((await db().authSession.findFirstOrThrow()).lastUsedAt.getTime()).toBe(stamped);
  });
});

describe("token lookups at once (ADR 0019: those of one moment share a statement)", () => {
  it("give each token its own person, and nobody for an unknown, revoked or expired one", async () => {
    const { residentA1, districtAdmin, workerA1 } = fx.users;
    const [resident, admin, revoked, expired] = await Promise.all(
      [residentA1, districtAdmin, residentA1, workerA1].map((person) => tokenFor(person.id)),
    );
    await revokeToken(revoked ?? "");
    await db().authSession.updateMany({
      where: { userId: workerA1.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expected = new Map([
      [resident, residentA1.id],
      [admin, districtAdmin.id],
      [revoked, null],
      [expired, null],
      ["no-such-token", null],
    ]);
    const asked = Array.from({ length: 120 }, (_, i) => [...expected.keys()][i % expected.size] ?? "");
    const actors = await Promise.all(asked.map((token) => actorForToken(token)));
    expect(actors.map((actor) => actor?.userId ?? null)).toEqual(asked.map((token) => expected.get(token)));
    expect(actors[asked.indexOf(admin ?? "")]?.roles.map((role) => role.role)).toContain("DISTRICT_ADMIN");
  });

  it("refuse a token revoked while other lookups are under way", async () => {
    const token = await tokenFor(fx.users.residentA1.id);
    const others = Array.from({ length: 50 }, () => actorForToken(token));
    await revokeToken(token);
    expect(await actorForToken(token)).toBeNull();
    await Promise.all(others);
  });
});

describe("sign out everywhere", () => {
  it("我的 → 账号安全 revokes every session and token of the person, this one included", async () => {
    const resident = fx.users.residentA1;
    const [here, elsewhere, token] = await Promise.all([
      sessionCookie(server, resident.id),
      sessionCookie(server, resident.id),
      tokenFor(resident.id),
    ]);
    const other = await sessionCookie(server, fx.users.workerA1.id);
    const me = await server.request("/me", { headers: { cookie: here } });
    expect(await me.text()).toContain('href="/me/security"');
    const page = await server.request("/me/security", { headers: { cookie: here } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("退出所有设备");

    const res = await server.request("/me/security", {
      method: "POST",
      body: form({ intent: "signOutEverywhere" }),
      headers: { "content-type": FORM, origin: server.origin, cookie: here },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?signedOut=everywhere");
    expect(res.headers.getSetCookie().join()).toMatch(/__session=;.*Max-Age=0/);
    expect(await meStatus(here)).toBe(302);
    expect(await meStatus(elsewhere)).toBe(302);
    expect((await server.json("/api/v1/me", { token })).status).toBe(401);
    expect(await liveSessions(resident.id)).toBe(0);
    // Someone else's session is untouched.
    expect(await meStatus(other)).toBe(200);
    await expectAuditWithoutPersonalData("account.sessions.revokeAll", resident);
    const login = await server.request("/login?signedOut=everywhere");
    expect(await login.text()).toContain("已在所有设备上退出登录");
  });

  it("POST /api/v1/me/sessions/revoke does the same for a token", async () => {
    const resident = fx.users.residentA1;
    const cookie = await sessionCookie(server, resident.id);
    const token = await tokenFor(resident.id);
    const res = await server.json("/api/v1/me/sessions/revoke", { method: "POST", token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revokedSessions: 2 });
    expect((await server.json("/api/v1/me", { token })).status).toBe(401);
    expect(await meStatus(cookie)).toBe(302);
    expect((await server.json("/api/v1/me/sessions/revoke", { method: "POST", token })).status).toBe(401);
    expect((await server.json("/api/v1/me/sessions/revoke", { method: "DELETE", token })).status).toBe(405);
  });
});

describe("changing the password", () => {
  const NEW_PASSWORD = "a-new-password-2027";
  const change = (cookie: string, values: Record<string, string>, headers: Record<string, string> = {}) =>
    server.request("/me/security", {
      method: "POST",
      body: form({ intent: "changePassword", ...values }),
      headers: { "content-type": FORM, origin: server.origin, cookie, ...headers },
    });

  it("on 我的: revokes the other sessions and tokens, keeps this browser signed in on a rotated session", async () => {
    const resident = fx.users.residentA1;
    const [here, elsewhere, token] = await Promise.all([
      sessionCookie(server, resident.id),
      sessionCookie(server, resident.id),
      tokenFor(resident.id),
    ]);
    const res = await change(here, { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD });
    expect([res.status, res.headers.get("location")]).toEqual([302, "/me/security?changed=2"]);
    const rotated = cookieFrom(res);
    const page = await server.request("/me/security?changed=2", { headers: { cookie: rotated } });
    expect(await page.text()).toContain("密码已修改，其他 2 处登录已退出");
    expect(rotated).not.toBe("");
    expect(rotated).not.toBe(here);
    expect(res.headers.getSetCookie().join()).toMatch(/HttpOnly/);
    expect(await meStatus(rotated)).toBe(200);
    expect(await meStatus(here)).toBe(302);
    expect(await meStatus(elsewhere)).toBe(302);
    expect((await server.json("/api/v1/me", { token })).status).toBe(401);
    expect(await liveSessions(resident.id)).toBe(1);

    expect((await signInOnWeb(resident.phone)).status).toBe(401);
    expect((await signInOnWeb(resident.phone, NEW_PASSWORD)).status).toBe(302);
    await expectAuditWithoutPersonalData("account.password.change", resident);
  });

  it("a wrong current password or a short new one is a field error, and nothing changes", async () => {
    const resident = fx.users.residentA1;
    const cookie = await sessionCookie(server, resident.id);
    const other = await sessionCookie(server, resident.id);
    const wrong = await change(cookie, { currentPassword: "not-my-password", newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    const html = await wrong.text();
    expect(html).toContain("当前密码不正确");
    expect(html).toContain('id="currentPassword-error"');
    expect(html).not.toContain("not-my-password");
    const short = await change(cookie, { currentPassword: DEFAULT_PASSWORD, newPassword: "short" });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("密码至少8位");
    expect(await meStatus(cookie)).toBe(200);
    expect(await meStatus(other)).toBe(200);
    expect((await signInOnWeb(resident.phone)).status).toBe(302);
    expect(await db().auditLog.count()).toBe(0);
  });

  it("POST /api/v1/me/password with a token returns the rotated token; the old one and all others end", async () => {
    const resident = fx.users.residentA1;
    const token = await tokenFor(resident.id);
    const cookie = await sessionCookie(server, resident.id);
    const res = await server.json("/api/v1/me/password", {
      token,
      json: { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      token: expect.any(String),
      expiresAt: expect.any(String),
      revokedSessions: 1,
    });
    expect((await server.json("/api/v1/me", { token })).status).toBe(401);
    expect((await server.json("/api/v1/me", { token: res.body.token })).status).toBe(200);
    expect(await meStatus(cookie)).toBe(302);
    const bad = await server.json("/api/v1/me/password", {
      token: res.body.token,
      json: { currentPassword: "wrong-password", newPassword: "short" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty("newPassword");
    const wrong = await server.json("/api/v1/me/password", {
      token: res.body.token,
      json: { currentPassword: "wrong-password", newPassword: "another-password" },
    });
    expect([wrong.status, wrong.body.error.fields]).toEqual([400, { currentPassword: "当前密码不正确" }]);
  });

  it("through the API with the session cookie, the rotated session goes back in the cookie only", async () => {
    const cookie = await sessionCookie(server, fx.users.residentA1.id);
    const res = await server.json("/api/v1/me/password", {
      json: { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD },
      headers: { cookie, origin: server.origin },
    });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("token");
    const rotated =
      res.headers
        .getSetCookie()
        .find((c) => c.startsWith("__session="))
        ?.split(";")[0] ?? "";
    expect(await meStatus(rotated)).toBe(200);
    expect(await meStatus(cookie)).toBe(302);
  });

  it("wrong current passwords are limited like sign-ins: 429 with Retry-After", async () => {
    const token = await tokenFor(fx.users.residentA1.id);
    for (let i = 0; i < 5; i += 1) {
      const res = await server.json("/api/v1/me/password", {
        token,
        json: { currentPassword: `guess-${i}-guess`, newPassword: NEW_PASSWORD },
      });
      expect(res.status).toBe(400);
    }
    const limited = await server.json("/api/v1/me/password", {
      token,
      json: { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const cookie = await sessionCookie(server, fx.users.residentA1.id);
    const page = await change(cookie, { currentPassword: DEFAULT_PASSWORD, newPassword: NEW_PASSWORD });
    expect(page.status).toBe(429);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("rate limits on sign-in and sign-up", () => {
  it("the sign-in form answers 429 with Retry-After after 5 failures for one phone from one address", async () => {
    const phone = fx.users.residentA1.phone;
    for (let i = 0; i < 5; i += 1) {
      const res = await server.request("/login", {
        method: "POST",
        body: form({ phone, password: "wrong-password" }),
        headers: { "content-type": FORM, origin: server.origin },
      });
      expect(res.status).toBe(401);
    }
    const limited = await signInOnWeb(phone);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.text()).toContain("尝试次数过多");
    expect(limited.headers.getSetCookie()).toEqual([]);
  });

  it("sign-up is limited to 30 per hour per IP", async () => {
    const ip = "10.2.0.1";
    const register = (i: number) =>
      server.json("/api/v1/auth/register", {
        ip,
        json: {
          phone: `1390000${String(i).padStart(4, "0")}`,
          password: "a-good-password",
          name: "王秀英",
          communityId: fx.communities.a1.id,
        },
      });
    for (let i = 0; i < 30; i += 1) expect((await register(i)).status).toBe(201);
    const limited = await register(30);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await db().user.count({ where: { phone: "13900000030" } })).toBe(0);
    // The sign-up form shares the limit, and says when to try again too.
    const page = await server.request("/register", {
      method: "POST",
      body: form({
        phone: "13900000031",
        password: "a-good-password",
        name: "王秀英",
        communityId: fx.communities.a1.id,
        privacyConsent: "yes",
      }),
      headers: { "content-type": FORM, origin: server.origin, "x-forwarded-for": ip },
    });
    expect(page.status).toBe(429);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await page.text()).toContain("尝试次数过多");
    expect(await db().user.count({ where: { phone: "13900000031" } })).toBe(0);
    // Another IP still signs up.
    const other = await server.json("/api/v1/auth/register", {
      ip: "10.2.0.2",
      json: {
        phone: "13900008888",
        password: "a-good-password",
        name: "李华",
        communityId: fx.communities.a1.id,
      },
    });
    expect(other.status).toBe(201);
  });
});

describe("CSRF: every state-changing form post", () => {
  /** Every page route with an action, at a URL that reaches it (ids that do not exist are fine:
   * the refusal comes before any lookup). */
  const formRoutes = () =>
    Object.values(build.routes)
      .filter(
        (route) => route && route.id !== "root" && route.module.action && !route.id.startsWith("routes/api."),
      )
      .map((route) => route?.id ?? "");

  function urlOf(id: string): string {
    const route = build.routes[id];
    if (!route) return "";
    const parent = route.parentId && route.parentId !== "root" ? urlOf(route.parentId) : "";
    const own = (route.path ?? "").replace(/:[A-Za-z]+/g, "c000000000000000000000000").replace("*", "x");
    return [parent, own].filter(Boolean).join("/");
  }

  it("is refused with a foreign Origin, a foreign Referer, an opaque Origin, or neither header with a session", async () => {
    const cookie = await sessionCookie(server, fx.users.districtAdmin.id);
    const before = await db().auditLog.count();
    const failures: string[] = [];
    const ids = formRoutes();
    expect(ids.length).toBeGreaterThan(20);
    for (const id of ids) {
      const url = `/${urlOf(id)}`;
      const attempts: Record<string, Record<string, string>> = {
        "foreign Origin": { origin: "http://evil.example" },
        "foreign Referer, no Origin": { referer: "http://evil.example/page" },
        "Origin null": { origin: "null" },
        "look-alike host": { origin: `${server.origin}.evil.example` },
        "neither header": {},
      };
      for (const [name, headers] of Object.entries(attempts)) {
        const res = await server.request(url, {
          method: "POST",
          body: form({ intent: "x" }),
          headers: { "content-type": FORM, cookie, ...headers },
        });
        if (res.status !== 403) failures.push(`${url} with ${name}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await db().auditLog.count()).toBe(before);
    expect(await liveSessions(fx.users.districtAdmin.id)).toBe(1);
  });

  it("cookie-authenticated API writes are refused cross-site; Bearer-token calls are not affected", async () => {
    const cookie = await sessionCookie(server, fx.users.residentA1.id);
    const need = {
      title: "老人需要上门探访",
      description: "家里老人独居，希望每周有人上门看看。",
      category: "elderly-care",
      communityId: fx.communities.a1.id,
    };
    const viaCookie = await server.json("/api/v1/needs", {
      json: need,
      headers: { cookie, origin: "http://evil.example" },
    });
    expect([viaCookie.status, viaCookie.body.error.code]).toEqual([403, "FORBIDDEN"]);
    const noHeaders = await server.json("/api/v1/needs", { json: need, headers: { cookie } });
    expect(noHeaders.status).toBe(403);
    expect(await db().need.count()).toBe(0);

    const token = await tokenFor(fx.users.residentA1.id);
    const viaToken = await server.json("/api/v1/needs", {
      json: need,
      token,
      headers: { origin: "http://evil.example" },
    });
    expect(viaToken.status).toBe(201);
    // Scripts without a cookie or an Origin (curl) still sign in.
    const signIn = await server.json("/api/v1/auth/token", {
      json: { phone: fx.users.residentA1.phone, password: DEFAULT_PASSWORD },
    });
    expect(signIn.status).toBe(200);
  });

  it("the same forms from this site (Origin, or Referer alone as older browsers send) go through", async () => {
    const cookie = await sessionCookie(server, fx.users.residentA1.id);
    const sameSite: Record<string, string>[] = [
      { origin: server.origin },
      { referer: `${server.origin}/me/security` },
    ];
    for (const headers of sameSite) {
      const res = await server.request("/settings/elder-mode", {
        method: "POST",
        body: form({ mode: "on" }),
        headers: { "content-type": FORM, cookie, ...headers },
      });
      expect(res.status).toBeLessThan(400);
    }
  });
});
