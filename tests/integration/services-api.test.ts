import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, createUser, type TerritoryFixture } from "../../prisma/factories";
import { createProvider, createService } from "../../prisma/factories/marketplace";
import { keptFixture } from "../setup/kept-fixtures";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The service catalog's API: who may create, edit, publish and archive; what the public sees;
// browsing filters and paging; and that every change is audited and announced with a new version.

let server: TestServer;
let fx: TerritoryFixture;
let people: Awaited<ReturnType<typeof createPeople>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
/** The territory and the people: made once, put back from their rows for every test. */
const world = keptFixture(async () => {
  fx = await createTerritoryFixture(db());
  return { fx, people: await createPeople() };
});
beforeEach(async () => {
  ({ fx, people } = await world());
});

/** Provider A (approved, serving a1 and a2) with an owner and a member; provider B (approved,
 * serving b1) with its own owner; a worker of b1 (outside A's area) and a plain resident. */
async function createPeople() {
  const owner = await createUser(db());
  const member = await createUser(db());
  const ownerB = await createUser(db());
  const workerB1 = await createUser(db(), {
    roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
  });
  const providerA = await createProvider(db(), {
    communityIds: [fx.communities.a1.id, fx.communities.a2.id],
    members: [{ userId: owner.id }, { userId: member.id, role: "MEMBER" }],
  });
  const providerB = await createProvider(db(), {
    kind: "MERCHANT",
    communityIds: [fx.communities.b1.id],
    members: [{ userId: ownerB.id }],
  });
  const tokens = {
    owner: await tokenFor(owner.id),
    member: await tokenFor(member.id),
    ownerB: await tokenFor(ownerB.id),
    workerB1: await tokenFor(workerB1.id),
    workerA1: await tokenFor(fx.users.workerA1.id),
    subdistrictAdminA: await tokenFor(fx.users.subdistrictAdminA.id),
    districtAdmin: await tokenFor(fx.users.districtAdmin.id),
    resident: await tokenFor(fx.users.residentA1.id),
  };
  return { owner, member, providerA, providerB, tokens };
}

const input = (overrides: Record<string, unknown> = {}) => ({
  providerId: people.providerA.id,
  title: "老年人助浴上门服务",
  description: "每周二、周四上门为行动不便的老人助浴，需提前一天预约。",
  category: "elderly-care",
  communityIds: [fx.communities.a1.id],
  funding: "FREE",
  ...overrides,
});

const serviceOf = (providerId: string, overrides: Partial<Parameters<typeof createService>[1]> = {}) =>
  createService(db(), { providerId, communityIds: [fx.communities.a1.id], ...overrides });

async function writes() {
  const [services, links, audits, outbox] = await Promise.all([
    db().service.count(),
    db().serviceCommunity.count(),
    db().auditLog.count(),
    db().outboxEvent.count(),
  ]);
  return { services, links, audits, outbox };
}
const NOTHING = { services: 0, links: 0, audits: 0, outbox: 0 };

async function outboxVersions(serviceId: string) {
  const rows = await db().outboxEvent.findMany({
    where: { aggregateType: "Service", aggregateId: serviceId },
    orderBy: { id: "asc" },
  });
  for (const row of rows) expect(row.topic).toBe("service.changed");
  return rows.map((row) => row.version);
}

