import { Queue } from "bullmq";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeQueueBoard, QUEUE_BOARD_PATH } from "~/http/queue-board.server";
import { db } from "~/lib/db.server";
import { bullOptions, QUEUE_NAMES } from "~/queue/queues.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// 工程师视图 (bull-board at /workbench/queues/board, behind the queue page): district admins only,
// read-only, under its own CSP.

let server: TestServer;
let fx: TerritoryFixture;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await closeQueueBoard();
  await server.close();
});
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

/** The session cookie of a signed-in user, as the sign-in page would set it. */
const cookieOf = (user: { id: string }) => sessionCookie(server, user.id);

const get = (path: string, cookie = "", headers: Record<string, string> = {}) =>
  server.request(path, { headers: { ...(cookie ? { cookie } : {}), ...headers } });

function expectSecurityHeaders(res: Response) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("object-src 'none'");
  // The board's page sets a <base>: allowed to its own origin, so the browser logs no violation.
  expect(csp).toContain("base-uri 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(res.headers.get("x-powered-by")).toBeNull();
}

describe("who may open the board", () => {
  it("sends an anonymous visitor to sign in and back", async () => {
    for (const path of [QUEUE_BOARD_PATH, `${QUEUE_BOARD_PATH}/`]) {
      const res = await get(path);
      expect(res.status).toBe(302);
      const target = new URL(res.headers.get("location") ?? "", server.origin);
      expect(target.pathname).toBe("/login");
      expect(target.searchParams.get("redirectTo")).toBe(path);
      expectSecurityHeaders(res);
    }
    const api = await get(`${QUEUE_BOARD_PATH}/api/queues`);
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe("UNAUTHENTICATED");
    // Not even its static files.
    expect((await get(`${QUEUE_BOARD_PATH}/static/favicon-32x32.png`)).status).toBe(302);
  });

  it("refuses residents, community workers and subdistrict admins with a Chinese page", async () => {
    for (const user of [fx.users.residentA1, fx.users.workerA1, fx.users.subdistrictAdminA]) {
      const cookie = await cookieOf(user);
      const res = await get(QUEUE_BOARD_PATH, cookie);
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await res.text()).toContain("队列监控仅对区级管理员开放");
      expectSecurityHeaders(res);
      const api = await get(`${QUEUE_BOARD_PATH}/api/queues`, cookie);
      expect(api.status).toBe(403);
      expect((await api.json()).error.code).toBe("FORBIDDEN");
      // The workbench shows them no link to the queue page.
      expect(await (await get("/workbench", cookie)).text()).not.toContain('href="/workbench/queues"');
    }
  });

  it("refuses a forged or expired session like an anonymous one", async () => {
    const res = await get(QUEUE_BOARD_PATH, "__session=forged");
    expect(res.status).toBe(302);
  });
});

describe("for a district admin", () => {
  let cookie: string;
  beforeEach(async () => {
    cookie = await cookieOf(fx.users.districtAdmin);
  });

  it("serves the board page with absolute asset paths and no third-party fonts", async () => {
    for (const path of [QUEUE_BOARD_PATH, `${QUEUE_BOARD_PATH}/`, `${QUEUE_BOARD_PATH}/queue/activities`]) {
      const res = await get(path, cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("cache-control")).toContain("no-store");
      expectSecurityHeaders(res);
      const html = await res.text();
      expect(html).toContain(`<base href="${QUEUE_BOARD_PATH}/"`);
      expect(html).toContain("<title>队列监控（工程师视图）</title>");
      expect(html).not.toContain("fonts.googleapis.com");
      const assets = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
      const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1] ?? "");
      expect(scripts.length).toBeGreaterThan(0);
      for (const asset of assets) expect(asset.startsWith(`${QUEUE_BOARD_PATH}/`)).toBe(true);
      // Every script and stylesheet it names loads, under the board's policy.
      for (const asset of assets.filter((a) => /\.(js|css)$/.test(a))) {
        const file = await get(asset, cookie);
        expect(file.status, asset).toBe(200);
        await file.body?.cancel();
      }
    }
  });

  it("lists every queue through its API, with their jobs", async () => {
    const activities = new Queue("activities", bullOptions("producer"));
    await activities.add(
      "startActivity",
      { activityId: "c".padEnd(25, "0"), at: new Date().toISOString() },
      { delay: 60_000 },
    );
    await activities.close();

    const res = await get(`${QUEUE_BOARD_PATH}/api/queues?activeQueue=activities&status=delayed`, cookie);
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
    const body: {
      queues: {
        name: string;
        readOnlyMode: boolean;
        counts: Record<string, number>;
        jobs: { name: string }[];
      }[];
    } = await res.json();
    expect(body.queues.map((q) => q.name).sort()).toEqual([...QUEUE_NAMES].sort());
    const queue = body.queues.find((q) => q.name === "activities");
    expect(queue?.readOnlyMode).toBe(true);
    expect(queue?.counts.delayed).toBe(1);
    expect(queue?.jobs.map((job) => job.name)).toEqual(["startActivity"]);
  });

  it("is read-only: no write goes through it", async () => {
    const res = await server.request(`${QUEUE_BOARD_PATH}/api/queues/activities/empty`, {
      method: "PUT",
      headers: { cookie, origin: server.origin },
    });
    expect(res.status).toBe(405);
  });

  it("is one link away from the queue page, which the workbench links to", async () => {
    const workbench = await (await get("/workbench", cookie)).text();
    expect(workbench).toContain('href="/workbench/queues"');
    expect(workbench).toContain("队列状态");
    const page = await (await get("/workbench/queues", cookie)).text();
    expect(page).toMatch(new RegExp(`href="${QUEUE_BOARD_PATH}">工程师视图<`));
  });

  it("leaves the rest of the site under its strict policy", async () => {
    const res = await get("/workbench", cookie);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-/);
    expect(csp).not.toContain("'unsafe-inline'");
    expect(csp).toContain("base-uri 'none'");
  });
});
