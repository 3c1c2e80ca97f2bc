import type { ProviderStatus } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createProvider, createService, makeUscc } from "../../prisma/factories/marketplace";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Provider onboarding (入驻) through the JSON API: apply, review, re-apply, suspend and restore,
// members; who may do what where; masking; audit and outbox rows written with every change.

let server: TestServer;
let fx: TerritoryFixture;
let token: {
  resident: string;
  worker: string;
  subdistrictAdmin: string;
  districtAdmin: string;
  workerB1: string;
  subdistrictAdminB: string;
};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const workerB1 = await createUser(db(), {
    roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
  });
  const adminB = await createUser(db(), {
    roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: fx.subdistricts.b.id }],
  });
  token = {
    resident: await tokenFor(fx.users.residentA1.id),
    worker: await tokenFor(fx.users.workerA1.id),
    subdistrictAdmin: await tokenFor(fx.users.subdistrictAdminA.id),
    districtAdmin: await tokenFor(fx.users.districtAdmin.id),
    workerB1: await tokenFor(workerB1.id),
    subdistrictAdminB: await tokenFor(adminB.id),
  };
});

const REAL_USCC = "53100000500021676K";

const application = (overrides: Record<string, unknown> = {}) => ({
  kind: "SOCIAL_ORG",
  name: "幸福社工服务中心",
  uscc: REAL_USCC.toLowerCase(),
  contactName: "张敏",
  contactPhone: "13912345678",
  address: "幸福路12号3楼",
  description: "为社区老人提供上门探访和助餐服务。",
  communityIds: [fx.communities.a1.id],
  ...overrides,
});

const apply = (overrides: Record<string, unknown> = {}, as = token.resident) =>
  server.json("/api/v1/providers", { json: application(overrides), token: as });

/** A provider owned by residentA1, serving the given communities (A1 by default). */
const ownedProvider = (
  values: { status?: ProviderStatus; communityIds?: string[]; statusReason?: string } = {},
) =>
  createProvider(db(), {
    communityIds: values.communityIds ?? [fx.communities.a1.id],
    status: values.status ?? "PENDING",
    statusReason: values.statusReason ?? null,
    contactPhone: "13912345678",
    members: [{ userId: fx.users.residentA1.id }],
  });

const review = (id: string, body: unknown, as: string) =>
  server.json(`/api/v1/providers/${id}/review`, { json: body, token: as });

async function expectUnchanged(id: string, status: ProviderStatus, version = 1) {
  const row = await db().provider.findUniqueOrThrow({ where: { id } });
  expect(row.status).toBe(status);
  expect(row.version).toBe(version);
  expect(await db().outboxEvent.count({ where: { aggregateId: id } })).toBe(0);
  expect(await db().auditLog.count({ where: { targetId: id } })).toBe(0);
}

/** Nothing of a rejected application may be left behind. */
async function expectNoProvider() {
  expect(await db().provider.count()).toBe(0);
  expect(await db().providerMember.count()).toBe(0);
  expect(await db().providerCommunity.count()).toBe(0);
  expect(await db().auditLog.count()).toBe(0);
  expect(await db().outboxEvent.count()).toBe(0);
}

