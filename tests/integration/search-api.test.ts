import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { reindex } from "~/search/reindex.server";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { expectCleanAnswer, garbageFormValue } from "../setup/garbage";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// GET /api/v1/search: what each kind of reader finds, facets, paging, highlights, and bad input.

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
  const { a1, a2, b1 } = fx.communities;
  const member = await createResident(db(), a1.id);
  const p = await createProvider(db(), {
    name: "阳光助老服务社",
    communityIds: [a1.id],
    members: [{ userId: member.id }],
  });
  const m = await createProvider(db(), {
    name: "老张理发店",
    kind: "MERCHANT",
    communityIds: [a2.id, b1.id],
  });
  await createService(db(), {
    providerId: p.id,
    title: "上门助浴",
    description: "为失能老人上门助浴。",
    category: "elderly-care",
    communityIds: [a1.id],
  });
  await createService(db(), {
    providerId: p.id,
    title: "长者助餐",
    description: "中午送餐上门，老人吃得放心。",
    category: "elderly-care",
    funding: "GOVERNMENT_PURCHASED",
    communityIds: [a1.id, a2.id],
  });
  await createService(db(), {
    providerId: m.id,
    title: "老人上门理发",
    description: "行动不便的老人可预约上门理发。",
    category: "housekeeping",
    funding: "PAID",
    communityIds: [a2.id, b1.id],
  });
  const needA1 = await createNeed(db(), {
    requesterId: fx.users.residentA1.id,
    communityId: a1.id,
    title: "老人想找人上门理发",
    category: "housekeeping",
  });
  const closedA1 = await createNeed(db(), {
    requesterId: fx.users.residentA1.id,
    communityId: a1.id,
    title: "老人理发已经解决",
    category: "housekeeping",
    status: "CLOSED",
  });
  const residentB1 = await createResident(db(), b1.id);
  const needB1 = await createNeed(db(), {
    requesterId: residentB1.id,
    communityId: b1.id,
    title: "老人上门理发",
    category: "housekeeping",
  });
  await reindex(new PostgresSearchEngine(db()));
  Object.assign(id, { p: p.id, needA1: needA1.id, closedA1: closedA1.id, needB1: needB1.id });
  for (const [key, user] of Object.entries({ ...fx.users, member })) token[key] = await tokenFor(user.id);
});

const search = (query: string, who?: string) =>
  server.json(`/api/v1/search?${query}`, { token: who ? token[who] : undefined });
const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);

describe("services", () => {
  it("finds by words with highlights, facets over the whole result, and the engine's name", async () => {
    const res = await search(`q=${encodeURIComponent("老人 上门")}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 3, page: 1, pageSize: 20, engine: "postgres" });
    expect(res.body.tookMs).toEqual(expect.any(Number));
    expect(res.body.facets.category).toEqual({ "elderly-care": 2, housekeeping: 1 });
    expect(res.body.facets.funding).toEqual({ FREE: 1, GOVERNMENT_PURCHASED: 1, PAID: 1 });
    expect(res.body.facets.providerKind).toEqual({ SOCIAL_ORG: 2, MERCHANT: 1 });
    expect(res.body.facets.communityId).toEqual({
      [fx.communities.a1.id]: 2,
      [fx.communities.a2.id]: 2,
      [fx.communities.b1.id]: 1,
    });
    const haircut = res.body.items.find((i: { title: string }) => i.title === "老人上门理发");
    const marked = haircut.titleHighlights.map(([s, e]: [number, number]) => haircut.title.slice(s, e));
    expect(marked).toEqual(["老人", "上门"]);
  });

  it("filters by each facet and pages", async () => {
    expect((await search("q=老人&category=housekeeping")).body.total).toBe(1);
    expect((await search("funding=GOVERNMENT_PURCHASED")).body.items[0].title).toBe("长者助餐");
    expect((await search(`subdistrictId=${fx.subdistricts.b.id}`)).body.total).toBe(1);
    expect((await search("providerKind=MERCHANT")).body.total).toBe(1);
    const first = await search("pageSize=2&page=1");
    const second = await search("pageSize=2&page=2");
    expect(first.body.total).toBe(3);
    expect([...ids(first.body), ...ids(second.body)]).toHaveLength(3);
    expect(new Set([...ids(first.body), ...ids(second.body)]).size).toBe(3);
  });

  it("finds providers and (not yet indexed) activities", async () => {
    expect((await search("type=provider&q=理发")).body.items.map((i: { title: string }) => i.title)).toEqual([
      "老张理发店",
    ]);
    expect((await search("type=activity&q=理发")).body).toMatchObject({ items: [], total: 0 });
  });
});

describe("needs", () => {
  it("are for staff and providers only", async () => {
    expect((await search("type=need&q=理发")).status).toBe(401);
    const resident = await search("type=need&q=理发", "residentA1");
    expect(resident.status).toBe(403);
    expect(resident.body.error.message).toContain("工作人员");
  });

  it("staff find the needs of their reach, whatever their status", async () => {
    expect(ids((await search("type=need&q=理发", "workerA1")).body).sort()).toEqual(
      [id.closedA1, id.needA1].sort(),
    );
    // Asking for another community does not widen the reach.
    expect(ids((await search(`type=need&communityId=${fx.communities.b1.id}`, "workerA1")).body)).toEqual([]);
    expect(ids((await search("type=need&q=理发&status=OPEN", "workerA1")).body)).toEqual([id.needA1]);
    expect(ids((await search("type=need&q=理发", "districtAdmin")).body)).toHaveLength(3);
  });

  it("providers find the open needs of the communities they serve, without personal data", async () => {
    const res = await search("type=need&q=理发", "member");
    expect(ids(res.body)).toEqual([id.needA1]);
    expect(res.body.facets.status).toEqual({ OPEN: 1 });
    const requester = await db().user.findUniqueOrThrow({ where: { id: fx.users.residentA1.id } });
    expect(JSON.stringify(res.body)).not.toContain(requester.phone);
    expect(JSON.stringify(res.body)).not.toContain(requester.name);
  });
});

describe("bad input", () => {
  it("names the field", async () => {
    const long = await search(`q=${"助".repeat(101)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.fields.q).toContain("100");
    expect((await search("type=events")).body.error.fields.type).toEqual(expect.any(String));
    expect((await search("category=spa")).body.error.fields.category).toEqual(expect.any(String));
    expect((await search("pageSize=1000")).body.error.fields.pageSize).toEqual(expect.any(String));
  });

  it("never answers garbage query strings with a 500 or a leak", async () => {
    const query = fc.dictionary(
      fc.constantFrom(
        "q",
        "type",
        "category",
        "subdistrictId",
        "communityId",
        "funding",
        "providerKind",
        "status",
        "page",
        "pageSize",
      ),
      garbageFormValue(["need", "service", "OPEN", "elderly-care"]),
      { maxKeys: 5 },
    );
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom(undefined, "workerA1", "member"), async (params, who) => {
        const response = await server.request(`/api/v1/search?${new URLSearchParams(params)}`, {
          token: who ? token[who] : undefined,
        });
        await expectCleanAnswer(response);
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});
