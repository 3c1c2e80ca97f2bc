import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createUser, DEFAULT_PASSWORD } from "../../prisma/factories";
import { freePort, type Spawned, spawnProcess, stopProcess, waitUntilListening } from "../setup/processes";
import { todaysShareOf } from "../setup/sweeps";

// The real web process (scripts/serve.ts) started as operators start it, with Redis unreachable:
// readiness must say which dependency is down while liveness stays green.

// The Redis-down tests share a web process of their own: npm test runs them on a third of days,
// test:full always. The configuration checks (a process that exits at once) run every time.
const todays = todaysShareOf("readyz-down");

const startWeb = (env: Record<string, string>) => spawnProcess("scripts/serve.ts", env);

describe.runIf(todays())("GET /readyz with Redis unreachable", () => {
  let web: Spawned;
  let origin: string;

  beforeAll(async () => {
    const port = await freePort();
    const closedRedisPort = await freePort();
    origin = `http://127.0.0.1:${port}`;
    web = startWeb({
      DATABASE_URL: process.env.DATABASE_URL ?? "",
      REDIS_URL: `redis://127.0.0.1:${closedRedisPort}/1`,
      SESSION_SECRET: "readyz-test-secret-readyz-test-secret-0000",
      PORT: String(port),
      SEARCH_ENGINE: "postgres",
    });
    await waitUntilListening(web, `${origin}/healthz`);
    // A fresh process's first readiness check also does its one-time work (Prisma compiling the
    // queries, the search engine checking its tables), which on two cores shared with other test
    // files can outlast a check's two seconds. The test is about what a running process reports.
    await fetch(`${origin}/readyz`);
  });

  afterAll(async () => {
    if (web) await stopProcess(web);
  });

  it("answers 503 naming redis as down while postgres is ok", async () => {
    const res = await fetch(`${origin}/readyz`);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toContain("no-store");
    const body = await res.json();
    expect(body).toEqual({
      status: "unavailable",
      down: ["redis"],
      checks: { postgres: "ok", redis: "down", search: "ok" },
    });
  });

  it("keeps GET /healthz at 200", async () => {
    const res = await fetch(`${origin}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("still signs people in while Redis is down (rate limits fail open)", async () => {
    const user = await createUser(db());
    const res = await fetch(`${origin}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: user.phone, password: DEFAULT_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.token).toEqual(expect.any(String));
    expect(body.user.id).toBe(user.id);
  });
});

describe("scripts/serve.ts configuration check", () => {
  it.each([
    ["too short", "short"],
    ["empty", ""],
  ])("exits with code 1 and names SESSION_SECRET when it is %s", async (_label, secret) => {
    const port = await freePort();
    const web = startWeb({ SESSION_SECRET: secret, PORT: String(port) });
    const code = await web.exited;
    expect(code).toBe(1);
    expect(web.stderr()).toContain("SESSION_SECRET");
    // It never started serving.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
