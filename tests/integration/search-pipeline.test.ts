import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createProvider } from "../../prisma/factories/marketplace";
import {
  freePort,
  killAllProcesses,
  type Spawned,
  spawnProcess,
  stopProcess,
  waitFor,
  waitUntilListening,
} from "../setup/processes";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { todaysShareOf } from "../setup/sweeps";

// The write → outbox → relay → index path with real processes (DESIGN §3 rule 4): writes succeed while
// Redis or the search engine is down, and the backlog drains when they come back.

// Each test starts processes of its own: npm test runs today's third of them, test:full all.
const todays = todaysShareOf("search-pipeline");

let server: TestServer;
let fx: TerritoryFixture;
let owner: Awaited<ReturnType<typeof createResident>>;
let providerId: string;
const token: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await killAllProcesses();
  await server.close();
});
// Registered after the shared reset, so it runs before it: no worker writes while tables are emptied.
afterEach(killAllProcesses);

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  owner = await createResident(db(), fx.communities.a1.id);
  const provider = await createProvider(db(), {
    name: "阳光助老服务社",
    communityIds: [fx.communities.a1.id],
    members: [{ userId: owner.id }],
  });
  providerId = provider.id;
  for (const [key, user] of Object.entries({ ...fx.users, owner })) token[key] = await tokenFor(user.id);
});

const closedRedisUrl = async () => `redis://127.0.0.1:${await freePort()}/1`;

/** The search API of some origin, as a worker of community a1. */
async function searchIds(origin: string, query: string) {
  const res = await fetch(`${origin}/api/v1/search?${query}`, {
    headers: { authorization: `Bearer ${token.workerA1}` },
  });
  expect(res.status).toBe(200);
  const body: { items: { id: string }[] } = await res.json();
  return body.items.map((item) => item.id);
}

const outboxRows = () =>
  db().outboxEvent.findMany({
    orderBy: { id: "asc" },
    select: { topic: true, status: true, attempts: true, lastError: true },
  });

/** Lets backed-off rows be retried now instead of after their backoff (time passing, in effect). */
const makeDueNow = () =>
  db().outboxEvent.updateMany({ where: { status: "PENDING" }, data: { availableAt: new Date() } });

const worker = (env: Record<string, string> = {}): Spawned =>
  spawnProcess("workers/index.ts", { OUTBOX_POLL_MS: "100", LOG_LEVEL: "warn", ...env });

describe("with Redis down", () => {
  it.runIf(todays())(
    "a need is still posted and indexed; its announcement waits for Redis and then goes out",
    async () => {
      const redisDown = await closedRedisUrl();
      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      const web = spawnProcess("scripts/serve.ts", {
        PORT: String(port),
        REDIS_URL: redisDown,
        SEARCH_ENGINE: "postgres",
        SESSION_SECRET: "pipeline-test-secret-pipeline-test-secret",
        LOG_LEVEL: "warn",
      });
      await waitUntilListening(web, `${origin}/healthz`);

      const posted = await fetch(`${origin}/api/v1/needs`, {
        method: "POST",
        headers: { authorization: `Bearer ${token.residentA1}`, "content-type": "application/json" },
        body: JSON.stringify({
          title: "想找人上门助浴",
          description: "母亲行动不便，希望每周有人上门帮忙洗澡。",
          category: "elderly-care",
        }),
      });
      expect(posted.status).toBe(201);
      const { need } = await posted.json();
      expect((await outboxRows()).map((r) => [r.topic, r.status])).toEqual([
        ["need.changed", "PENDING"],
        ["need.posted", "PENDING"],
      ]);

      const relayWithoutRedis = worker({ REDIS_URL: redisDown });
      const found = await waitFor(
        "the need in the index",
        async () => ((await searchIds(origin, "type=need&q=助浴")).includes(need.id) ? true : undefined),
        relayWithoutRedis,
      );
      expect(found).toBe(true);
      const failed = await waitFor(
        "the announcement to fail for want of Redis",
        async () => (await outboxRows()).find((r) => r.topic === "need.posted" && r.attempts > 0),
        relayWithoutRedis,
      );
      expect(failed).toMatchObject({ status: "PENDING" });
      expect(failed.lastError).toMatch(/^queue: /);
      // The resident's own 需求已提交 is written with the need; the workers' announcement waits.
      expect(await db().notification.count({ where: { kind: "need.posted" } })).toBe(0);
      await stopProcess(relayWithoutRedis, "SIGKILL");

      await makeDueNow();
      const healthy = worker();
      const note = await waitFor(
        "the worker of a1 to be told about the new need",
        async () =>
          (await db().notification.findFirst({ where: { userId: fx.users.workerA1.id } })) ?? undefined,
        healthy,
        20_000,
      );
      expect(note).toMatchObject({ kind: "need.posted", link: `/needs/${need.id}` });
      expect(note.body).toContain("想找人上门助浴");
      expect((await outboxRows()).every((r) => r.status === "DONE")).toBe(true);
      await stopProcess(web);
    },
  );
});

describe("with the search engine down", () => {
  it.runIf(todays())(
    "a service is still published; the index catches up once the engine is back",
    async () => {
      const created = await server.json("/api/v1/services", {
        method: "POST",
        token: token.owner,
        json: {
          providerId,
          title: "长者助餐送餐上门",
          description: "每天中午为辖区老人送餐上门，两荤一素一汤。",
          category: "elderly-care",
          funding: "FREE",
          communityIds: [fx.communities.a1.id],
          status: "PUBLISHED",
        },
      });
      expect(created.status).toBe(201);
      const serviceId: string = created.body.service.id;

      const meiliDown = `http://127.0.0.1:${await freePort()}`;
      const relayWithoutEngine = worker({ SEARCH_ENGINE: "meilisearch", MEILI_URL: meiliDown });
      const failed = await waitFor(
        "the relay to fail against the engine",
        async () => (await outboxRows()).find((r) => r.topic === "service.changed" && r.attempts > 0),
        relayWithoutEngine,
      );
      expect(failed.status).toBe("PENDING");
      expect(failed.lastError).toMatch(/^search engine: /);
      expect(await searchIds(server.origin, "q=助餐")).not.toContain(serviceId);
      await stopProcess(relayWithoutEngine, "SIGKILL");

      await makeDueNow();
      const healthy = worker({ SEARCH_ENGINE: "postgres" });
      await waitFor(
        "the service in the index",
        async () => ((await searchIds(server.origin, "q=助餐")).includes(serviceId) ? true : undefined),
        healthy,
      );
      // The service may be in the index while the relay is still marking the rest of its batch done.
      await waitFor(
        "every outbox row done",
        async () => ((await outboxRows()).every((r) => r.status === "DONE") ? true : undefined),
        healthy,
      );
    },
  );
});
