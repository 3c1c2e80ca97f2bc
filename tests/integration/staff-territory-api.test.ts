import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createCommunity,
  createDistrict,
  createSubdistrict,
  createTerritoryFixture,
  createUser,
  DEFAULT_PASSWORD,
  type TerritoryFixture,
} from "../../prisma/factories";
import { keptFixture } from "../setup/kept-fixtures";
import { sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

let server: TestServer;
let fx: TerritoryFixture;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
/** The territory every test starts from: made once, put back from its rows after that. */
const territory = keptFixture(() => createTerritoryFixture(db()));
beforeEach(async () => {
  fx = await territory();
});

const NEW_PHONE = "13912345678";

const staffInput = (overrides: Record<string, unknown> = {}) => ({
  phone: NEW_PHONE,
  password: "a-good-password",
  name: "李建国",
  role: "COMMUNITY_WORKER",
  scopeId: fx.communities.a1.id,
  ...overrides,
});

/** Nothing of a rejected request may be left behind: no user, no role, no audit entry. */
async function expectNothingWritten() {
  expect(await db().user.count({ where: { phone: NEW_PHONE } })).toBe(0);
  expect(await db().user.count()).toBe(4);
  expect(await db().roleAssignment.count()).toBe(4);
  expect(await db().auditLog.count({ where: { action: "staff.create" } })).toBe(0);
}

describe("GET /api/v1/territory", () => {
  it("returns the whole tree to anyone, subdistricts and communities ordered by name", async () => {
    // Latin prefixes make the expected order independent of the database collation.
    await db().subdistrict.update({ where: { id: fx.subdistricts.a.id }, data: { name: "B东湖街道" } });
    await db().subdistrict.update({ where: { id: fx.subdistricts.b.id }, data: { name: "A西山街道" } });
    await db().community.update({ where: { id: fx.communities.a1.id }, data: { name: "Z映月社区" } });
    await db().community.update({ where: { id: fx.communities.a2.id }, data: { name: "M桃源社区" } });
    await db().community.update({ where: { id: fx.communities.b1.id }, data: { name: "C石桥社区" } });
    await db().community.update({ where: { id: fx.communities.b2.id }, data: { name: "D柳湾社区" } });
    const later = await createDistrict(db(), { name: "后建区" });
    const laterSd = await createSubdistrict(db(), { districtId: later.id, name: "新城街道" });
    const laterC = await createCommunity(db(), {
      subdistrictId: laterSd.id,
      name: "新城社区",
      kind: "URBAN",
    });

    const res = await server.json("/api/v1/territory");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.body).toEqual({
      districts: [
        {
          id: fx.district.id,
          name: fx.district.name,
          subdistricts: [
            {
              id: fx.subdistricts.b.id,
              name: "A西山街道",
              communities: [
                { id: fx.communities.b1.id, name: "C石桥社区", kind: "URBAN", servicePhone: null },
                {
                  id: fx.communities.b2.id,
                  name: "D柳湾社区",
                  kind: "VILLAGE_CONVERTED",
                  servicePhone: null,
                },
              ],
            },
            {
              id: fx.subdistricts.a.id,
              name: "B东湖街道",
              communities: [
                {
                  id: fx.communities.a2.id,
                  name: "M桃源社区",
                  kind: "VILLAGE_CONVERTED",
                  servicePhone: null,
                },
                { id: fx.communities.a1.id, name: "Z映月社区", kind: "URBAN", servicePhone: null },
              ],
            },
          ],
        },
        {
          id: later.id,
          name: "后建区",
          subdistricts: [
            {
              id: laterSd.id,
              name: "新城街道",
              communities: [{ id: laterC.id, name: "新城社区", kind: "URBAN", servicePhone: null }],
            },
          ],
        },
      ],
    });
  });

  it("answers the same tree to a signed-in resident", async () => {
    const anonymous = await server.json("/api/v1/territory");
    const signedIn = await server.json("/api/v1/territory", {
      token: await tokenFor(fx.users.residentA1.id),
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual(anonymous.body);
    const kinds = anonymous.body.districts[0].subdistricts.flatMap((s: { communities: { kind: string }[] }) =>
      s.communities.map((c) => c.kind),
    );
    expect(new Set(kinds)).toEqual(new Set(["URBAN", "VILLAGE_CONVERTED"]));
  });
});

describe("POST /api/v1/staff", () => {
  it("lets a district admin open a subdistrict admin account, audited, with the phone masked", async () => {
    const token = await tokenFor(fx.users.districtAdmin.id);
    const res = await server.json("/api/v1/staff", {
      token,
      json: staffInput({ role: "SUBDISTRICT_ADMIN", scopeId: fx.subdistricts.b.id }),
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({
      id: expect.any(String),
      name: "李建国",
      phoneMasked: "139****5678",
      roles: [{ role: "SUBDISTRICT_ADMIN", scopeType: "SUBDISTRICT", scopeId: fx.subdistricts.b.id }],
    });
    expect(JSON.stringify(res.body)).not.toContain(NEW_PHONE);

    const stored = await db().user.findUniqueOrThrow({
      where: { phone: NEW_PHONE },
      include: { roles: true },
    });
    expect(stored.id).toBe(res.body.user.id);
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.communityId).toBeNull();
    expect(stored.roles.map((r) => [r.role, r.scopeType, r.scopeId])).toEqual([
      ["SUBDISTRICT_ADMIN", "SUBDISTRICT", fx.subdistricts.b.id],
    ]);
    const audit = await db().auditLog.findMany({ where: { action: "staff.create" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: fx.users.districtAdmin.id,
      targetType: "User",
      targetId: stored.id,
      data: { role: "SUBDISTRICT_ADMIN", scopeId: fx.subdistricts.b.id },
    });
    // The audit log holds ids and codes only.
    expect(JSON.stringify(audit[0])).not.toContain(NEW_PHONE);

    // The new admin can sign in with the initial password.
    const signIn = await server.json("/api/v1/auth/token", {
      json: { phone: NEW_PHONE, password: "a-good-password" },
    });
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.roles[0].role).toBe("SUBDISTRICT_ADMIN");
  });

  it("lets a district admin open a community worker account in any community of the district", async () => {
    const token = await tokenFor(fx.users.districtAdmin.id);
    const res = await server.json("/api/v1/staff", {
      token,
      json: staffInput({ scopeId: fx.communities.b2.id }),
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      phoneMasked: "139****5678",
      roles: [{ role: "COMMUNITY_WORKER", scopeType: "COMMUNITY", scopeId: fx.communities.b2.id }],
    });
    expect(JSON.stringify(res.body)).not.toContain(NEW_PHONE);
    const stored = await db().user.findUniqueOrThrow({
      where: { phone: NEW_PHONE },
      include: { roles: true },
    });
    expect(stored.roles.map((r) => [r.role, r.scopeType, r.scopeId])).toEqual([
      ["COMMUNITY_WORKER", "COMMUNITY", fx.communities.b2.id],
    ]);
    expect(
      await db().auditLog.count({
        where: { action: "staff.create", actorId: fx.users.districtAdmin.id, targetId: stored.id },
      }),
    ).toBe(1);
  });

  it("lets a subdistrict admin open a worker account in a community of its own subdistrict", async () => {
    const token = await tokenFor(fx.users.subdistrictAdminA.id);
    const res = await server.json("/api/v1/staff", {
      token,
      json: staffInput({ scopeId: fx.communities.a2.id }),
    });
    expect(res.status).toBe(201);
    expect(res.body.user.roles).toEqual([
      { role: "COMMUNITY_WORKER", scopeType: "COMMUNITY", scopeId: fx.communities.a2.id },
    ]);
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "staff.create" } });
    expect(audit.actorId).toBe(fx.users.subdistrictAdminA.id);
    expect(audit.targetId).toBe(res.body.user.id);
  });

  it.each([
    ["a subdistrict admin, a worker in the other subdistrict", "subdistrictAdminA", "COMMUNITY_WORKER", "b1"],
    [
      "a subdistrict admin, another subdistrict admin of its own subdistrict",
      "subdistrictAdminA",
      "SUBDISTRICT_ADMIN",
      "a",
    ],
    [
      "a subdistrict admin, a subdistrict admin of the other subdistrict",
      "subdistrictAdminA",
      "SUBDISTRICT_ADMIN",
      "b",
    ],
    ["a community worker, a worker in its own community", "workerA1", "COMMUNITY_WORKER", "a1"],
    ["a community worker, a subdistrict admin", "workerA1", "SUBDISTRICT_ADMIN", "a"],
    ["a resident, a worker in its own community", "residentA1", "COMMUNITY_WORKER", "a1"],
    ["a resident, a subdistrict admin", "residentA1", "SUBDISTRICT_ADMIN", "a"],
  ] as const)("answers 403 to %s, and writes nothing", async (_label, who, role, where) => {
    const scopeId =
      role === "COMMUNITY_WORKER"
        ? fx.communities[where === "b1" ? "b1" : "a1"].id
        : fx.subdistricts[where === "b" ? "b" : "a"].id;
    const res = await server.json("/api/v1/staff", {
      token: await tokenFor(fx.users[who].id),
      json: staffInput({ role, scopeId }),
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(res.body.error.message).toEqual(expect.any(String));
    await expectNothingWritten();
  });

  it("answers 403 to a district admin of another district", async () => {
    const other = await createDistrict(db());
    const foreignAdmin = await createUser(db(), { roles: [{ role: "DISTRICT_ADMIN", scopeId: other.id }] });
    const res = await server.json("/api/v1/staff", {
      token: await tokenFor(foreignAdmin.id),
      json: staffInput({ scopeId: fx.communities.a1.id }),
    });
    expect(res.status).toBe(403);
    expect(await db().user.count({ where: { phone: NEW_PHONE } })).toBe(0);
  });

  it("answers 401 without a token or with a revoked or forged one, and writes nothing", async () => {
    const anonymous = await server.json("/api/v1/staff", { json: staffInput() });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("UNAUTHENTICATED");
    const forged = await server.json("/api/v1/staff", { json: staffInput(), token: "not-a-token" });
    expect(forged.status).toBe(401);
    const token = await tokenFor(fx.users.districtAdmin.id);
    expect((await server.request("/api/v1/auth/token", { method: "DELETE", token })).status).toBe(204);
    const revoked = await server.json("/api/v1/staff", { json: staffInput(), token });
    expect(revoked.status).toBe(401);
    await expectNothingWritten();
  });

  it.each([
    ["phone", { phone: "12345678901" }],
    ["phone", { phone: "1391234567" }],
    ["phone", { phone: "" }],
    ["password", { password: "short" }],
    ["password", { password: "x".repeat(129) }],
    ["name", { name: "   " }],
    ["name", { name: "名".repeat(31) }],
    ["role", { role: "DISTRICT_ADMIN" }],
    ["role", { role: "RESIDENT" }],
    ["role", { role: "boss" }],
    ["scopeId", { scopeId: "" }],
    ["scopeId", { scopeId: "x".repeat(65) }],
  ])("answers 400 with fields.%s for %j, and writes nothing", async (field, overrides) => {
    const res = await server.json("/api/v1/staff", {
      token: await tokenFor(fx.users.districtAdmin.id),
      json: staffInput(overrides),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION");
    expect(Object.keys(res.body.error.fields)).toEqual([field]);
    expect(res.body.error.fields[field]).toMatch(/\p{Script=Han}/u);
    await expectNothingWritten();
  });

  it("names every missing field at once", async () => {
    const res = await server.json("/api/v1/staff", {
      token: await tokenFor(fx.users.districtAdmin.id),
      json: {},
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual([
      "name",
      "password",
      "phone",
      "role",
      "scopeId",
    ]);
    await expectNothingWritten();
  });

  it.each([
    ["an unknown community", { role: "COMMUNITY_WORKER", scopeId: "no-such-community" }],
    ["an unknown subdistrict", { role: "SUBDISTRICT_ADMIN", scopeId: "no-such-subdistrict" }],
  ])("answers 400 with fields.scopeId for %s", async (_label, overrides) => {
    const res = await server.json("/api/v1/staff", {
      token: await tokenFor(fx.users.districtAdmin.id),
      json: staffInput(overrides),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION");
    expect(res.body.error.fields.scopeId).toEqual(expect.any(String));
    await expectNothingWritten();
  });

  it("answers 400 when the scope does not fit the role", async () => {
    const token = await tokenFor(fx.users.districtAdmin.id);
    const cases = [
      { role: "COMMUNITY_WORKER", scopeId: fx.subdistricts.a.id },
      { role: "COMMUNITY_WORKER", scopeId: fx.district.id },
      { role: "SUBDISTRICT_ADMIN", scopeId: fx.communities.a1.id },
      { role: "SUBDISTRICT_ADMIN", scopeId: fx.district.id },
    ];
    for (const overrides of cases) {
      const res = await server.json("/api/v1/staff", { token, json: staffInput(overrides) });
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(res.body.error.fields.scopeId).toEqual(expect.any(String));
    }
    await expectNothingWritten();
  });

  it("answers 409 for a phone that already has an account, and leaves that account as it was", async () => {
    const token = await tokenFor(fx.users.districtAdmin.id);
    expect((await server.json("/api/v1/staff", { token, json: staffInput() })).status).toBe(201);
    const again = await server.json("/api/v1/staff", {
      token,
      json: staffInput({ name: "另一个人", scopeId: fx.communities.b1.id }),
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "CONFLICT", fields: { phone: expect.any(String) } });
    expect(await db().user.count({ where: { phone: NEW_PHONE } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: "staff.create" } })).toBe(1);

    // A resident's number cannot be turned into a staff account either.
    const resident = fx.users.residentA1;
    const taken = await server.json("/api/v1/staff", { token, json: staffInput({ phone: resident.phone }) });
    expect(taken.status).toBe(409);
    const roles = await db().roleAssignment.findMany({ where: { userId: resident.id } });
    expect(roles.map((r) => r.role)).toEqual(["RESIDENT"]);
  });

  it("answers 400 for malformed JSON or an empty body", async () => {
    const token = await tokenFor(fx.users.districtAdmin.id);
    for (const body of ['{"phone": "1391', "", "{phone: 1}", "not json"]) {
      const res = await server.json("/api/v1/staff", {
        method: "POST",
        token,
        body,
        headers: { "content-type": "application/json" },
      });
      expect(res.status, body).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION");
    }
    await expectNothingWritten();
  });

  it("answers 400, never 5xx, to values of the wrong type", async () => {
    const token = await tokenFor(fx.users.districtAdmin.id);
    const cases: [string, unknown][] = [
      ["phone", staffInput({ phone: 13912345678 })],
      ["phone", staffInput({ phone: ["13912345678"] })],
      ["phone", staffInput({ phone: null })],
      ["phone", staffInput({ phone: { number: NEW_PHONE } })],
      ["password", staffInput({ password: 12345678 })],
      ["password", staffInput({ password: ["a-good-password"] })],
      ["name", staffInput({ name: null })],
      ["name", staffInput({ name: { first: "建国", last: "李" } })],
      ["role", staffInput({ role: ["COMMUNITY_WORKER"] })],
      ["role", staffInput({ role: null })],
      ["role", staffInput({ role: 1 })],
      ["scopeId", staffInput({ scopeId: { id: fx.communities.a1.id } })],
      ["scopeId", staffInput({ scopeId: [fx.communities.a1.id] })],
      ["scopeId", staffInput({ scopeId: 42 })],
      ["_", [staffInput()]],
      ["_", null],
      ["_", 42],
      ["_", "text"],
      ["_", true],
    ];
    for (const [field, json] of cases) {
      const res = await server.json("/api/v1/staff", {
        method: "POST",
        token,
        body: JSON.stringify(json),
        headers: { "content-type": "application/json" },
      });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION");
      expect(res.body.error.fields[field], JSON.stringify(json)).toEqual(expect.any(String));
    }
    await expectNothingWritten();
  });
});

describe("GET /api/v1/staff", () => {
  type Listed = { id: string; phoneMasked: string; roleLabels: string[] };
  const idsOf = (items: Listed[]) => items.map((item) => item.id).sort();

  async function staffOf(userId: string) {
    const res = await server.json("/api/v1/staff", { token: await tokenFor(userId) });
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(res.body.items.length);
    return res.body;
  }

  it("lists only the staff within the caller's scope, phones masked", async () => {
    const workerA2 = await createUser(db(), {
      roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.a2.id }],
    });
    const workerB1 = await createUser(db(), {
      roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
    });
    const adminB = await createUser(db(), {
      roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: fx.subdistricts.b.id }],
    });
    const other = await createDistrict(db());
    const otherSd = await createSubdistrict(db(), { districtId: other.id });
    const otherC = await createCommunity(db(), { subdistrictId: otherSd.id });
    await createUser(db(), { roles: [{ role: "COMMUNITY_WORKER", scopeId: otherC.id }] });
    await createUser(db(), { roles: [{ role: "DISTRICT_ADMIN", scopeId: other.id }] });

    const { users } = fx;
    const bySubdistrictAdmin = await staffOf(users.subdistrictAdminA.id);
    expect(idsOf(bySubdistrictAdmin.items)).toEqual(
      [users.subdistrictAdminA.id, users.workerA1.id, workerA2.id].sort(),
    );

    const byDistrictAdmin = await staffOf(users.districtAdmin.id);
    expect(idsOf(byDistrictAdmin.items)).toEqual(
      [
        users.districtAdmin.id,
        users.subdistrictAdminA.id,
        users.workerA1.id,
        workerA2.id,
        workerB1.id,
        adminB.id,
      ].sort(),
    );

    const byWorker = await staffOf(users.workerA1.id);
    expect(idsOf(byWorker.items)).toEqual([users.workerA1.id]);

    // Residents never appear, phones are masked, and each entry names its staff role.
    const text = JSON.stringify(byDistrictAdmin);
    for (const user of [users.residentA1, users.workerA1, users.districtAdmin]) {
      expect(text).not.toContain(user.phone);
    }
    const listed: Listed[] = byDistrictAdmin.items;
    const worker = listed.find((item) => item.id === users.workerA1.id);
    expect(worker?.phoneMasked).toBe(
      `${users.workerA1.phone.slice(0, 3)}****${users.workerA1.phone.slice(-4)}`,
    );
    expect(worker?.roleLabels).toEqual(["社区工作者"]);
  });

  it("shows a worker created through the API to the subdistrict admin who created it", async () => {
    const token = await tokenFor(fx.users.subdistrictAdminA.id);
    const created = await server.json("/api/v1/staff", {
      token,
      json: staffInput({ scopeId: fx.communities.a2.id }),
    });
    expect(created.status).toBe(201);
    const list = await server.json("/api/v1/staff", { token });
    expect(list.body.items.map((item: Listed) => item.id)).toContain(created.body.user.id);
  });

  it("answers 403 to a resident and 401 without a token", async () => {
    const resident = await server.json("/api/v1/staff", { token: await tokenFor(fx.users.residentA1.id) });
    expect(resident.status).toBe(403);
    expect(resident.body.error.code).toBe("FORBIDDEN");
    const anonymous = await server.json("/api/v1/staff");
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("UNAUTHENTICATED");
  });
});

describe("DELETE /api/v1/staff/:id and the 工作人员 page's 撤销身份", () => {
  const remove = async (callerId: string, userId: string) =>
    server.json(`/api/v1/staff/${userId}`, { method: "DELETE", token: await tokenFor(callerId) });
  const rolesOf = async (userId: string) =>
    (await db().roleAssignment.findMany({ where: { userId }, select: { role: true } })).map((r) => r.role);

  it("lets a subdistrict admin take a worker's role away: audited, the workbench closed to them at once", async () => {
    const { users } = fx;
    const workerToken = await tokenFor(users.workerA1.id);
    expect((await server.json("/api/v1/staff", { token: workerToken })).status).toBe(200);

    const res = await remove(users.subdistrictAdminA.id, users.workerA1.id);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({
      id: users.workerA1.id,
      roles: [],
      roleLabels: [],
      canRemove: false,
    });
    expect(JSON.stringify(res.body)).not.toContain(users.workerA1.phone);
    expect(await rolesOf(users.workerA1.id)).toEqual([]);
    const audit = await db().auditLog.findMany({ where: { action: "staff.remove" } });
    expect(audit).toMatchObject([
      {
        actorId: users.subdistrictAdminA.id,
        targetId: users.workerA1.id,
        data: { roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.a1.id }] },
      },
    ]);
    // The same token, now without the role: staff pages and lists are refused.
    expect((await server.json("/api/v1/staff", { token: workerToken })).status).toBe(403);
    // Gone from the admin's list, and the person can now delete their own account.
    const list = await server.json("/api/v1/staff", { token: await tokenFor(users.subdistrictAdminA.id) });
    expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(users.workerA1.id);
    const deleted = await server.json("/api/v1/me", {
      method: "DELETE",
      token: workerToken,
      json: { password: DEFAULT_PASSWORD },
    });
    expect(deleted.status).toBe(204);
  });

  it("takes only the roles the caller may take, and says who may remove whom in the list", async () => {
    const { users } = fx;
    // A worker of A1 who is also a worker of B1: the admin of A takes the A1 role only.
    await db().roleAssignment.create({
      data: {
        userId: users.workerA1.id,
        role: "COMMUNITY_WORKER",
        scopeType: "COMMUNITY",
        scopeId: fx.communities.b1.id,
      },
    });
    const listed = await server.json("/api/v1/staff", { token: await tokenFor(users.subdistrictAdminA.id) });
    const canRemove = Object.fromEntries(
      listed.body.items.map((item: { id: string; canRemove: boolean }) => [item.id, item.canRemove]),
    );
    expect(canRemove).toEqual({ [users.workerA1.id]: true, [users.subdistrictAdminA.id]: false });

    const res = await remove(users.subdistrictAdminA.id, users.workerA1.id);
    expect(res.status).toBe(200);
    expect(res.body.user.roles).toEqual([
      { role: "COMMUNITY_WORKER", scopeType: "COMMUNITY", scopeId: fx.communities.b1.id },
    ]);
    expect(res.body.user.canRemove).toBe(false);
    // The district admin may take the rest, and a subdistrict admin's role too.
    expect((await remove(users.districtAdmin.id, users.workerA1.id)).status).toBe(200);
    expect((await remove(users.districtAdmin.id, users.subdistrictAdminA.id)).status).toBe(200);
    expect(await rolesOf(users.workerA1.id)).toEqual([]);
    expect(await rolesOf(users.subdistrictAdminA.id)).toEqual([]);
  });

  it("refuses, writing nothing: out of sight 404, beyond the caller's power 403, oneself 409", async () => {
    const { users } = fx;
    const adminB = await createUser(db(), {
      roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: fx.subdistricts.b.id }],
    });
    const workerB1 = await createUser(db(), {
      roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
    });
    const other = await createDistrict(db());
    const otherAdmin = await createUser(db(), { roles: [{ role: "DISTRICT_ADMIN", scopeId: other.id }] });
    const secondDistrictAdmin = await createUser(db(), {
      roles: [{ role: "DISTRICT_ADMIN", scopeId: fx.district.id }],
    });
    const before = await db().roleAssignment.count();

    const cases: [string, string, number, string][] = [
      [users.subdistrictAdminA.id, workerB1.id, 404, "NOT_FOUND"],
      [users.subdistrictAdminA.id, adminB.id, 404, "NOT_FOUND"],
      [otherAdmin.id, users.workerA1.id, 404, "NOT_FOUND"],
      [users.subdistrictAdminA.id, users.districtAdmin.id, 404, "NOT_FOUND"],
      [users.districtAdmin.id, secondDistrictAdmin.id, 403, "FORBIDDEN"],
      [users.districtAdmin.id, users.districtAdmin.id, 403, "FORBIDDEN"],
      [users.subdistrictAdminA.id, users.subdistrictAdminA.id, 403, "FORBIDDEN"],
      [users.workerA1.id, users.workerA1.id, 403, "FORBIDDEN"],
      [users.residentA1.id, users.workerA1.id, 403, "FORBIDDEN"],
      [users.districtAdmin.id, users.residentA1.id, 404, "NOT_FOUND"],
      [users.districtAdmin.id, "no-such-user", 404, "NOT_FOUND"],
      [users.districtAdmin.id, "%00%27%20OR%201%3D1", 404, "NOT_FOUND"],
    ];
    for (const [caller, target, status, code] of cases) {
      const res = await remove(caller, target);
      expect({ caller, target, status: res.status, code: res.body.error?.code }).toEqual({
        caller,
        target,
        status,
        code,
      });
    }
    // Even where the caller could take the role from someone else, never from themselves.
    await db().roleAssignment.create({
      data: {
        userId: users.subdistrictAdminA.id,
        role: "COMMUNITY_WORKER",
        scopeType: "COMMUNITY",
        scopeId: fx.communities.a2.id,
      },
    });
    const self = await remove(users.subdistrictAdminA.id, users.subdistrictAdminA.id);
    expect(self.status).toBe(409);
    expect(self.body.error.message).toContain("不能撤销自己");
    const anonymous = await server.json(`/api/v1/staff/${users.workerA1.id}`, { method: "DELETE" });
    expect(anonymous.status).toBe(401);
    const wrongMethod = await server.json(`/api/v1/staff/${users.workerA1.id}`, {
      method: "PUT",
      token: await tokenFor(users.districtAdmin.id),
      json: {},
    });
    expect(wrongMethod.status).toBe(405);
    expect(await db().roleAssignment.count()).toBe(before + 1);
    expect(await db().auditLog.count({ where: { action: "staff.remove" } })).toBe(0);
  });

  it("asks to confirm on the page, then takes the role away; without JavaScript too", async () => {
    const { users } = fx;
    const cookie = await sessionCookie(server, users.subdistrictAdminA.id);
    const list = await server.request("/workbench/staff", { headers: { cookie } });
    const listHtml = await list.text();
    expect(listHtml).toContain(`href="/workbench/staff?remove=${users.workerA1.id}"`);
    expect(listHtml).not.toContain(`?remove=${users.subdistrictAdminA.id}`);
    // Asking for someone the admin may not remove shows no confirmation.
    const foreign = await server.request(`/workbench/staff?remove=${users.districtAdmin.id}`, {
      headers: { cookie },
    });
    expect(await foreign.text()).not.toContain("确认撤销");

    const confirm = await server.request(`/workbench/staff?remove=${users.workerA1.id}`, {
      headers: { cookie },
    });
    const confirmHtml = await confirm.text();
    expect(confirmHtml).toContain("确认撤销");
    expect(confirmHtml).toContain(`name="userId" value="${users.workerA1.id}"`);
    expect(await rolesOf(users.workerA1.id)).toEqual(["COMMUNITY_WORKER"]);

    const post = (form: Record<string, string>) =>
      server.request("/workbench/staff", {
        method: "POST",
        body: new URLSearchParams(form).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.origin, cookie },
      });
    const missing = await post({ intent: "REMOVE" });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("请选择要撤销身份的工作人员");
    const foreignPost = await post({ intent: "REMOVE", userId: users.districtAdmin.id });
    expect(foreignPost.status).toBe(404);
    expect(await rolesOf(users.districtAdmin.id)).toEqual(["DISTRICT_ADMIN"]);

    const done = await post({ intent: "REMOVE", userId: users.workerA1.id });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("的工作人员身份");
    expect(await rolesOf(users.workerA1.id)).toEqual([]);
  });
});

