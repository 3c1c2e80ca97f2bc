import type { ServerBuild } from "@remix-run/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadServerBuild } from "~/http/load-build.server";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, createUser, DEFAULT_PASSWORD } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createHeldActivity } from "../factories/activities";
import { sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { SAMPLED, sampled } from "../setup/sweeps";

// Every route of the Remix build, read from its route manifest (so a new route is covered the day
// it is added): the security headers on each page and API answer, anonymous and signed in; HSTS and
// Secure cookies behind an HTTPS proxy; and every HTTP method on every route (ADR 0014).

let server: TestServer;
let build: ServerBuild;

beforeAll(async () => {
  [server, build] = await Promise.all([startTestServer(), loadServerBuild()]);
});
afterAll(() => server.close());
afterEach(() => {
  vi.restoreAllMocks();
});

/** The URL pattern of a route: its ancestors' paths joined with its own. */
function patternOf(id: string): string {
  const route = build.routes[id];
  if (!route) return "";
  const parent = route.parentId ? patternOf(route.parentId) : "";
  return [parent, route.path ?? ""].filter(Boolean).join("/");
}

/** Every route a request can end on (not the root layout), as [route id, URL pattern]. */
const routes = () =>
  Object.keys(build.routes)
    .filter((id) => id !== "root")
    .map((id) => [id, `/${patternOf(id)}`] as const)
    .sort(([, a], [, b]) => a.localeCompare(b));

type Ids = Record<"activity" | "need" | "provider" | "service" | "community" | "user", string>;

/** A URL for the pattern, with real ids where the world has them (so pages render their data). */
function urlOf(routeId: string, pattern: string, ids: Ids) {
  const idOfRoute = /activities/.test(routeId)
    ? ids.activity
    : /needs/.test(routeId)
      ? ids.need
      : /providers/.test(routeId)
        ? ids.provider
        : /services/.test(routeId)
          ? ids.service
          : /communities/.test(routeId)
            ? ids.community
            : "c000000000000000000000000";
  return pattern
    .replace(":providerId", ids.provider)
    .replace(":serviceId", ids.service)
    .replace(":userId", ids.user)
    .replace(":id", idOfRoute)
    .replace(/\*$/, "no-such-page");
}

/** A person who reaches nearly every page: district admin, resident of a1 with a need and a seat,
 * owner of a provider with a service. */
async function buildWorld() {
  const fx = await createTerritoryFixture(db());
  const person = await createUser(db(), {
    communityId: fx.communities.a1.id,
    roles: [
      { role: "DISTRICT_ADMIN", scopeId: fx.district.id },
      { role: "RESIDENT", scopeId: fx.communities.a1.id },
    ],
  });
  const provider = await createProvider(db(), {
    communityIds: [fx.communities.a1.id],
    status: "APPROVED",
    members: [{ userId: person.id }],
  });
  const service = await createService(db(), {
    providerId: provider.id,
    communityIds: [fx.communities.a1.id],
    status: "PUBLISHED",
  });
  const need = await createNeed(db(), { requesterId: person.id, communityId: fx.communities.a1.id });
  const activity = await createHeldActivity(db(), {
    communityId: fx.communities.a1.id,
    createdById: person.id,
    startsAt: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    status: "PUBLISHED",
    attendees: [{ userId: person.id, checkedIn: false }],
  });
  const ids: Ids = {
    activity: activity.id,
    need: need.id,
    provider: provider.id,
    service: service.id,
    community: fx.communities.a1.id,
    user: person.id,
  };
  return { fx, person, ids };
}

/** Routes whose answers say nothing about anyone, so a cache may keep them: the liveness probe and
 * the two redirects that only set or clear a cookie. */
const CACHEABLE = new Set(["routes/healthz", "routes/settings.elder-mode", "routes/logout"]);

/** What is wrong with one answer's headers (an empty list when nothing is). */
function headerProblems(routeId: string, res: Response, body: string): string[] {
  const problems: string[] = [];
  const csp = res.headers.get("content-security-policy") ?? "";
  const nonce = /(?:^|;\s*)script-src 'self' 'nonce-([A-Za-z0-9+/=]{16,})'(?:;|$)/.exec(csp)?.[1];
  if (!nonce) problems.push(`script-src without a nonce: ${csp}`);
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
    if (!csp.split(/;\s*/).includes(directive)) problems.push(`CSP lacks ${directive}`);
  }
  if (csp.includes("unsafe-inline") || csp.includes("unsafe-eval")) problems.push("CSP allows unsafe-*");
  if (res.headers.get("x-content-type-options") !== "nosniff") problems.push("no nosniff");
  if (res.headers.get("referrer-policy") !== "strict-origin-when-cross-origin")
    problems.push("Referrer-Policy");
  if (res.headers.has("strict-transport-security")) problems.push("HSTS over plain HTTP");
  if (res.status >= 500) problems.push(`status ${res.status}`);
  // A 302/303/307 without freshness information is never stored by a cache (RFC 9111 §4.2.2), and
  // the sign-in redirects carry nothing about anyone.
  const temporaryRedirect = [302, 303, 307].includes(res.status);
  const noStore = /\bno-store\b/.test(res.headers.get("cache-control") ?? "");
  if (!CACHEABLE.has(routeId) && !temporaryRedirect && !noStore) {
    problems.push(`Cache-Control: ${res.headers.get("cache-control")}`);
  }
  if ((res.headers.get("content-type") ?? "").startsWith("text/html")) {
    const scripts = [...body.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? "");
    if (scripts.some((attributes) => /\bnonce="([^"]*)"/.exec(attributes)?.[1] !== nonce)) {
      problems.push("a <script> without this response's nonce");
    }
  }
  return problems;
}

