import { Queue } from "bullmq";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "~/domain/accounts/actor";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { announceNewNeed } from "~/domain/matching/suggestions.server";
import { outboxHealth, retryAllDeadOutboxRows } from "~/domain/outbox.server";
import { db } from "~/lib/db.server";
import { drainOutbox, MAX_ATTEMPTS, relayOutboxBatch } from "~/outbox/relay.server";
import { bullOptions } from "~/queue/queues.server";
import { MeilisearchEngine } from "~/search/meilisearch-engine.server";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createProvider } from "../../prisma/factories/marketplace";
import { searchRequest } from "../factories/search-requests";
import { freePort } from "../setup/processes";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The outbox relay in-process: what it makes of each kind of change, retries with backoff, dead rows,
// several relays at once, and idempotent events.

let server: TestServer;
let fx: TerritoryFixture;
let providerId: string;
let matching: Queue;
const token: Record<string, string> = {};
const engine = new PostgresSearchEngine(db());

/** The domain's Actor for a user, made the way a request makes it. */
async function actorOf(user: { id: string }): Promise<Actor> {
  const actor = await actorForToken((await startSession(user.id, "API")).token);
  if (!actor) throw new Error("no actor");
  return actor;
}

beforeAll(async () => {
  server = await startTestServer();
  matching = new Queue("matching", bullOptions("producer"));
});
afterAll(async () => {
  await matching.close();
  await server.close();
});
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const owner = await createResident(db(), fx.communities.a1.id);
  providerId = (
    await createProvider(db(), {
      name: "阳光助老服务社",
      communityIds: [fx.communities.a1.id],
      members: [{ userId: owner.id }],
    })
  ).id;
  for (const [key, user] of Object.entries({ ...fx.users, owner })) token[key] = await tokenFor(user.id);
});

const post = (path: string, who: string, json: unknown = {}) =>
  server.json(path, { method: "POST", json, token: token[who] });

async function publishService(title = "长者助餐送餐上门") {
  const res = await post("/api/v1/services", "owner", {
    providerId,
    title,
    description: "每天中午为辖区老人送餐上门，两荤一素一汤。",
    category: "elderly-care",
    funding: "FREE",
    communityIds: [fx.communities.a1.id],
    status: "PUBLISHED",
  });
  expect(res.status).toBe(201);
  return res.body.service.id as string;
}

const findServices = async (text: string) =>
  (await engine.search(searchRequest(text, { limit: 50 }))).hits.map((h) => h.id);

const statuses = async () =>
  (await db().outboxEvent.findMany({ select: { status: true } })).map((r) => r.status).sort();

describe("relaying changes", () => {
  it("indexes a published service, drops it when archived, and marks the rows done", async () => {
    const serviceId = await publishService();
    expect(await findServices("助餐")).toEqual([]);
    expect(await drainOutbox(engine)).toMatchObject({ failed: 0 });
    expect(await findServices("助餐")).toEqual([serviceId]);

    expect((await post(`/api/v1/services/${serviceId}/archive`, "owner")).status).toBe(200);
    await drainOutbox(engine);
    expect(await findServices("助餐")).toEqual([]);
    expect(new Set(await statuses())).toEqual(new Set(["DONE"]));
    const done = await db().outboxEvent.findFirst({ where: { status: "DONE" } });
    expect(done?.processedAt).toBeInstanceOf(Date);
  });

  it("takes a suspended provider's services out of the index and puts them back on restore", async () => {
    const serviceId = await publishService();
    await drainOutbox(engine);
    const suspended = await post(`/api/v1/providers/${providerId}/suspend`, "districtAdmin", {
      reason: "资质到期待更新",
    });
    expect(suspended.status).toBe(200);
    await drainOutbox(engine);
    expect(await findServices("助餐")).toEqual([]);
    expect(await engine.ids("provider")).toEqual([]);

    expect((await post(`/api/v1/providers/${providerId}/restore`, "districtAdmin")).status).toBe(200);
    await drainOutbox(engine);
    expect(await findServices("助餐")).toEqual([serviceId]);
    expect(await engine.ids("provider")).toEqual([providerId]);
  });

  it("never puts a need's requester in its document", async () => {
    const res = await post("/api/v1/needs", "residentA1", {
      title: "需要上门助浴",
      description: "我妈腿脚不便，电话13912345678，想找人帮忙洗澡。",
      category: "elderly-care",
    });
    expect(res.status).toBe(201);
    await drainOutbox(engine);
    const [row] = await db().$queryRaw<
      { title: string; body: string }[]
    >`SELECT title, body FROM search.document WHERE type = 'need'`;
    const requester = await db().user.findUniqueOrThrow({ where: { id: fx.users.residentA1.id } });
    const text = JSON.stringify(row);
    expect(text).not.toContain(requester.name);
    expect(text).not.toContain(requester.phone);
    // A phone number typed into the description is masked before it reaches the index.
    expect(text).not.toContain("13912345678");
    expect(text).toContain("139****5678");
  });
});