describe("unknown endpoints and methods", () => {
  it.each([
    ["GET", "/api/v1/whatever"],
    ["POST", "/api/v1/whatever"],
    ["GET", "/api/v1/staff/extra/segments"],
    ["DELETE", "/api/v1/nothing-here"],
  ])("%s %s answers 404 in the API's JSON error shape", async (method, path) => {
    const res = await server.json(path, {
      method,
      ...(method === "POST" ? { json: {} } : {}),
      token: await tokenFor(fx.users.districtAdmin.id),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.body.error.code).toBe("NOT_FOUND");
    expect(res.body.error.message).toMatch(/\p{Script=Han}/u);
  });

  it.each([
    ["GET", "/api/v1/auth/register"],
    ["GET", "/api/v1/auth/token"],
    ["PUT", "/api/v1/staff"],
    ["DELETE", "/api/v1/staff"],
    ["POST", "/api/v1/territory"],
    ["POST", "/api/v1/me"],
    ["POST", "/api/v1/openapi.json"],
  ])("%s %s answers 405 with a JSON error", async (method, path) => {
    const res = await server.json(path, {
      method,
      ...(method === "GET" || method === "DELETE" ? {} : { json: {} }),
      token: await tokenFor(fx.users.districtAdmin.id),
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.body.error).toMatchObject({ code: "METHOD_NOT_ALLOWED", message: expect.any(String) });
  });

  it("a 405 writes nothing", async () => {
    const res = await server.json("/api/v1/staff", {
      method: "PUT",
      token: await tokenFor(fx.users.districtAdmin.id),
      json: staffInput(),
    });
    expect(res.status).toBe(405);
    await expectNothingWritten();
  });
});

describe("parallel account creation", () => {
  it("two admins opening one phone at once give one account and a 409 on the phone field", async () => {
    const [districtToken, subdistrictToken] = await Promise.all([
      tokenFor(fx.users.districtAdmin.id),
      tokenFor(fx.users.subdistrictAdminA.id),
    ]);
    const answers = await Promise.all(
      [districtToken, subdistrictToken, districtToken, subdistrictToken].map((token) =>
        server.json("/api/v1/staff", { token, json: staffInput() }),
      ),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    for (const res of answers.filter((r) => r.status !== 201)) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: "CONFLICT", fields: { phone: expect.any(String) } });
    }
    expect(await db().user.count({ where: { phone: NEW_PHONE } })).toBe(1);
    expect(await db().auditLog.count({ where: { action: "staff.create" } })).toBe(1);
  });
});