describe("security headers on every route", () => {
  it("finds the routes in the build's manifest", () => {
    const patterns = routes().map(([, pattern]) => pattern);
    expect(patterns.length).toBeGreaterThan(90);
    for (const expected of ["/me", "/workbench/needs", "/activities/:id/desk", "/api/v1/stats/export"]) {
      expect(patterns).toContain(expected);
    }
  });

  for (const who of ["anonymous", "signed in with a cookie", "signed in with a token"] as const) {
    // Under npm test, today's third of the routes (sampled()); test:full, all.
    it(`every page and API answer, ${who}: routes ${SAMPLED}`, async () => {
      const { person, ids } = await buildWorld();
      const headers: Record<string, string> =
        who === "signed in with a cookie"
          ? { cookie: await sessionCookie(server, person.id) }
          : who === "signed in with a token"
            ? { authorization: `Bearer ${await tokenFor(person.id)}` }
            : {};
      const failures: string[] = [];
      for (const [routeId, pattern] of sampled(routes())) {
        const url = urlOf(routeId, pattern, ids);
        const res = await server.request(url, { headers });
        const problems = headerProblems(routeId, res, await res.text());
        if (problems.length) failures.push(`GET ${url} (${res.status}): ${problems.join("; ")}`);
      }
      expect(failures).toEqual([]);
    });
  }

  it("the data a page's loaders send to the client router is no-store too", async () => {
    const { person } = await buildWorld();
    const cookie = await sessionCookie(server, person.id);
    for (const path of ["/me.data", "/workbench/needs.data", "/_root.data"]) {
      const res = await server.request(path, { headers: { cookie } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toContain("no-store");
    }
  });
});

describe("behind an HTTPS proxy (TRUST_PROXY, X-Forwarded-Proto)", () => {
  const https = { "x-forwarded-proto": "https" };

  it("sends HSTS on HTTPS only", async () => {
    const secure = await server.request("/", { headers: https });
    expect(secure.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const api = await server.request("/api/v1/territory", { headers: https });
    expect(api.headers.get("strict-transport-security")).toContain("max-age=");
    const plain = await server.request("/");
    expect(plain.headers.has("strict-transport-security")).toBe(false);
  });

  it("sets the session cookie HttpOnly, SameSite=Lax, Path=/, and Secure on HTTPS only", async () => {
    const fx = await createTerritoryFixture(db());
    const signIn = (extra: Record<string, string>, origin: string) =>
      server.request("/login", {
        method: "POST",
        body: new URLSearchParams({
          phone: fx.users.residentA1.phone,
          password: DEFAULT_PASSWORD,
        }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", origin, ...extra },
      });
    const secureOrigin = server.origin.replace("http:", "https:");
    const overHttps = await signIn(https, secureOrigin);
    expect(overHttps.status).toBe(302);
    const secureCookie = overHttps.headers.getSetCookie().find((c) => c.startsWith("__session="));
    const attributes = (secureCookie ?? "").split(";").map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/", "secure"]));

    const overHttp = await signIn({}, server.origin);
    const plainCookie = overHttp.headers.getSetCookie().find((c) => c.startsWith("__session=")) ?? "";
    const plainAttributes = plainCookie.split(";").map((a) => a.trim().toLowerCase());
    expect(plainAttributes).toEqual(expect.arrayContaining(["httponly", "samesite=lax"]));
    expect(plainAttributes).not.toContain("secure");
  });
});

describe("every method on every route (the 405 leak)", () => {
  const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"];
  const LEAKS =
    /node_modules|\bat \S+ \(|Unexpected Server Error|did not provide an `action`|Invalid request method/;

  it(`answers each with the route's own answer or a clean 405 naming what is allowed: routes ${SAMPLED}`, async () => {
    const { ids } = await buildWorld();
    const logged = vi.spyOn(console, "error");
    const failures: string[] = [];
    for (const [routeId, pattern] of sampled(routes())) {
      const url = urlOf(routeId, pattern, ids);
      const isApi = url.startsWith("/api/");
      const module = build.routes[routeId]?.module;
      for (const method of METHODS) {
        const sendsBody = !["GET", "HEAD", "OPTIONS"].includes(method);
        const res = await server.request(url, {
          method,
          headers: {
            origin: server.origin,
            ...(sendsBody
              ? { "content-type": isApi ? "application/json" : "application/x-www-form-urlencoded" }
              : {}),
          },
          body: sendsBody ? (isApi ? "{}" : "") : undefined,
        });
        const body = await res.text();
        const at = `${method} ${url} → ${res.status}`;
        if (res.status >= 500) failures.push(`${at}: server error`);
        if (LEAKS.test(body)) failures.push(`${at}: leaks ${LEAKS.exec(body)?.[0]}`);
        if (isApi && method !== "HEAD" && res.status >= 400) {
          const parsed: unknown = JSON.parse(body || "null");
          const code =
            typeof parsed === "object" && parsed !== null && "error" in parsed ? parsed.error : undefined;
          if (typeof code !== "object" || code === null || !("code" in code)) {
            failures.push(`${at}: not the API's JSON error: ${body.slice(0, 80)}`);
          }
        }
        if (res.status === 405 && !res.headers.get("allow")) failures.push(`${at}: 405 without Allow`);
        const pageWrite = !isApi && sendsBody;
        // Pages take form posts only, and only where they have an action.
        if (pageWrite && (method !== "POST" || !module?.action) && res.status !== 405) {
          failures.push(`${at}: a page without this method's handler answered`);
        }
        if (["OPTIONS", "PROPFIND"].includes(method) && res.status !== 405) {
          failures.push(`${at}: ${method} reached a route`);
        }
      }
    }
    expect(failures).toEqual([]);
    const routerErrors = logged.mock.calls.filter((args) => LEAKS.test(args.map(String).join(" ")));
    expect(routerErrors).toEqual([]);
  });

  it("a 405 has the shape of the rest of the site: JSON under /api, short Chinese text for pages", async () => {
    const api = await server.json("/api/v1/territory", { method: "OPTIONS" });
    expect(api.status).toBe(405);
    expect(api.body.error).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
    // An API route's Allow is the method map it declares (ADR 0022), whichever layer refuses.
    expect(api.headers.get("allow")).toBe("GET, HEAD");
    const token = await server.json("/api/v1/auth/token", { method: "PUT", json: {} });
    expect([token.status, token.headers.get("allow")]).toEqual([405, "POST, DELETE"]);
    expect(token.body.error).toMatchObject({ message: "不支持此请求方法，请使用 POST, DELETE" });
    const page = await server.request("/me", { method: "POST", headers: { origin: server.origin } });
    expect(page.status).toBe(405);
    expect(page.headers.get("allow")).toBe("GET, HEAD");
    expect(page.headers.get("content-type")).toContain("text/plain");
    expect(await page.text()).toBe("不支持此请求方法，请使用 GET, HEAD");
    const health = await server.request("/healthz", { method: "POST", headers: { origin: server.origin } });
    expect([health.status, health.headers.get("allow")]).toEqual([405, "GET, HEAD"]);
    const form = await server.request("/login", { method: "DELETE", headers: { origin: server.origin } });
    expect([form.status, form.headers.get("allow")]).toEqual([405, "GET, HEAD, POST"]);
  });
});
