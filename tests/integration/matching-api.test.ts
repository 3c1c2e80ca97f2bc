import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { reindex } from "~/search/reindex.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { expectCleanAnswer, garbageValue } from "../setup/garbage";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// Matching through the API: suggestions with reasons, proposals by staff and offers by providers,
// accept / decline / withdraw by the right side, the need's life cycle, notifications, and who is
// refused (with nothing written).

let server: TestServer;
let fx: TerritoryFixture;
const token: Record<string, string> = {};
const id: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const a1 = fx.communities.a1.id;
  const a2 = fx.communities.a2.id;
  const b1 = fx.communities.b1.id;
  const owner = await createResident(db(), a1);
  const member = await createResident(db(), a2);
  const otherOwner = await createResident(db(), b1);
  const workerB1 = await createUser(db(), { roles: [{ role: "COMMUNITY_WORKER", scopeId: b1 }] });
  const neighbour = await createResident(db(), a1);
  const p = await createProvider(db(), {
    name: "阳光助老服务社",
    communityIds: [a1, a2],
    members: [{ userId: owner.id }, { userId: member.id, role: "MEMBER" }],
  });
  const q = await createProvider(db(), {
    name: "北岸家政",
    communityIds: [b1],
    members: [{ userId: otherOwner.id }],
  });
  const bath = await createService(db(), {
    providerId: p.id,
    title: "上门助浴",
    description: "为行动不便的老人提供上门助浴，两名护理员操作，每周可约。",
    category: "elderly-care",
    communityIds: [a1],
    capacityPerWeek: 5,
  });
  const meal = await createService(db(), {
    providerId: p.id,
    title: "长者助餐送餐",
    description: "每天中午为老人送餐上门。",
    category: "elderly-care",
    communityIds: [a2],
  });
  const draft = await createService(db(), {
    providerId: p.id,
    title: "助浴新项目",
    description: "还在筹备中的上门助浴服务。",
    category: "elderly-care",
    communityIds: [a1],
    status: "DRAFT",
  });
  const far = await createService(db(), {
    providerId: q.id,
    title: "上门助浴（北岸）",
    description: "北岸街道的上门助浴服务。",
    category: "elderly-care",
    communityIds: [b1],
  });
  const need = await createNeed(db(), {
    requesterId: fx.users.residentA1.id,
    communityId: a1,
    title: "我妈想找人上门洗澡",
    description: "母亲八十岁腿脚不便，希望每周有人上门帮忙洗澡。",
    category: "elderly-care",
  });
  await reindex(new PostgresSearchEngine(db()));
  Object.assign(id, {
    p: p.id,
    q: q.id,
    bath: bath.id,
    meal: meal.id,
    draft: draft.id,
    far: far.id,
    need: need.id,
  });
  const users = { ...fx.users, owner, member, otherOwner, workerB1, neighbour };
  for (const [key, user] of Object.entries(users)) {
    token[key] = await tokenFor(user.id);
    id[key] = user.id;
  }
});

const get = (path: string, who?: string) => server.json(path, { token: who ? token[who] : undefined });
const post = (path: string, who: string | undefined, json: unknown = {}) =>
  server.json(path, { method: "POST", json, token: who ? token[who] : undefined });
const propose = (who: string, serviceKey = "bath", extra: Record<string, unknown> = {}) =>
  post("/api/v1/matches", who, { needId: id.need, serviceId: id[serviceKey], ...extra });

async function rowCounts() {
  const [matches, notifications, audits, outbox] = await Promise.all([
    db().match.count(),
    db().notification.count(),
    db().auditLog.count(),
    db().outboxEvent.count(),
  ]);
  return { matches, notifications, audits, outbox };
}