async function auditActions(serviceId: string) {
  const rows = await db().auditLog.findMany({
    where: { targetType: "Service", targetId: serviceId },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => row.action);
}

describe("POST /api/v1/services", () => {
  it("lets the owner publish a service: 201, stored with its communities, audited, announced", async () => {
    const res = await server.json("/api/v1/services", {
      token: people.tokens.owner,
      json: input({ communityIds: [fx.communities.a1.id, fx.communities.a2.id], capacityPerWeek: 20 }),
    });
    expect(res.status).toBe(201);
    const { service, provider } = res.body;
    expect(service).toMatchObject({
      providerId: people.providerA.id,
      title: "老年人助浴上门服务",
      category: "elderly-care",
      categoryName: "养老助老",
      funding: "FREE",
      priceFen: null,
      capacityPerWeek: 20,
      status: "PUBLISHED",
      version: 1,
      archivedAt: null,
    });
    expect(service.communityIds.sort()).toEqual([fx.communities.a1.id, fx.communities.a2.id].sort());
    expect(service.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(provider).toEqual({
      id: people.providerA.id,
      name: people.providerA.name,
      kind: "SOCIAL_ORG",
      status: "APPROVED",
      businessPhone: null,
    });

    const row = await db().service.findUniqueOrThrow({
      where: { id: service.id },
      include: { communities: true },
    });
    expect(row.status).toBe("PUBLISHED");
    expect(row.communities).toHaveLength(2);
    expect(await auditActions(service.id)).toEqual(["service.create"]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: service.id } });
    expect(audit.actorId).toBe(people.owner.id);
    expect(audit.data).toEqual({
      providerId: people.providerA.id,
      status: "PUBLISHED",
      category: "elderly-care",
      funding: "FREE",
    });
    expect(await outboxVersions(service.id)).toEqual([1]);
  });

  it("lets a member save a paid draft", async () => {
    const res = await server.json("/api/v1/services", {
      token: people.tokens.member,
      json: input({ funding: "PAID", priceFen: 5000, status: "DRAFT" }),
    });
    expect(res.status).toBe(201);
    expect(res.body.service).toMatchObject({
      status: "DRAFT",
      funding: "PAID",
      priceFen: 5000,
      publishedAt: null,
    });
  });

  it("answers 401 without a token and 403 to people who do not act for the provider", async () => {
    expect((await server.json("/api/v1/services", { json: input() })).status).toBe(401);
    for (const token of [
      people.tokens.resident,
      people.tokens.ownerB,
      people.tokens.workerA1,
      people.tokens.districtAdmin,
    ]) {
      const res = await server.json("/api/v1/services", { token, json: input() });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("FORBIDDEN");
    }
    expect(await writes()).toEqual(NOTHING);
  });

  it.each([
    [
      "an unknown provider",
      () => ({ providerId: "ckunknownprovider000000001" }),
      "providerId",
      "所选机构不存在",
    ],
    [
      "a community outside its area",
      () => ({ communityIds: [fx.communities.b1.id] }),
      "communityIds",
      "只能选择本机构服务的社区",
    ],
    ["no community", () => ({ communityIds: [] }), "communityIds", "请至少选择一个服务社区"],
    ["PAID without a price", () => ({ funding: "PAID" }), "priceFen", "收费服务请填写价格"],
    ["FREE with a price", () => ({ funding: "FREE", priceFen: 100 }), "priceFen", "不填写价格"],
    [
      "GOVERNMENT_PURCHASED with a price",
      () => ({ funding: "GOVERNMENT_PURCHASED", priceFen: 100 }),
      "priceFen",
      "不填写价格",
    ],
    ["a zero price", () => ({ funding: "PAID", priceFen: 0 }), "priceFen", "大于0"],
    ["a price over 100000 yuan", () => ({ funding: "PAID", priceFen: 10_000_001 }), "priceFen", "不能超过"],
    ["a capacity of 0", () => ({ capacityPerWeek: 0 }), "capacityPerWeek", "至少为1"],
    ["a capacity over 10000", () => ({ capacityPerWeek: 10_001 }), "capacityPerWeek", "不能超过"],
    ["an unknown category", () => ({ category: "cooking" }), "category", "请选择服务类别"],
    ["an empty title", () => ({ title: "" }), "title", "请填写服务名称"],
    ["status ARCHIVED", () => ({ status: "ARCHIVED" }), "status", "DRAFT"],
  ])("refuses %s with 400 and a field error, writing nothing", async (_, overrides, field, message) => {
    const res = await server.json("/api/v1/services", {
      token: people.tokens.owner,
      json: input(overrides()),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION");
    expect(res.body.error.fields[field]).toContain(message);
    expect(await writes()).toEqual(NOTHING);
  });

  it("refuses a mix of served and unserved communities as a whole", async () => {
    const res = await server.json("/api/v1/services", {
      token: people.tokens.owner,
      json: input({ communityIds: [fx.communities.a1.id, fx.communities.b2.id] }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.communityIds).toBe("只能选择本机构服务的社区");
    expect(await writes()).toEqual(NOTHING);
  });

  it.each([
    ["{not json", "请求体不是合法的 JSON"],
    ["", "请求体不能为空，请发送 JSON"],
    ["[1,2]", "请求内容应为一个对象"],
    ["null", "请求内容应为一个对象"],
  ])("answers 400 to the body %j", async (body, message) => {
    const res = await server.request("/api/v1/services", {
      method: "POST",
      body,
      token: people.tokens.owner,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    const payload = await res.json();
    expect(payload.error.code).toBe("VALIDATION");
    expect(payload.error.message).toBe(message);
    expect(await writes()).toEqual(NOTHING);
  });

  it("answers 405 to other methods", async () => {
    const res = await server.json("/api/v1/services", {
      method: "PUT",
      token: people.tokens.owner,
      json: input(),
    });
    expect(res.status).toBe(405);
  });
});

describe("GET /api/v1/services/:id", () => {
  it("shows a published service of an approved provider to anyone, without contact details", async () => {
    const service = await serviceOf(people.providerA.id, { funding: "PAID", priceFen: 5000 });
    const res = await server.json(`/api/v1/services/${service.id}`);
    expect(res.status).toBe(200);
    expect(res.body.service).toMatchObject({
      id: service.id,
      funding: "PAID",
      priceFen: 5000,
      status: "PUBLISHED",
    });
    expect(res.body.service.communities).toEqual([
      {
        id: fx.communities.a1.id,
        name: fx.communities.a1.name,
        subdistrictId: fx.subdistricts.a.id,
        subdistrictName: fx.subdistricts.a.name,
      },
    ]);
    // The business phone is the only contact, given to be public (ADR 0030).
    expect(Object.keys(res.body.provider).sort()).toEqual(["businessPhone", "id", "kind", "name", "status"]);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(people.providerA.contactPhone);
    expect(text).not.toContain(people.providerA.uscc);
  });

  it("hides drafts and archived services from the public and strangers, not from the provider or staff in scope", async () => {
    for (const status of ["DRAFT", "ARCHIVED"] as const) {
      const service = await serviceOf(people.providerA.id, { status });
      const path = `/api/v1/services/${service.id}`;
      expect((await server.json(path)).status).toBe(404);
      for (const token of [people.tokens.resident, people.tokens.ownerB, people.tokens.workerB1]) {
        const res = await server.json(path, { token });
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe("NOT_FOUND");
      }
      for (const token of [
        people.tokens.owner,
        people.tokens.member,
        people.tokens.workerA1,
        people.tokens.districtAdmin,
      ]) {
        const res = await server.json(path, { token });
        expect(res.status).toBe(200);
        expect(res.body.service.status).toBe(status);
      }
    }
  });

  it.each(["PENDING", "SUSPENDED", "REJECTED"] as const)(
    "keeps a %s provider's published service from the public and out of browse",
    async (status) => {
      await db().provider.update({ where: { id: people.providerA.id }, data: { status } });
      const service = await serviceOf(people.providerA.id);
      expect((await server.json(`/api/v1/services/${service.id}`)).status).toBe(404);
      expect(
        (await server.json(`/api/v1/services/${service.id}`, { token: people.tokens.resident })).status,
      ).toBe(404);
      const own = await server.json(`/api/v1/services/${service.id}`, { token: people.tokens.owner });
      expect(own.status).toBe(200);
      expect(own.body.provider.status).toBe(status);
      const browse = await server.json("/api/v1/services");
      expect(browse.body.total).toBe(0);
    },
  );

  it("answers 404 for unknown and malformed ids", async () => {
    for (const id of ["ckunknown0000000000000000", "%00", "%F0%9F%A7%93", "x'%20OR%201=1"]) {
      const res = await server.json(`/api/v1/services/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
  });
});

describe("PATCH /api/v1/services/:id", () => {
  it("changes only what is sent, bumps the version, audits and announces", async () => {
    const service = await serviceOf(people.providerA.id, { capacityPerWeek: 10 });
    const res = await server.json(`/api/v1/services/${service.id}`, {
      method: "PATCH",
      token: people.tokens.member,
      json: { title: "助浴服务（新版）", communityIds: [fx.communities.a2.id] },
    });
    expect(res.status).toBe(200);
    expect(res.body.service).toMatchObject({
      title: "助浴服务（新版）",
      description: service.description,
      capacityPerWeek: 10,
      communityIds: [fx.communities.a2.id],
      version: 2,
      status: "PUBLISHED",
    });
    const links = await db().serviceCommunity.findMany({ where: { serviceId: service.id } });
    expect(links.map((link) => link.communityId)).toEqual([fx.communities.a2.id]);
    expect(await auditActions(service.id)).toEqual(["service.update"]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: service.id } });
    expect(audit.data).toEqual({ fields: ["title", "communityIds"] });
    expect(await outboxVersions(service.id)).toEqual([2]);
  });

  it("applies the funding rules to the merged result", async () => {
    const service = await serviceOf(people.providerA.id);
    const patch = (json: unknown) =>
      server.json(`/api/v1/services/${service.id}`, { method: "PATCH", token: people.tokens.owner, json });

    const noPrice = await patch({ funding: "PAID" });
    expect(noPrice.status).toBe(400);
    expect(noPrice.body.error.fields.priceFen).toBe("收费服务请填写价格");

    const paid = await patch({ funding: "PAID", priceFen: 3000 });
    expect(paid.status).toBe(200);
    expect(paid.body.service).toMatchObject({ funding: "PAID", priceFen: 3000, version: 2 });

    const priceOnly = await patch({ priceFen: 3500 });
    expect(priceOnly.body.service).toMatchObject({ funding: "PAID", priceFen: 3500, version: 3 });

    const freeWithPrice = await patch({ funding: "FREE", priceFen: 100 });
    expect(freeWithPrice.status).toBe(400);
    expect(freeWithPrice.body.error.fields.priceFen).toContain("不填写价格");

    const priceOnFree = await patch({ funding: "FREE" });
    expect(priceOnFree.status).toBe(200);
    expect(priceOnFree.body.service).toMatchObject({ funding: "FREE", priceFen: null, version: 4 });

    const strayPrice = await patch({ priceFen: 100 });
    expect(strayPrice.status).toBe(400);
    expect(strayPrice.body.error.fields.priceFen).toContain("不填写价格");

    const clear = await patch({ capacityPerWeek: null });
    expect(clear.body.service).toMatchObject({ capacityPerWeek: null, version: 5 });
    expect(await outboxVersions(service.id)).toEqual([2, 3, 4, 5]);
  });

  it("refuses communities outside the provider's area and an empty patch", async () => {
    const service = await serviceOf(people.providerA.id);
    const before = await writes();
    const foreign = await server.json(`/api/v1/services/${service.id}`, {
      method: "PATCH",
      token: people.tokens.owner,
      json: { communityIds: [fx.communities.b1.id] },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields.communityIds).toBe("只能选择本机构服务的社区");
    const empty = await server.json(`/api/v1/services/${service.id}`, {
      method: "PATCH",
      token: people.tokens.owner,
      json: {},
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields._).toBe("没有要修改的内容");
    expect(await writes()).toEqual(before);
    expect((await db().service.findUniqueOrThrow({ where: { id: service.id } })).version).toBe(1);
  });

  it("answers 401, 403, 404, 409 and 400 (malformed JSON) as the contract says", async () => {
    const service = await serviceOf(people.providerA.id);
    const archived = await serviceOf(people.providerA.id, { status: "ARCHIVED" });
    const path = `/api/v1/services/${service.id}`;
    const json = { title: "改个名字" };
    expect((await server.json(path, { method: "PATCH", json })).status).toBe(401);
    for (const token of [people.tokens.ownerB, people.tokens.resident, people.tokens.workerA1]) {
      expect((await server.json(path, { method: "PATCH", token, json })).status).toBe(403);
    }
    const unknown = await server.json("/api/v1/services/ckunknown0000000000000000", {
      method: "PATCH",
      token: people.tokens.owner,
      json,
    });
    expect(unknown.status).toBe(404);
    const gone = await server.json(`/api/v1/services/${archived.id}`, {
      method: "PATCH",
      token: people.tokens.owner,
      json,
    });
    expect(gone.status).toBe(409);
    expect(gone.body.error.code).toBe("CONFLICT");
    const malformed = await server.request(path, {
      method: "PATCH",
      body: '{"title": ',
      token: people.tokens.owner,
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect((await server.json(path, { method: "DELETE", token: people.tokens.owner })).status).toBe(405);
    expect(await db().auditLog.count()).toBe(0);
    expect(await db().outboxEvent.count()).toBe(0);
  });
});

describe("POST /api/v1/services/:id/publish", () => {
  it("publishes a draft once; publishing again or an archived service is a conflict", async () => {
    const draft = await serviceOf(people.providerA.id, { status: "DRAFT" });
    const res = await server.json(`/api/v1/services/${draft.id}/publish`, {
      method: "POST",
      token: people.tokens.member,
    });
    expect(res.status).toBe(200);
    expect(res.body.service).toMatchObject({ status: "PUBLISHED", version: 2 });
    expect(res.body.service.publishedAt).toEqual(expect.any(String));
    expect(await auditActions(draft.id)).toEqual(["service.publish"]);
    expect(await outboxVersions(draft.id)).toEqual([2]);
    expect((await server.json(`/api/v1/services/${draft.id}`)).status).toBe(200);

    const again = await server.json(`/api/v1/services/${draft.id}/publish`, {
      method: "POST",
      token: people.tokens.owner,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe("该服务已经发布");

    const archived = await serviceOf(people.providerA.id, { status: "ARCHIVED" });
    const revive = await server.json(`/api/v1/services/${archived.id}/publish`, {
      method: "POST",
      token: people.tokens.owner,
    });
    expect(revive.status).toBe(409);
    expect(revive.body.error.message).toBe("已下架的服务不能再发布");
    expect(await outboxVersions(archived.id)).toEqual([]);
  });

  it("answers 401 / 403 / 404 and 405 for GET", async () => {
    const draft = await serviceOf(people.providerA.id, { status: "DRAFT" });
    const path = `/api/v1/services/${draft.id}/publish`;
    expect((await server.json(path, { method: "POST" })).status).toBe(401);
    for (const token of [people.tokens.ownerB, people.tokens.subdistrictAdminA]) {
      expect((await server.json(path, { method: "POST", token })).status).toBe(403);
    }
    const unknown = await server.json("/api/v1/services/ckunknown0000000000000000/publish", {
      method: "POST",
      token: people.tokens.owner,
    });
    expect(unknown.status).toBe(404);
    expect((await server.json(path, { token: people.tokens.owner })).status).toBe(405);
    expect((await db().service.findUniqueOrThrow({ where: { id: draft.id } })).status).toBe("DRAFT");
  });
});

describe("POST /api/v1/services/:id/archive", () => {
  it("lets the provider archive once; then the public no longer sees it", async () => {
    const service = await serviceOf(people.providerA.id);
    const res = await server.json(`/api/v1/services/${service.id}/archive`, {
      method: "POST",
      token: people.tokens.owner,
    });
    expect(res.status).toBe(200);
    expect(res.body.service).toMatchObject({ status: "ARCHIVED", version: 2 });
    expect(res.body.service.archivedAt).toEqual(expect.any(String));
    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: service.id } });
    expect(audit).toMatchObject({
      action: "service.archive",
      actorId: people.owner.id,
      data: { byStaff: false },
    });
    expect(await outboxVersions(service.id)).toEqual([2]);
    expect((await server.json(`/api/v1/services/${service.id}`)).status).toBe(404);

    const again = await server.json(`/api/v1/services/${service.id}/archive`, {
      method: "POST",
      token: people.tokens.owner,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe("该服务已经下架");
  });

  it("lets staff whose scope covers one of its communities archive it", async () => {
    for (const [who, token] of [
      ["worker", people.tokens.workerA1],
      ["subdistrict admin", people.tokens.subdistrictAdminA],
      ["district admin", people.tokens.districtAdmin],
    ] as const) {
      const service = await serviceOf(people.providerA.id);
      const res = await server.json(`/api/v1/services/${service.id}/archive`, { method: "POST", token });
      expect(res.status, who).toBe(200);
      const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: service.id } });
      expect(audit.data).toEqual({ byStaff: true });
    }
  });

  it("answers 403 to staff outside its communities, other providers and strangers; 401 and 404", async () => {
    // Served in a2 only: the worker of a1 is outside too.
    const service = await serviceOf(people.providerA.id, { communityIds: [fx.communities.a2.id] });
    const path = `/api/v1/services/${service.id}/archive`;
    for (const token of [
      people.tokens.workerA1,
      people.tokens.workerB1,
      people.tokens.ownerB,
      people.tokens.resident,
    ]) {
      const res = await server.json(path, { method: "POST", token });
      expect(res.status).toBe(403);
    }
    expect((await server.json(path, { method: "POST" })).status).toBe(401);
    const unknown = await server.json("/api/v1/services/ckunknown0000000000000000/archive", {
      method: "POST",
      token: people.tokens.districtAdmin,
    });
    expect(unknown.status).toBe(404);
    expect((await db().service.findUniqueOrThrow({ where: { id: service.id } })).status).toBe("PUBLISHED");
    expect(await db().auditLog.count()).toBe(0);
  });
});

describe("GET /api/v1/services (browse)", () => {
  /** A spread of services; publishedAt set apart so "newest first" is well defined. */
  async function catalog() {
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 8, minutes));
    const make = async (
      name: string,
      minutes: number,
      values: Partial<Parameters<typeof createService>[1]> & { providerId: string },
    ) => {
      const service = await createService(db(), {
        communityIds: [fx.communities.a1.id],
        title: name,
        ...values,
      });
      await db().service.update({ where: { id: service.id }, data: { publishedAt: at(minutes) } });
      return service;
    };
    const a = people.providerA.id;
    const b = people.providerB.id;
    const pending = await createProvider(db(), { status: "PENDING", communityIds: [fx.communities.a1.id] });
    return {
      care: await make("助浴", 1, { providerId: a, category: "elderly-care" }),
      legal: await make("法律咨询", 2, {
        providerId: a,
        category: "legal",
        funding: "GOVERNMENT_PURCHASED",
        communityIds: [fx.communities.a2.id],
      }),
      repair: await make("家电维修", 3, {
        providerId: b,
        category: "housekeeping",
        funding: "PAID",
        priceFen: 8000,
        communityIds: [fx.communities.b1.id],
      }),
      tutoring: await make("课后辅导", 4, {
        providerId: b,
        category: "education",
        funding: "PAID",
        priceFen: 3000,
        communityIds: [fx.communities.b1.id],
      }),
      draft: await make("草稿", 5, { providerId: a, status: "DRAFT" }),
      archived: await make("已下架", 6, { providerId: a, status: "ARCHIVED" }),
      hidden: await make("待审机构的服务", 7, { providerId: pending.id }),
    };
  }

  const titles = (body: { items: { title: string }[] }) => body.items.map((item) => item.title);

  it("lists published services of approved providers, newest first, in the paging envelope", async () => {
    await catalog();
    const res = await server.json("/api/v1/services");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 4, page: 1, pageSize: 20 });
    expect(titles(res.body)).toEqual(["课后辅导", "家电维修", "法律咨询", "助浴"]);
    expect(res.body.items[0].provider).toEqual({
      id: people.providerB.id,
      name: people.providerB.name,
      kind: "MERCHANT",
      status: "APPROVED",
      businessPhone: null,
    });
    expect(JSON.stringify(res.body)).not.toContain(people.providerB.contactPhone);
  });

  it.each([
    ["category=legal", ["法律咨询"]],
    ["funding=PAID", ["课后辅导", "家电维修"]],
    ["funding=GOVERNMENT_PURCHASED", ["法律咨询"]],
    ["providerKind=MERCHANT", ["课后辅导", "家电维修"]],
    ["providerKind=SOCIAL_ORG", ["法律咨询", "助浴"]],
    ["communityId=A2", ["法律咨询"]],
    ["subdistrictId=A", ["法律咨询", "助浴"]],
    ["subdistrictId=B", ["课后辅导", "家电维修"]],
    ["subdistrictId=A&funding=FREE", ["助浴"]],
    ["subdistrictId=B&communityId=A2", []],
    [
      "category=&funding=&providerKind=&subdistrictId=&communityId=",
      ["课后辅导", "家电维修", "法律咨询", "助浴"],
    ],
  ])("?%s narrows the list", async (query, expected) => {
    await catalog();
    const resolved = query
      .replace("communityId=A2", `communityId=${fx.communities.a2.id}`)
      .replace("subdistrictId=A", `subdistrictId=${fx.subdistricts.a.id}`)
      .replace("subdistrictId=B", `subdistrictId=${fx.subdistricts.b.id}`);
    const res = await server.json(`/api/v1/services?${resolved}`);
    expect(res.status).toBe(200);
    expect(titles(res.body)).toEqual(expected);
    expect(res.body.total).toBe(expected.length);
  });

  it("pages through the results", async () => {
    await catalog();
    const first = await server.json("/api/v1/services?pageSize=3");
    expect(first.body).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(titles(first.body)).toEqual(["课后辅导", "家电维修", "法律咨询"]);
    const second = await server.json("/api/v1/services?pageSize=3&page=2");
    expect(second.body).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(titles(second.body)).toEqual(["助浴"]);
    const beyond = await server.json("/api/v1/services?pageSize=3&page=9");
    expect(beyond.body).toMatchObject({ total: 4, page: 9, items: [] });
  });

  it.each([
    ["pageSize=101", "pageSize"],
    ["page=0", "page"],
    ["category=cooking", "category"],
    ["funding=CHEAP", "funding"],
    ["providerKind=GOV", "providerKind"],
    ["communityId=%00", "communityId"],
  ])("answers 400 to ?%s", async (query, field) => {
    const res = await server.json(`/api/v1/services?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields[field]).toEqual(expect.any(String));
  });
});

describe("GET /api/v1/categories", () => {
  it("lists the fixed categories with their Chinese names", async () => {
    const res = await server.json("/api/v1/categories");
    expect(res.status).toBe(200);
    expect(res.body.categories).toHaveLength(12);
    expect(res.body.categories).toContainEqual({ code: "elderly-care", name: "养老助老" });
    expect(res.body.categories).toContainEqual({ code: "mental-health", name: "心理健康" });
    expect(res.body.categories.at(-1)).toEqual({ code: "other", name: "其他" });
    expect((await server.json("/api/v1/categories", { method: "POST", json: {} })).status).toBe(405);
  });
});

describe("the OpenAPI document", () => {
  it("describes the service endpoints with their bodies and query parameters", async () => {
    const { body: doc } = await server.json("/api/v1/openapi.json");
    const create = doc.paths["/api/v1/services"].post;
    expect(create.requestBody.content["application/json"].schema.required.sort()).toEqual(
      ["category", "communityIds", "description", "funding", "providerId", "title"].sort(),
    );
    expect(create.security).toEqual([{ bearer: [] }]);
    const browse = doc.paths["/api/v1/services"].get;
    expect(browse.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      ["category", "communityId", "funding", "page", "pageSize", "providerKind", "subdistrictId"].sort(),
    );
    expect(doc.paths["/api/v1/services/{id}"].patch.parameters[0]).toMatchObject({ name: "id", in: "path" });
    expect(Object.keys(doc.paths["/api/v1/services/{id}/archive"])).toEqual(["post"]);
    expect(Object.keys(doc.paths["/api/v1/services/{id}/publish"])).toEqual(["post"]);
    expect(doc.paths["/api/v1/categories"].get.security).toBeUndefined();
  });
});