describe("failures", () => {
  it("retries with backoff, turns a row DEAD after the last attempt, and can be given another chance", async () => {
    await publishService();
    const down = new MeilisearchEngine({
      host: `http://127.0.0.1:${await freePort()}`,
      indexPrefix: "relay_test",
    });

    const first = await relayOutboxBatch(down);
    expect(first).toMatchObject({ claimed: 1, done: 0, failed: 1 });
    const row = await db().outboxEvent.findFirstOrThrow();
    expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(row.lastError).toMatch(/^search engine: /);
    expect(row.availableAt.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: nothing to claim.
    expect(await relayOutboxBatch(down)).toMatchObject({ claimed: 0 });

    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      await db().outboxEvent.updateMany({ data: { availableAt: new Date() } });
      await relayOutboxBatch(down);
    }
    const dead = await db().outboxEvent.findFirstOrThrow();
    expect(dead).toMatchObject({ status: "DEAD", attempts: MAX_ATTEMPTS });
    const admin = await actorOf(fx.users.districtAdmin);
    // Administration is the district admins' (operations.view), checked inside the domain.
    const worker = await actorOf(fx.users.workerA1);
    await expect(outboxHealth(worker)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(retryAllDeadOutboxRows(worker)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const health = await outboxHealth(admin);
    expect(health.pending).toBe(0);
    expect(health.dead.map((d) => d.id)).toEqual([dead.id]);

    expect(await retryAllDeadOutboxRows(admin)).toBe(1);
    expect(await db().outboxEvent.findFirstOrThrow()).toMatchObject({ status: "PENDING", attempts: 0 });
    expect(await drainOutbox(engine)).toMatchObject({ done: 1, failed: 0 });
    expect(await findServices("助餐")).toHaveLength(1);
  });

  it("sends a row with an unknown topic to the dead rows instead of looping on it", async () => {
    await db().outboxEvent.create({
      data: { topic: "mystery.happened", aggregateType: "Need", aggregateId: "x", version: 1 },
    });
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await db().outboxEvent.updateMany({ data: { availableAt: new Date() } });
      await relayOutboxBatch(engine);
    }
    const row = await db().outboxEvent.findFirstOrThrow();
    expect(row.status).toBe("DEAD");
    expect(row.lastError).toBe("unknown topic mystery.happened");
  });
});

describe("concurrency and idempotence", () => {
  it("two relays at once process every row exactly once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await publishService(`长者助餐第${i}号点`));
    const rows = await db().outboxEvent.count();
    const results = await Promise.all([relayOutboxBatch(engine, 20), relayOutboxBatch(engine, 20)]);
    const claimed = results.reduce((sum, r) => sum + r.claimed, 0);
    expect(claimed).toBe(Math.min(rows, 40));
    await drainOutbox(engine);
    expect(await db().outboxEvent.count({ where: { status: "DONE" } })).toBe(rows);
    expect((await findServices("助餐")).sort()).toEqual(ids.sort());
  });

  it("enqueues a posted need's announcement once even when the row is relayed again", async () => {
    const res = await post("/api/v1/needs", "residentA1", {
      title: "想找人上门助浴",
      description: "母亲行动不便，希望每周有人上门帮忙洗澡。",
      category: "elderly-care",
    });
    const needId: string = res.body.need.id;
    await drainOutbox(engine);
    await db().outboxEvent.updateMany({ where: { topic: "need.posted" }, data: { status: "PENDING" } });
    await drainOutbox(engine);
    const jobs = await matching.getJobs(["waiting", "delayed", "active", "completed"]);
    const row = await db().outboxEvent.findFirstOrThrow({ where: { topic: "need.posted" } });
    expect(jobs.map((job) => job.id)).toEqual([`need.posted-${row.id}`]);
    expect(jobs[0]?.data).toEqual({ needId });

    // And the job itself notifies each worker once, however often it runs.
    expect(await announceNewNeed(needId)).toEqual({ notified: 1 });
    await announceNewNeed(needId);
    expect(await db().notification.count({ where: { userId: fx.users.workerA1.id } })).toBe(1);
  });
});