describe("GET /api/v1/needs/:id/matches", () => {
  it("ranks the services within the need's subdistrict with their reasons", async () => {
    const res = await get(`/api/v1/needs/${id.need}/matches`, "workerA1");
    expect(res.status).toBe(200);
    const items: { service: { id: string }; provider: { name: string }; score: number; reasons: string[] }[] =
      res.body.items;
    expect(items.map((i) => i.service.id)).toEqual([id.bath, id.meal]);
    expect(items[0]?.provider.name).toBe("阳光助老服务社");
    expect(items[0]?.reasons).toEqual(
      expect.arrayContaining(["内容相符", "同类别", "服务本社区", "本周有名额"]),
    );
    expect(items[1]?.reasons).toContain("服务本街道");
    expect(items[0]?.score).toBeGreaterThan(items[1]?.score ?? 1);
    // Drafts and services of other subdistricts are never suggested.
    expect(items.map((i) => i.service.id)).not.toContain(id.draft);
    expect(items.map((i) => i.service.id)).not.toContain(id.far);
    expect(JSON.stringify(res.body)).not.toContain("contactPhone");
  });

  it("is for the requester and staff in scope only", async () => {
    expect((await get(`/api/v1/needs/${id.need}/matches`, "residentA1")).status).toBe(200);
    expect((await get(`/api/v1/needs/${id.need}/matches`, "subdistrictAdminA")).status).toBe(200);
    expect((await get(`/api/v1/needs/${id.need}/matches`, "workerB1")).status).toBe(403);
    expect((await get(`/api/v1/needs/${id.need}/matches`, "neighbour")).status).toBe(403);
    expect((await get(`/api/v1/needs/${id.need}/matches`, "owner")).status).toBe(403);
    expect((await get(`/api/v1/needs/${id.need}/matches`)).status).toBe(401);
    expect((await get("/api/v1/needs/nope/matches", "workerA1")).status).toBe(404);
  });

  it("honours and checks limit", async () => {
    expect((await get(`/api/v1/needs/${id.need}/matches?limit=1`, "workerA1")).body.items).toHaveLength(1);
    for (const bad of ["0", "51", "abc", "1.5", "-1"]) {
      const res = await get(`/api/v1/needs/${id.need}/matches?limit=${bad}`, "workerA1");
      expect(res.status).toBe(400);
      expect(res.body.error.fields.limit).toEqual(expect.any(String));
    }
  });
});