describe("POST /api/v1/providers", () => {
  it("files a pending application, makes the caller its owner, and writes audit and outbox rows", async () => {
    const res = await apply();
    expect(res.status).toBe(201);
    const provider = res.body.provider;
    expect(provider).toMatchObject({
      kind: "SOCIAL_ORG",
      name: "幸福社工服务中心",
      uscc: REAL_USCC,
      status: "PENDING",
      statusReason: null,
      reviewedAt: null,
      contactPhone: "13912345678",
      contactPhoneMasked: "139****5678",
      version: 1,
      services: [],
      communities: [
        {
          id: fx.communities.a1.id,
          name: fx.communities.a1.name,
          subdistrictId: fx.subdistricts.a.id,
          subdistrictName: fx.subdistricts.a.name,
        },
      ],
      members: [{ userId: fx.users.residentA1.id, name: fx.users.residentA1.name, role: "OWNER" }],
    });
    expect(new Date(provider.submittedAt).getTime()).not.toBeNaN();

    const members = await db().providerMember.findMany({ where: { providerId: provider.id } });
    expect(members.map((m) => [m.userId, m.role])).toEqual([[fx.users.residentA1.id, "OWNER"]]);
    const audit = await db().auditLog.findMany({ where: { targetId: provider.id } });
    expect(audit).toMatchObject([
      {
        actorId: fx.users.residentA1.id,
        action: "provider.apply",
        targetType: "Provider",
        data: { role: "OWNER", from: null, to: "PENDING", communities: 1 },
      },
    ]);
    // Audit entries carry ids and codes only.
    expect(JSON.stringify(audit)).not.toContain("13912345678");
    expect(JSON.stringify(audit)).not.toContain("幸福");
    const outbox = await db().outboxEvent.findMany({ where: { aggregateId: provider.id } });
    expect(outbox).toMatchObject([{ topic: "provider.changed", aggregateType: "Provider", version: 1 }]);
  });

  it("serves every community of a chosen subdistrict as well as single communities", async () => {
    const res = await apply({
      communityIds: [fx.communities.b1.id, fx.communities.b1.id],
      subdistrictIds: [fx.subdistricts.a.id],
    });
    expect(res.status).toBe(201);
    const ids = res.body.provider.communities.map((c: { id: string }) => c.id).sort();
    expect(ids).toEqual([fx.communities.a1.id, fx.communities.a2.id, fx.communities.b1.id].sort());
  });

  it("answers 401 without a token and writes nothing", async () => {
    const res = await server.json("/api/v1/providers", { json: application() });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHENTICATED");
    await expectNoProvider();
  });

  it.each([
    ["5310000050002167", "统一社会信用代码应为18位，您输入了16位"],
    ["53100000500021676O", "第18位“O”不是有效字符（只用数字和除 I、O、Z、S、V 以外的大写字母）"],
    ["53100000500021677K", "校验位不正确，请逐位核对营业执照或登记证书上的代码"],
  ])("rejects the USCC %s with the failing rule on fields.uscc", async (uscc, message) => {
    const res = await apply({ uscc });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "VALIDATION", fields: { uscc: message } });
    await expectNoProvider();
  });

  it("answers 400 with a Chinese message for each missing field", async () => {
    const res = await server.json("/api/v1/providers", { json: {}, token: token.resident });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(
      [
        "address",
        "communityIds",
        "contactName",
        "contactPhone",
        "description",
        "kind",
        "name",
        "uscc",
      ].sort(),
    );
    expect(res.body.error.fields.communityIds).toBe("请至少选择一个服务的社区或街道");
    await expectNoProvider();
  });

  it("refuses communities and subdistricts that do not exist", async () => {
    const res = await apply({
      communityIds: [fx.communities.a1.id, "nosuchcommunity"],
      subdistrictIds: ["nosuchsd"],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      communityIds: "所选社区不存在，请重新选择",
      subdistrictIds: "所选街道不存在，请重新选择",
    });
    await expectNoProvider();
  });

  it("answers 409 on fields.uscc for a code already registered, however it is typed", async () => {
    expect((await apply()).status).toBe(201);
    const again = await apply(
      { uscc: "５３１０００００５０００２１６７６ｋ", name: "另一家机构" },
      token.worker,
    );
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: "CONFLICT",
      fields: { uscc: "该统一社会信用代码已登记入驻，如有疑问请联系社区工作人员" },
    });
    expect(await db().provider.count()).toBe(1);
  });

  it("answers 400 to malformed JSON, an empty body and a non-object", async () => {
    for (const body of ["{not json", "", "[1,2]", '"text"']) {
      const res = await server.json("/api/v1/providers", {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
        token: token.resident,
      });
      expect(res.status, body).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION");
    }
    await expectNoProvider();
  });

  it("answers 405 to other methods", async () => {
    const res = await server.json("/api/v1/providers", {
      method: "PUT",
      json: application(),
      token: token.resident,
    });
    expect(res.status).toBe(405);
  });
});