describe("/api/v1/communities/:id/service-phone (社区服务电话)", () => {
  const path = () => `/api/v1/communities/${fx.communities.a1.id}/service-phone`;
  const patch = async (userId: string, servicePhone: unknown) =>
    server.json(path(), { method: "PATCH", json: { servicePhone }, token: await tokenFor(userId) });

  it("is public to read, and kept by staff in scope: normalised, audited without the number", async () => {
    expect((await server.json(path())).body).toEqual({
      communityId: fx.communities.a1.id,
      name: fx.communities.a1.name,
      servicePhone: null,
    });
    const saved = await patch(fx.users.workerA1.id, "（0571）8888 6666");
    expect(saved.status).toBe(200);
    expect(saved.body.servicePhone).toBe("0571-88886666");
    expect((await server.json(path())).body.servicePhone).toBe("0571-88886666");
    // The territory tree carries it too (the footer reads it from there).
    const tree = (await server.json("/api/v1/territory")).body;
    expect(JSON.stringify(tree)).toContain("0571-88886666");
    for (const [typed, stored] of [
      ["01012345678", "010-12345678"],
      ["0571-88886666-123", "0571-88886666-123"],
      ["139 1234 5678", "13912345678"],
    ]) {
      expect((await patch(fx.users.subdistrictAdminA.id, typed)).body.servicePhone).toBe(stored);
    }
    const audit = await db().auditLog.findMany({ where: { action: "territory.community.servicePhone" } });
    expect(audit).toHaveLength(4);
    expect(JSON.stringify(audit)).not.toMatch(/8888|1234/);
    expect((await patch(fx.users.workerA1.id, "")).body.servicePhone).toBeNull();
    expect((await patch(fx.users.workerA1.id, null)).body.servicePhone).toBeNull();
  });

  it.each([["12345"], ["88886666"], ["0571-123"], ["电话"], [12345678901], ["1".repeat(50)]])(
    "refuses %j with a field error and changes nothing",
    async (value) => {
      await db().community.update({
        where: { id: fx.communities.a1.id },
        data: { servicePhone: "0571-88886666" },
      });
      const res = await patch(fx.users.workerA1.id, value);
      expect(res.status).toBe(400);
      expect(res.body.error.fields.servicePhone).toContain("区号");
      expect((await server.json(path())).body.servicePhone).toBe("0571-88886666");
    },
  );

  it("answers 404 for a community that does not exist", async () => {
    expect((await server.json("/api/v1/communities/no-such-community/service-phone")).status).toBe(404);
    expect((await patch(fx.users.districtAdmin.id, "0571-88886666")).status).toBe(200);
    const missing = await server.json("/api/v1/communities/no-such-community/service-phone", {
      method: "PATCH",
      json: { servicePhone: "0571-88886666" },
      token: await tokenFor(fx.users.districtAdmin.id),
    });
    expect(missing.status).toBe(404);
  });

  it("shows the signed-in resident's community phone in the footer and on 我的, as a tel: link", async () => {
    await db().community.update({
      where: { id: fx.communities.a1.id },
      data: { servicePhone: "0571-88886666" },
    });
    const cookie = await sessionCookie(server, fx.users.residentA1.id);
    for (const page of ["/", "/me"]) {
      const html = await (await server.request(page, { headers: { cookie } })).text();
      expect(html, page).toContain('href="tel:0571-88886666"');
    }
    const me = await (await server.request("/me", { headers: { cookie } })).text();
    expect(me).toContain("社区服务电话");
    // Signed out, the footer names no community.
    expect(await (await server.request("/")).text()).not.toContain("tel:0571-88886666");
  });

  it("the 辖区管理 page lets a worker keep their community's phone and nobody else's", async () => {
    const cookie = await sessionCookie(server, fx.users.workerA1.id);
    const form = (communityId: string, servicePhone: string) =>
      server.request("/workbench/territory", {
        method: "POST",
        body: new URLSearchParams({ intent: "setServicePhone", communityId, servicePhone }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.origin, cookie },
      });
    const saved = await form(fx.communities.a1.id, "0571 8888 6666");
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("0571-88886666");
    const bad = await form(fx.communities.a1.id, "123");
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("区号");
    const foreign = await form(fx.communities.b1.id, "0571-88880000");
    expect(foreign.status).toBe(403);
    const stored = await db().community.findMany({ select: { id: true, servicePhone: true } });
    expect(stored.filter((c) => c.servicePhone !== null)).toEqual([
      { id: fx.communities.a1.id, servicePhone: "0571-88886666" },
    ]);
  });
});