describe("proposing, accepting, declining, withdrawing", () => {
  it("a worker proposes, the provider accepts: the need is MATCHED and both sides are told", async () => {
    const proposed = await propose("workerA1", "bath", { note: "老人周三上午在家" });
    expect(proposed.status).toBe(201);
    const match = proposed.body.match;
    expect(match).toMatchObject({ status: "PROPOSED", proposedBy: "STAFF", note: "老人周三上午在家" });
    expect(match.reasons).toContain("同类别");
    expect(match.actions).toEqual({ accept: false, decline: false, withdraw: true });
    // The provider's people hear of it.
    const invited = await db().notification.findMany({ where: { kind: "match.proposed" } });
    expect(invited.map((n) => n.userId).sort()).toEqual([id.owner, id.member].sort());
    // A second proposal for another service, withdrawn automatically on acceptance.
    const other = (await propose("workerA1", "meal")).body.match;

    // The provider cannot yet see the requester's contact details.
    expect((await get(`/api/v1/needs/${id.need}`, "member")).body.need.requester).toBeNull();
    const accepted = await post(`/api/v1/matches/${match.id}/accept`, "member");
    expect(accepted.status).toBe(200);
    expect(accepted.body.match).toMatchObject({ status: "ACCEPTED", statusLabel: "已接受" });

    const need = await db().need.findUniqueOrThrow({ where: { id: id.need } });
    expect(need.status).toBe("MATCHED");
    expect(need.matchedAt).toBeInstanceOf(Date);
    expect((await get(`/api/v1/matches/${other.id}`, "workerA1")).body.match.status).toBe("WITHDRAWN");
    // Now the provider of the accepted match sees whom to contact; another provider does not.
    const seen = (await get(`/api/v1/needs/${id.need}`, "member")).body.need;
    expect(seen.requester).toEqual({ name: expect.any(String), phone: expect.stringMatching(/^1\d{10}$/) });
    expect((await get(`/api/v1/needs/${id.need}`, "otherOwner")).body.need.requester).toBeNull();

    const told = await db().notification.findMany({
      where: { kind: { in: ["match.accepted", "need.matched"] } },
    });
    expect(told.map((n) => [n.kind, n.userId]).sort()).toEqual(
      [
        ["match.accepted", id.workerA1],
        ["need.matched", id.residentA1],
      ].sort(),
    );
    expect(await db().outboxEvent.count({ where: { aggregateId: id.need } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: "match.accept", targetId: match.id } })).toBe(1);

    // No second acceptance, no new proposals for a matched need.
    expect((await post(`/api/v1/matches/${match.id}/accept`, "owner")).status).toBe(409);
    expect((await propose("workerA1", "meal")).status).toBe(409);
    expect((await get(`/api/v1/needs/${id.need}/matches`, "workerA1")).body.items).toEqual([]);
  });

  it("the provider declines with a reason and the need stays open", async () => {
    const match = (await propose("workerA1")).body.match;
    expect((await post(`/api/v1/matches/${match.id}/decline`, "workerA1", {})).status).toBe(403);
    const declined = await post(`/api/v1/matches/${match.id}/decline`, "owner", { reason: "本周人手不足" });
    expect(declined.status).toBe(200);
    expect(declined.body.match).toMatchObject({ status: "DECLINED", declineReason: "本周人手不足" });
    expect((await db().need.findUniqueOrThrow({ where: { id: id.need } })).status).toBe("OPEN");
    const told = await db().notification.findFirstOrThrow({ where: { kind: "match.declined" } });
    expect(told.userId).toBe(id.workerA1);
    expect(told.body).toContain("本周人手不足");
    // A declined pair may be proposed again later.
    expect((await propose("workerA1")).status).toBe(201);
  });

  it("the proposing side withdraws; the other side cannot", async () => {
    const match = (await propose("workerA1")).body.match;
    expect((await post(`/api/v1/matches/${match.id}/withdraw`, "owner")).status).toBe(403);
    expect((await post(`/api/v1/matches/${match.id}/withdraw`, "subdistrictAdminA")).status).toBe(200);
    expect((await post(`/api/v1/matches/${match.id}/accept`, "owner")).status).toBe(409);
  });

  it("a provider offers its service and staff in scope confirm it", async () => {
    const offered = await propose("owner");
    expect(offered.status).toBe(201);
    const match = offered.body.match;
    expect(match).toMatchObject({ proposedBy: "PROVIDER", proposedByLabel: "机构主动接单" });
    expect(await db().notification.count({ where: { kind: "match.offered", userId: id.workerA1 } })).toBe(1);
    // The provider cannot accept its own offer; staff outside the need's community cannot either.
    expect((await post(`/api/v1/matches/${match.id}/accept`, "member")).status).toBe(403);
    expect((await post(`/api/v1/matches/${match.id}/accept`, "workerB1")).status).toBe(403);
    expect((await post(`/api/v1/matches/${match.id}/accept`, "workerA1")).status).toBe(200);
    expect((await db().need.findUniqueOrThrow({ where: { id: id.need } })).status).toBe("MATCHED");
    expect(await db().notification.count({ where: { kind: "match.accepted", userId: id.owner } })).toBe(1);
  });

  it("two acceptances for one need at once: exactly one wins", async () => {
    const first = (await propose("workerA1", "bath")).body.match;
    const second = (await propose("workerA1", "meal")).body.match;
    const results = await Promise.all([
      post(`/api/v1/matches/${first.id}/accept`, "owner"),
      post(`/api/v1/matches/${second.id}/accept`, "member"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await db().match.count({ where: { status: "ACCEPTED" } })).toBe(1);
  });
});

describe("refusals change nothing", () => {
  it.each([
    ["a worker of another community", "workerB1", "bath", 403],
    ["a resident", "neighbour", "bath", 403],
    ["another provider's owner", "otherOwner", "bath", 403],
    ["a draft service", "workerA1", "draft", 409],
    ["a service outside the subdistrict", "workerA1", "far", 400],
  ])("%s", async (_label, who, serviceKey, status) => {
    const before = await rowCounts();
    const res = await propose(who, serviceKey);
    expect(res.status).toBe(status);
    expect(await rowCounts()).toEqual(before);
  });

  it("refuses duplicates and unknown ids", async () => {
    expect((await propose("workerA1")).status).toBe(201);
    const before = await rowCounts();
    expect((await propose("workerA1")).status).toBe(409);
    expect(
      (await post("/api/v1/matches", "workerA1", { needId: "missing", serviceId: id.bath })).status,
    ).toBe(404);
    expect(
      (await post("/api/v1/matches", "workerA1", { needId: id.need, serviceId: "missing" })).status,
    ).toBe(404);
    expect((await post("/api/v1/matches/missing/accept", "owner")).status).toBe(404);
    expect((await post("/api/v1/matches", undefined, { needId: id.need, serviceId: id.bath })).status).toBe(
      401,
    );
    expect(await rowCounts()).toEqual(before);
  });

  it("answers garbage with clean errors, never a 500, and writes nothing", async () => {
    const before = await rowCounts();
    const requests = fc.oneof(
      fc.record({
        path: fc.constant("/api/v1/matches"),
        // Either id may be the real one, but not both: the real pair is a valid proposal, not garbage.
        body: fc
          .record({
            needId: garbageValue([id.need ?? ""]),
            serviceId: garbageValue([id.bath ?? ""]),
            note: garbageValue(),
          })
          .filter(({ needId, serviceId }) => needId !== id.need || serviceId !== id.bath),
      }),
      fc.record({
        path: fc.string({ maxLength: 30 }).map((seg) => `/api/v1/matches/${encodeURIComponent(seg)}/decline`),
        body: fc.record({ reason: garbageValue() }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        requests,
        fc.constantFrom("workerA1", "owner", "neighbour"),
        async ({ path, body }, who) => {
          const response = await server.request(path, { method: "POST", json: body, token: token[who] });
          await expectCleanAnswer(response);
          expect(response.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: propertyRuns(150) },
    );
    expect(await rowCounts()).toEqual(before);
  });
});

describe("the other direction", () => {
  it("shows a provider the open needs its services fit", async () => {
    const forService = await get(`/api/v1/services/${id.bath}/matches`, "member");
    expect(forService.status).toBe(200);
    expect(forService.body.items.map((i: { need: { id: string } }) => i.need.id)).toEqual([id.need]);
    expect(forService.body.items[0].reasons).toContain("同类别");
    // No personal data in a suggestion.
    expect(JSON.stringify(forService.body)).not.toMatch(/requester|phone/i);

    const forProvider = await get(`/api/v1/providers/${id.p}/suggested-needs`, "owner");
    expect(forProvider.status).toBe(200);
    expect(forProvider.body.items[0]).toMatchObject({ need: { id: id.need }, service: { id: id.bath } });

    expect((await get(`/api/v1/services/${id.bath}/matches`, "otherOwner")).status).toBe(403);
    expect((await get(`/api/v1/providers/${id.p}/suggested-needs`, "neighbour")).status).toBe(403);
    expect((await get(`/api/v1/services/${id.bath}/matches`, "workerA1")).status).toBe(200);
  });

  it("lists a need's and a provider's matches to those allowed", async () => {
    await propose("workerA1");
    expect((await get(`/api/v1/matches?needId=${id.need}`, "residentA1")).body.items).toHaveLength(1);
    expect((await get(`/api/v1/matches?providerId=${id.p}`, "member")).body.items).toHaveLength(1);
    expect((await get(`/api/v1/matches?providerId=${id.p}`, "otherOwner")).status).toBe(403);
    expect((await get(`/api/v1/matches?needId=${id.need}`, "neighbour")).status).toBe(403);
    expect((await get("/api/v1/matches", "workerA1")).status).toBe(400);
    expect((await get(`/api/v1/matches?needId=${id.need}&providerId=${id.p}`, "workerA1")).status).toBe(400);
  });
});