describe("GET /api/v1/providers (staff list and review queue)", () => {
  async function threeProviders() {
    const inA1 = await ownedProvider({ communityIds: [fx.communities.a1.id] });
    const inA2 = await createProvider(db(), {
      communityIds: [fx.communities.a2.id],
      status: "APPROVED",
      kind: "MERCHANT",
    });
    const inB1 = await createProvider(db(), { communityIds: [fx.communities.b1.id], status: "PENDING" });
    return { inA1, inA2, inB1 };
  }
  const idsOf = (body: { items: { id: string }[] }) => body.items.map((item) => item.id).sort();

  it("lists the providers each staff member's scope covers", async () => {
    const { inA1, inA2, inB1 } = await threeProviders();
    const worker = await server.json("/api/v1/providers", { token: token.worker });
    expect(worker.status).toBe(200);
    expect(idsOf(worker.body)).toEqual([inA1.id]);
    expect(idsOf((await server.json("/api/v1/providers", { token: token.subdistrictAdmin })).body)).toEqual(
      [inA1.id, inA2.id].sort(),
    );
    const all = await server.json("/api/v1/providers", { token: token.districtAdmin });
    expect(idsOf(all.body)).toEqual([inA1.id, inA2.id, inB1.id].sort());
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 20 });
    // The list shows no contact details.
    expect(JSON.stringify(all.body)).not.toContain("13912345678");
  });

  it("filters by status, kind and community, newest application first, with paging", async () => {
    const { inA1, inA2, inB1 } = await threeProviders();
    await db().provider.update({
      where: { id: inA1.id },
      data: { submittedAt: new Date("2026-01-01T00:00:00Z") },
    });
    const pending = await server.json("/api/v1/providers?status=PENDING", { token: token.districtAdmin });
    expect(pending.body.items.map((p: { id: string }) => p.id)).toEqual([inB1.id, inA1.id]);
    const merchants = await server.json("/api/v1/providers?kind=MERCHANT&status=", {
      token: token.districtAdmin,
    });
    expect(idsOf(merchants.body)).toEqual([inA2.id]);
    const inB1Only = await server.json(`/api/v1/providers?communityId=${fx.communities.b1.id}`, {
      token: token.districtAdmin,
    });
    expect(idsOf(inB1Only.body)).toEqual([inB1.id]);
    // A community outside the caller's reach gives nothing rather than someone else's providers.
    const foreign = await server.json(`/api/v1/providers?communityId=${fx.communities.b1.id}`, {
      token: token.worker,
    });
    expect(foreign.body).toMatchObject({ items: [], total: 0 });
    const secondPage = await server.json("/api/v1/providers?page=2&pageSize=1&status=PENDING", {
      token: token.districtAdmin,
    });
    expect(secondPage.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(secondPage.body.items.map((p: { id: string }) => p.id)).toEqual([inA1.id]);
  });

  it("answers 403 to residents and provider owners, 401 to anonymous callers", async () => {
    await threeProviders();
    const resident = await server.json("/api/v1/providers", { token: token.resident });
    expect(resident.status).toBe(403);
    expect(resident.body.error.code).toBe("FORBIDDEN");
    expect((await server.json("/api/v1/providers")).status).toBe(401);
  });

  it("answers 400 with the filter that is wrong", async () => {
    const res = await server.json("/api/v1/providers?status=DONE&pageSize=500&kind=NGO", {
      token: token.districtAdmin,
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(["kind", "pageSize", "status"]);
  });
});

describe("GET /api/v1/providers/directory", () => {
  it("lists approved providers only, to anyone, with filters and paging", async () => {
    const approvedA1 = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      status: "APPROVED",
    });
    const merchantB2 = await createProvider(db(), {
      communityIds: [fx.communities.b2.id],
      status: "APPROVED",
      kind: "MERCHANT",
    });
    for (const status of ["PENDING", "REJECTED", "SUSPENDED"] as const) {
      await createProvider(db(), { communityIds: [fx.communities.a1.id], status });
    }
    const all = await server.json("/api/v1/providers/directory");
    expect(all.status).toBe(200);
    expect(all.body.items.map((p: { id: string }) => p.id).sort()).toEqual(
      [approvedA1.id, merchantB2.id].sort(),
    );
    expect(all.body.total).toBe(2);
    expect(all.body.items.every((p: { status: string }) => p.status === "APPROVED")).toBe(true);

    const bySubdistrict = await server.json(
      `/api/v1/providers/directory?subdistrictId=${fx.subdistricts.b.id}`,
    );
    expect(bySubdistrict.body.items.map((p: { id: string }) => p.id)).toEqual([merchantB2.id]);
    const byCommunity = await server.json(`/api/v1/providers/directory?communityId=${fx.communities.a1.id}`);
    expect(byCommunity.body.items.map((p: { id: string }) => p.id)).toEqual([approvedA1.id]);
    const byKind = await server.json("/api/v1/providers/directory?kind=SOCIAL_ORG");
    expect(byKind.body.items.map((p: { id: string }) => p.id)).toEqual([approvedA1.id]);
    const paged = await server.json("/api/v1/providers/directory?pageSize=1&page=2");
    expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(paged.body.items).toHaveLength(1);
  });

  it("answers 400 to a wrong filter and 405 to a POST", async () => {
    const bad = await server.json("/api/v1/providers/directory?kind=NGO");
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.kind).toContain("SOCIAL_ORG");
    const post = await server.json("/api/v1/providers/directory", { json: {}, token: token.resident });
    expect(post.status).toBe(405);
  });
});

describe("GET /api/v1/providers/:id", () => {
  it("shows an approved provider to anyone, with its published services and the phone masked", async () => {
    const provider = await ownedProvider({ status: "APPROVED" });
    const published = await createService(db(), {
      providerId: provider.id,
      communityIds: [fx.communities.a1.id],
    });
    await createService(db(), {
      providerId: provider.id,
      communityIds: [fx.communities.a1.id],
      status: "DRAFT",
    });
    await createService(db(), {
      providerId: provider.id,
      communityIds: [fx.communities.a1.id],
      status: "ARCHIVED",
    });
    const res = await server.json(`/api/v1/providers/${provider.id}`);
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({
      id: provider.id,
      status: "APPROVED",
      contactPhoneMasked: "139****5678",
      services: [{ id: published.id, title: published.title, category: "elderly-care", funding: "FREE" }],
      communities: [{ id: fx.communities.a1.id, subdistrictName: fx.subdistricts.a.name }],
    });
    expect(res.body.provider.contactPhone).toBeUndefined();
    expect(res.body.provider.members).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain("13912345678");
  });

  it("shows a pending provider to its people and staff in scope only, with the full phone", async () => {
    const provider = await ownedProvider();
    const member = await createResident(db(), fx.communities.a2.id);
    await db().providerMember.create({
      data: { providerId: provider.id, userId: member.id, role: "MEMBER" },
    });
    for (const as of [
      token.resident,
      await tokenFor(member.id),
      token.worker,
      token.subdistrictAdmin,
      token.districtAdmin,
    ]) {
      const res = await server.json(`/api/v1/providers/${provider.id}`, { token: as });
      expect(res.status).toBe(200);
      expect(res.body.provider.contactPhone).toBe("13912345678");
    }
    const stranger = await createResident(db(), fx.communities.a1.id);
    for (const as of [undefined, await tokenFor(stranger.id), token.workerB1, token.subdistrictAdminB]) {
      const res = await server.json(`/api/v1/providers/${provider.id}`, { token: as });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
  });

  it("answers 404 for unknown and malformed ids", async () => {
    for (const id of ["nosuchprovider", "%00", "%F0%9F%A7%93", "a'b", "x".repeat(80)]) {
      const res = await server.json(`/api/v1/providers/${id}`);
      expect(res.status, id).toBe(404);
    }
  });
});

describe("PATCH /api/v1/providers/:id", () => {
  const patch = (id: string, body: unknown, as = token.resident) =>
    server.json(`/api/v1/providers/${id}`, { method: "PATCH", json: body, token: as });

  it("lets the owner edit a pending application, bumping the version with an outbox row", async () => {
    const provider = await ownedProvider();
    const res = await patch(provider.id, {
      name: "幸福社工服务中心（新）",
      communityIds: [fx.communities.a2.id],
    });
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({
      name: "幸福社工服务中心（新）",
      status: "PENDING",
      version: 2,
    });
    expect(res.body.provider.communities.map((c: { id: string }) => c.id)).toEqual([fx.communities.a2.id]);
    expect(await db().outboxEvent.findMany({ where: { aggregateId: provider.id } })).toMatchObject([
      { aggregateType: "Provider", version: 2 },
    ]);
    expect(await db().auditLog.findMany({ where: { targetId: provider.id } })).toMatchObject([
      {
        action: "provider.update",
        actorId: fx.users.residentA1.id,
        data: { role: "OWNER", to: "PENDING", communities: 1 },
      },
    ]);
  });

  it("sends a rejected application back to review, keeping the reason for the reviewer", async () => {
    const provider = await ownedProvider({ status: "REJECTED", statusReason: "信用代码与证书不符" });
    const before = await db().provider.findUniqueOrThrow({ where: { id: provider.id } });
    const res = await patch(provider.id, { uscc: makeUscc("SOCIAL_ORG", 424242) });
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({
      status: "PENDING",
      statusReason: "信用代码与证书不符",
      version: 2,
    });
    expect(new Date(res.body.provider.submittedAt).getTime()).toBeGreaterThan(before.submittedAt.getTime());
    expect(await db().auditLog.findMany({ where: { targetId: provider.id } })).toMatchObject([
      { action: "provider.reapply", data: { from: "REJECTED", to: "PENDING" } },
    ]);
  });

  it("keeps an approved provider approved after an edit", async () => {
    const provider = await ownedProvider({ status: "APPROVED" });
    const res = await patch(provider.id, { description: "新的机构简介，介绍我们的服务内容。" });
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({ status: "APPROVED", version: 2 });
  });

  it("answers 403 to a member and a stranger, 401 anonymous, 404 unknown; nothing changes", async () => {
    const provider = await ownedProvider();
    const member = await createResident(db(), fx.communities.a1.id);
    await db().providerMember.create({
      data: { providerId: provider.id, userId: member.id, role: "MEMBER" },
    });
    expect((await patch(provider.id, { name: "改名中心" }, await tokenFor(member.id))).status).toBe(403);
    expect((await patch(provider.id, { name: "改名中心" }, token.worker)).status).toBe(403);
    expect(
      (await server.json(`/api/v1/providers/${provider.id}`, { method: "PATCH", json: { name: "改名中心" } }))
        .status,
    ).toBe(401);
    expect((await patch("nosuchprovider", { name: "改名中心" })).status).toBe(404);
    await expectUnchanged(provider.id, "PENDING");
  });

  it("answers 400 to bad fields and an empty service area, 409 to another provider's USCC", async () => {
    const provider = await ownedProvider();
    const other = await createProvider(db(), { communityIds: [fx.communities.a1.id] });
    const bad = await patch(provider.id, { uscc: "123", communityIds: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({
      uscc: "统一社会信用代码应为18位，您输入了3位",
      communityIds: "请至少选择一个服务的社区或街道",
    });
    const taken = await patch(provider.id, { uscc: other.uscc });
    expect(taken.status).toBe(409);
    expect(taken.body.error.fields.uscc).toContain("已登记入驻");
    // Its own code is not a clash.
    expect((await patch(provider.id, { uscc: provider.uscc })).status).toBe(200);
  });
});

describe("POST /api/v1/providers/:id/review", () => {
  it("lets the worker of a community the provider serves approve it, audited with the role", async () => {
    const provider = await ownedProvider({ communityIds: [fx.communities.b1.id, fx.communities.a1.id] });
    const res = await review(provider.id, { decision: "APPROVE" }, token.worker);
    expect(res.status).toBe(200);
    expect(res.body.provider).toMatchObject({ status: "APPROVED", statusReason: null, version: 2 });
    const row = await db().provider.findUniqueOrThrow({ where: { id: provider.id } });
    expect(row.reviewedById).toBe(fx.users.workerA1.id);
    expect(row.reviewedAt).toBeInstanceOf(Date);
    expect(await db().auditLog.findMany({ where: { targetId: provider.id } })).toMatchObject([
      {
        action: "provider.approve",
        actorId: fx.users.workerA1.id,
        data: { role: "COMMUNITY_WORKER", from: "PENDING", to: "APPROVED" },
      },
    ]);
    expect(await db().outboxEvent.findMany({ where: { aggregateId: provider.id } })).toMatchObject([
      { version: 2 },
    ]);
    // Now public.
    expect((await server.json(`/api/v1/providers/${provider.id}`)).status).toBe(200);
  });

  it("answers 403 to a worker whose community the provider does not serve, and to residents", async () => {
    const provider = await ownedProvider({ communityIds: [fx.communities.b1.id] });
    const worker = await review(provider.id, { decision: "APPROVE" }, token.worker);
    expect(worker.status).toBe(403);
    expect(worker.body.error.code).toBe("FORBIDDEN");
    const stranger = await createResident(db(), fx.communities.b1.id);
    expect((await review(provider.id, { decision: "APPROVE" }, await tokenFor(stranger.id))).status).toBe(
      403,
    );
    await expectUnchanged(provider.id, "PENDING");
  });

  it("subdistrict admins review within their subdistrict, district admins everywhere", async () => {
    const inA2 = await createProvider(db(), { communityIds: [fx.communities.a2.id], status: "PENDING" });
    const inB1 = await createProvider(db(), { communityIds: [fx.communities.b1.id], status: "PENDING" });
    expect((await review(inA2.id, { decision: "APPROVE" }, token.subdistrictAdmin)).status).toBe(200);
    expect((await review(inB1.id, { decision: "APPROVE" }, token.subdistrictAdmin)).status).toBe(403);
    await expectUnchanged(inB1.id, "PENDING");
    const byDistrict = await review(
      inB1.id,
      { decision: "REJECT", reason: "请补充登记证书" },
      token.districtAdmin,
    );
    expect(byDistrict.status).toBe(200);
    expect(await db().auditLog.findMany({ where: { targetId: inB1.id } })).toMatchObject([
      { action: "provider.reject", data: { role: "DISTRICT_ADMIN", to: "REJECTED" } },
    ]);
  });

  it("requires a reason to reject; the applicant sees it and can re-apply", async () => {
    const provider = await ownedProvider();
    const noReason = await review(provider.id, { decision: "REJECT", reason: " " }, token.worker);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toBe("请填写不通过的原因");
    await expectUnchanged(provider.id, "PENDING");

    const rejected = await review(
      provider.id,
      { decision: "REJECT", reason: "信用代码与证书不符" },
      token.worker,
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body.provider).toMatchObject({ status: "REJECTED", statusReason: "信用代码与证书不符" });

    const seen = await server.json(`/api/v1/providers/${provider.id}`, { token: token.resident });
    expect(seen.body.provider).toMatchObject({ status: "REJECTED", statusReason: "信用代码与证书不符" });

    const reapplied = await server.json(`/api/v1/providers/${provider.id}`, {
      method: "PATCH",
      json: { address: "幸福路12号3楼东侧" },
      token: token.resident,
    });
    expect(reapplied.body.provider).toMatchObject({ status: "PENDING", version: 3 });
    const approved = await review(provider.id, { decision: "APPROVE" }, token.worker);
    expect(approved.body.provider).toMatchObject({ status: "APPROVED", statusReason: null, version: 4 });
    const actions = (
      await db().auditLog.findMany({ where: { targetId: provider.id }, orderBy: { createdAt: "asc" } })
    ).map((entry) => entry.action);
    expect(actions).toEqual(["provider.reject", "provider.reapply", "provider.approve"]);
    const versions = (
      await db().outboxEvent.findMany({ where: { aggregateId: provider.id }, orderBy: { id: "asc" } })
    ).map((event) => event.version);
    expect(versions).toEqual([2, 3, 4]);
  });

  it("answers 409 to a decision on an application that is not pending", async () => {
    const provider = await ownedProvider({ status: "APPROVED" });
    const res = await review(provider.id, { decision: "REJECT", reason: "重复审核" }, token.worker);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain("只能审核待审核的申请（当前状态：已通过）");
    await expectUnchanged(provider.id, "APPROVED");
  });

  it("does not let staff review a provider they belong to", async () => {
    const provider = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      status: "PENDING",
      members: [{ userId: fx.users.workerA1.id }],
    });
    const res = await review(provider.id, { decision: "APPROVE" }, token.worker);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain("不能审核或处理自己所在的机构");
    await expectUnchanged(provider.id, "PENDING");
  });

  it("answers 400 to a bad decision or body, 401 anonymous, 404 unknown", async () => {
    const provider = await ownedProvider();
    expect((await review(provider.id, { decision: "MAYBE" }, token.worker)).body.error.fields).toEqual({
      decision: "请选择审核结果：通过或不通过",
    });
    const malformed = await server.json(`/api/v1/providers/${provider.id}/review`, {
      method: "POST",
      body: "{",
      headers: { "content-type": "application/json" },
      token: token.worker,
    });
    expect(malformed.status).toBe(400);
    expect(
      (await server.json(`/api/v1/providers/${provider.id}/review`, { json: { decision: "APPROVE" } }))
        .status,
    ).toBe(401);
    expect((await review("nosuchprovider", { decision: "APPROVE" }, token.worker)).status).toBe(404);
    expect(
      (await server.json(`/api/v1/providers/${provider.id}/review`, { token: token.worker })).status,
    ).toBe(405);
    await expectUnchanged(provider.id, "PENDING");
  });
});

describe("POST /api/v1/providers/:id/suspend and /restore", () => {
  const suspend = (id: string, body: unknown, as: string) =>
    server.json(`/api/v1/providers/${id}/suspend`, { json: body, token: as });
  const restore = (id: string, as: string) =>
    server.json(`/api/v1/providers/${id}/restore`, { json: {}, token: as });

  it("lets an admin in scope suspend with a reason and restore; the provider leaves and rejoins the directory", async () => {
    const provider = await ownedProvider({ status: "APPROVED" });
    const suspended = await suspend(provider.id, { reason: "多次未按约上门服务" }, token.subdistrictAdmin);
    expect(suspended.status).toBe(200);
    expect(suspended.body.provider).toMatchObject({
      status: "SUSPENDED",
      statusReason: "多次未按约上门服务",
    });
    expect((await server.json("/api/v1/providers/directory")).body.total).toBe(0);
    expect((await server.json(`/api/v1/providers/${provider.id}`)).status).toBe(404);
    const mine = await server.json(`/api/v1/providers/${provider.id}`, { token: token.resident });
    expect(mine.body.provider.statusReason).toBe("多次未按约上门服务");

    const restored = await restore(provider.id, token.districtAdmin);
    expect(restored.status).toBe(200);
    expect(restored.body.provider).toMatchObject({ status: "APPROVED", statusReason: null, version: 3 });
    expect((await server.json("/api/v1/providers/directory")).body.total).toBe(1);

    expect(
      await db().auditLog.findMany({ where: { targetId: provider.id }, orderBy: { createdAt: "asc" } }),
    ).toMatchObject([
      { action: "provider.suspend", data: { role: "SUBDISTRICT_ADMIN", from: "APPROVED", to: "SUSPENDED" } },
      { action: "provider.restore", data: { role: "DISTRICT_ADMIN", from: "SUSPENDED", to: "APPROVED" } },
    ]);
    expect(
      (await db().outboxEvent.findMany({ where: { aggregateId: provider.id } })).map((e) => e.version).sort(),
    ).toEqual([2, 3]);
  });

  it("answers 403 to workers and to admins of another subdistrict", async () => {
    const provider = await ownedProvider({ status: "APPROVED" });
    for (const as of [token.worker, token.subdistrictAdminB, token.resident]) {
      const res = await suspend(provider.id, { reason: "测试原因" }, as);
      expect(res.status).toBe(403);
    }
    await expectUnchanged(provider.id, "APPROVED");
  });

  it("requires a reason, and answers 409 to suspending what is not approved or restoring what is not suspended", async () => {
    const provider = await ownedProvider({ status: "APPROVED" });
    const noReason = await suspend(provider.id, {}, token.subdistrictAdmin);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields).toEqual({ reason: "请填写暂停的原因" });
    const notSuspended = await restore(provider.id, token.subdistrictAdmin);
    expect(notSuspended.status).toBe(409);
    expect(notSuspended.body.error.message).toContain("只能恢复已暂停的机构");
    const pending = await ownedProvider();
    const notApproved = await suspend(pending.id, { reason: "测试原因" }, token.subdistrictAdmin);
    expect(notApproved.status).toBe(409);
    expect(notApproved.body.error.message).toContain("只能暂停已通过的机构（当前状态：待审核）");
    await expectUnchanged(provider.id, "APPROVED");
    await expectUnchanged(pending.id, "PENDING");
  });
});

describe("members", () => {
  const addMember = (id: string, phone: unknown, as = token.resident) =>
    server.json(`/api/v1/providers/${id}/members`, { json: { phone }, token: as });
  const removeMember = (id: string, userId: string, as = token.resident) =>
    server.json(`/api/v1/providers/${id}/members/${userId}`, { method: "DELETE", token: as });

  it("invites by phone (the person joins only by accepting, ADR 0017), and lets the owner remove them", async () => {
    const provider = await ownedProvider({ status: "APPROVED" });
    const colleague = await createResident(db(), fx.communities.a2.id, {
      phone: "13712345678",
      name: "李娜",
    });
    const invited = await addMember(provider.id, "137 1234 5678");
    expect(invited.status).toBe(202);
    expect(invited.body.invitation).toMatchObject({ status: "SENT", phoneMasked: "137****5678" });
    expect(await db().providerMember.count({ where: { providerId: provider.id } })).toBe(1);
    const colleagueToken = await tokenFor(colleague.id);
    const [invitation] = (await server.json("/api/v1/me/provider-invitations", { token: colleagueToken }))
      .body.items;
    await server.json(`/api/v1/provider-invitations/${invitation.id}/accept`, {
      json: {},
      token: colleagueToken,
    });
    // The member now sees the provider's private view.
    const seen = await server.json(`/api/v1/providers/${provider.id}`, { token: colleagueToken });
    expect(seen.body.provider.members.map((m: { userId: string }) => m.userId)).toContain(colleague.id);

    const removed = await removeMember(provider.id, colleague.id);
    expect(removed.status).toBe(204);
    expect(await db().providerMember.count({ where: { providerId: provider.id } })).toBe(1);
    expect(
      (await db().auditLog.findMany({ where: { targetId: provider.id }, orderBy: { createdAt: "asc" } })).map(
        (e) => e.action,
      ),
    ).toEqual(["provider.member.invite", "provider.member.join", "provider.member.remove"]);
    // Membership is not versioned: it is not part of the search index.
    expect(await db().outboxEvent.count()).toBe(0);
  });

  it("answers an existing member's number like any other, and a malformed one with a field error", async () => {
    const provider = await ownedProvider({ status: "APPROVED" });
    const self = await addMember(provider.id, fx.users.residentA1.phone);
    expect(self.status).toBe(202);
    const badPhone = await addMember(provider.id, "12345");
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.fields.phone).toContain("11位");
    expect(await db().providerMember.count()).toBe(1);
  });

  it("only the owner invites and removes; the owner cannot be removed", async () => {
    const provider = await ownedProvider({ status: "APPROVED" });
    const member = await createResident(db(), fx.communities.a1.id);
    await db().providerMember.create({
      data: { providerId: provider.id, userId: member.id, role: "MEMBER" },
    });
    const memberToken = await tokenFor(member.id);
    expect((await addMember(provider.id, fx.users.workerA1.phone, memberToken)).status).toBe(403);
    expect((await addMember(provider.id, fx.users.workerA1.phone, token.districtAdmin)).status).toBe(403);
    expect((await removeMember(provider.id, fx.users.residentA1.id, memberToken)).status).toBe(403);
    const ownerLeaving = await removeMember(provider.id, fx.users.residentA1.id);
    expect(ownerLeaving.status).toBe(409);
    expect(ownerLeaving.body.error.message).toContain("唯一的负责人");
    expect((await removeMember(provider.id, fx.users.workerA1.id)).status).toBe(404);
    expect((await removeMember(provider.id, "%00")).status).toBe(404);
    expect(
      (await server.json(`/api/v1/providers/${provider.id}/members/${member.id}`, { method: "DELETE" }))
        .status,
    ).toBe(401);
    expect(await db().providerMember.count({ where: { providerId: provider.id } })).toBe(2);
    expect(await db().auditLog.count()).toBe(0);
  });
});

describe("the OpenAPI document", () => {
  it("describes the provider endpoints with their request bodies", async () => {
    const { body: doc } = await server.json("/api/v1/openapi.json");
    const post = doc.paths["/api/v1/providers"].post;
    expect(post.requestBody.content["application/json"].schema.required.sort()).toEqual(
      ["address", "contactName", "contactPhone", "description", "kind", "name", "uscc"].sort(),
    );
    expect(doc.paths["/api/v1/providers"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      ["changePending", "communityId", "kind", "page", "pageSize", "status"].sort(),
    );
    expect(
      doc.paths["/api/v1/providers/{id}/review"].post.requestBody.content["application/json"].schema.required,
    ).toEqual(["decision"]);
    expect(Object.keys(doc.paths["/api/v1/providers/{id}"]).sort()).toEqual(["get", "patch"]);
    expect(
      doc.paths["/api/v1/providers/{id}/members/{userId}"].delete.parameters.map(
        (p: { name: string }) => p.name,
      ),
    ).toEqual(["id", "userId"]);
    expect(doc.paths["/api/v1/providers/directory"].get.security).toBeUndefined();
  });
});
