import type { NeedStatus } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider } from "../../prisma/factories/marketplace";
import { keptFixture } from "../setup/kept-fixtures";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The needs API through the real HTTP stack: posting (also 代办), reading with the contact details
// shown only to those allowed, the lists, the life cycle, and what each write leaves behind.

let server: TestServer;
let fx: TerritoryFixture;
let neighbourA1: Awaited<ReturnType<typeof createResident>>;
let residentB1: Awaited<ReturnType<typeof createResident>>;
let token: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
/** The file's people and their tokens: made once, put back from their rows for every test. */
const people = keptFixture(async () => {
  const fx = await createTerritoryFixture(db());
  const workerB1 = await createUser(db(), {
    roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
  });
  const neighbourA1 = await createResident(db(), fx.communities.a1.id);
  const residentB1 = await createResident(db(), fx.communities.b1.id);
  const token: Record<string, string> = {};
  const users = { ...fx.users, workerB1, neighbourA1, residentB1 };
  for (const [key, user] of Object.entries(users)) token[key] = await tokenFor(user.id);
  return { fx, neighbourA1, residentB1, token };
});
beforeEach(async () => {
  ({ fx, neighbourA1, residentB1, token } = await people());
});

const DAY_MS = 24 * 3600 * 1000;
const NEW_PHONE = "13912345678";

const needInput = (overrides: Record<string, unknown> = {}) => ({
  title: "老人需要上门探访",
  description: "家里老人独居，希望每周有人上门看看。",
  category: "elderly-care",
  ...overrides,
});

/** A need of residentA1 in community a1, written directly. */
const needOfResidentA1 = (values: { status?: NeedStatus; createdAt?: Date } = {}) =>
  createNeed(db(), { requesterId: fx.users.residentA1.id, communityId: fx.communities.a1.id, ...values });

const post = (path: string, who: string | undefined, json: unknown = {}) =>
  server.json(path, { method: "POST", json, token: who ? token[who] : undefined });
const get = (path: string, who?: string) => server.json(path, { token: who ? token[who] : undefined });

async function counts() {
  const [needs, users, audits, outbox] = await Promise.all([
    db().need.count(),
    db().user.count(),
    db().auditLog.count(),
    db().outboxEvent.count(),
  ]);
  return { needs, users, audits, outbox };
}

const maskOf = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

describe("POST /api/v1/needs by a resident", () => {
  it("posts for the resident's own community by default, with audit and outbox rows", async () => {
    const res = await post(
      "/api/v1/needs",
      "residentA1",
      needInput({ urgency: "HIGH", preferredTime: "周末上午" }),
    );
    expect(res.status).toBe(201);
    const resident = fx.users.residentA1;
    expect(res.body.need).toMatchObject({
      title: "老人需要上门探访",
      category: "elderly-care",
      categoryName: "养老助老",
      communityId: fx.communities.a1.id,
      communityName: fx.communities.a1.name,
      urgency: "HIGH",
      preferredTime: "周末上午",
      status: "OPEN",
      statusLabel: "待对接",
      onBehalf: false,
      requesterPhoneMasked: maskOf(resident.phone),
      requester: { name: resident.name, phone: resident.phone },
      actions: { cancel: true, close: false, fulfil: false, rate: false },
    });
    expect(res.body.need.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const stored = await db().need.findUniqueOrThrow({ where: { id: res.body.need.id } });
    expect(stored).toMatchObject({
      requesterId: resident.id,
      createdById: resident.id,
      onBehalf: false,
      version: 1,
      status: "OPEN",
    });
    const audits = await db().auditLog.findMany({ where: { targetId: stored.id } });
    expect(audits.map((a) => [a.action, a.actorId, a.targetType])).toEqual([
      ["need.create", resident.id, "Need"],
    ]);
    expect(JSON.stringify(audits[0]?.data)).not.toContain(resident.phone);
    const outbox = await db().outboxEvent.findMany({ where: { aggregateId: stored.id } });
    expect(outbox.map((o) => [o.topic, o.aggregateType, o.version])).toEqual([
      ["need.changed", "Need", 1],
      ["need.posted", "Need", 1],
    ]);
  });

  it("limits each account to 20 needs an hour, with a clear 429 that writes nothing", async () => {
    for (let i = 0; i < 20; i += 1) {
      expect((await post("/api/v1/needs", "residentA1", needInput({ title: `需求${i}号测试` }))).status).toBe(
        201,
      );
    }
    const before = await counts();
    const limited = await post("/api/v1/needs", "residentA1", needInput());
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: "RATE_LIMITED" });
    expect(limited.body.error.message).toMatch(/^发布需求太频繁，请在\d+分钟后再试$/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
    // Another resident is not affected.
    expect((await post("/api/v1/needs", "neighbourA1", needInput())).status).toBe(201);
  });

  it("answers 403 to a resident posting for another community, and writes nothing", async () => {
    const before = await counts();
    const res = await post("/api/v1/needs", "residentA1", needInput({ communityId: fx.communities.a2.id }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("FORBIDDEN");
    expect(await counts()).toEqual(before);
  });

  it("answers 401 without a credential", async () => {
    const res = await post("/api/v1/needs", undefined, needInput());
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("UNAUTHENTICATED");
  });

  it("answers field errors in Chinese for bad input, and writes nothing", async () => {
    const before = await counts();
    const res = await post("/api/v1/needs", "residentA1", {
      title: "短",
      description: "太短",
      category: "cooking",
      urgency: "VERY",
      preferredTime: "时".repeat(61),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION");
    expect(res.body.error.fields).toEqual({
      title: "标题至少4个字",
      description: "需求描述至少10个字",
      category: "请选择需求类别",
      urgency: "请选择紧急程度：不急、一般或紧急",
      preferredTime: "希望的时间不能超过60个字",
    });
    const unknownCommunity = await post("/api/v1/needs", "residentA1", needInput({ communityId: "nope" }));
    expect(unknownCommunity.status).toBe(400);
    expect(unknownCommunity.body.error.fields.communityId).toBe("所选社区不存在，请重新选择");
    expect(await counts()).toEqual(before);
  });

  it("answers 400 to malformed JSON and to a body that is not an object", async () => {
    for (const body of ['{"title": "半截', "[1,2]", ""]) {
      const res = await server.json("/api/v1/needs", {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
        token: token.residentA1,
      });
      expect(res.status, body).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION");
    }
    expect(await db().need.count()).toBe(0);
  });

  it("asks staff without a resident role for the resident's phone (代办)", async () => {
    const res = await post("/api/v1/needs", "workerA1", needInput({ communityId: fx.communities.a1.id }));
    expect(res.status).toBe(400);
    expect(res.body.error.fields.requesterPhone).toBe("代办需求请填写居民的手机号");
    expect(await db().need.count()).toBe(0);
  });
});

describe("POST /api/v1/needs on a resident's behalf (代办)", () => {
  it("posts for an existing resident in scope: onBehalf, createdBy the worker, audited", async () => {
    const resident = fx.users.residentA1;
    const res = await post("/api/v1/needs", "workerA1", needInput({ requesterPhone: resident.phone }));
    expect(res.status).toBe(201);
    expect(res.body.need).toMatchObject({
      communityId: fx.communities.a1.id,
      onBehalf: true,
      requester: { name: resident.name, phone: resident.phone },
      actions: { cancel: false, close: true, fulfil: false, rate: false },
    });
    const stored = await db().need.findUniqueOrThrow({ where: { id: res.body.need.id } });
    expect(stored).toMatchObject({
      requesterId: resident.id,
      createdById: fx.users.workerA1.id,
      onBehalf: true,
    });
    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: stored.id } });
    expect(audit).toMatchObject({
      action: "need.create.onBehalf",
      actorId: fx.users.workerA1.id,
      data: { requesterId: resident.id, communityId: fx.communities.a1.id, accountCreated: false },
    });
    expect(await db().user.count()).toBe(7);
    // The resident finds it among their own needs.
    const mine = await get("/api/v1/needs", "residentA1");
    expect(mine.body.items.map((n: { id: string }) => n.id)).toEqual([stored.id]);
  });

  it("opens a resident account for a phone without one, in the chosen community", async () => {
    const res = await post(
      "/api/v1/needs",
      "subdistrictAdminA",
      needInput({
        requesterPhone: "139 1234 5678",
        requesterName: "张桂兰",
        communityId: fx.communities.a2.id,
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.need.requester).toEqual({ name: "张桂兰", phone: NEW_PHONE });
    const user = await db().user.findUniqueOrThrow({ where: { phone: NEW_PHONE }, include: { roles: true } });
    expect(user).toMatchObject({ name: "张桂兰", communityId: fx.communities.a2.id });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.roles.map((r) => [r.role, r.scopeId])).toEqual([["RESIDENT", fx.communities.a2.id]]);
    const audits = await db().auditLog.findMany({
      where: { actorId: fx.users.subdistrictAdminA.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audits.map((a) => [a.action, a.targetId])).toEqual([
      ["account.create.onBehalf", user.id],
      ["need.create.onBehalf", res.body.need.id],
    ]);
    expect(audits[1]?.data).toMatchObject({ requesterId: user.id, accountCreated: true });
    for (const audit of audits) {
      expect(JSON.stringify(audit.data)).not.toContain(NEW_PHONE);
      expect(JSON.stringify(audit.data)).not.toContain("张桂兰");
    }
    // The random password is nobody's: a guess fails like any wrong password.
    const signIn = await server.json("/api/v1/auth/token", {
      json: { phone: NEW_PHONE, password: NEW_PHONE },
    });
    expect(signIn.status).toBe(401);
  });

  it("needs a name and a community for a phone without an account, and writes nothing without them", async () => {
    const before = await counts();
    const res = await post("/api/v1/needs", "subdistrictAdminA", needInput({ requesterPhone: NEW_PHONE }));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual({
      requesterPhone: "您的辖区内没有使用该手机号的居民；新居民请同时填写姓名，将为其开通账号",
      requesterName: "请填写居民姓名",
      communityId: "请选择居民所在的社区",
    });
    expect(await counts()).toEqual(before);
  });

  // DESIGN.md §7: an answer never tells whose a phone number is. For each staff role, a number held
  // outside the scope and a number nobody holds are answered alike, first without a name (nothing
  // written), then with one (both go ahead, named as typed); the lookup limit counts them all.
  const roles = [
    {
      who: "workerA1",
      community: () => fx.communities.a1.id,
      own: () => neighbourA1,
      foreign: () => residentB1,
    },
    {
      who: "subdistrictAdminA",
      community: () => fx.communities.a1.id,
      own: () => fx.users.residentA1,
      foreign: () => residentB1,
    },
    {
      who: "workerB1",
      community: () => fx.communities.b1.id,
      own: () => residentB1,
      foreign: () => fx.users.residentA1,
    },
  ];
  /** The parts of an answer that differ with the need and the number, not with who holds it. */
  const shapeOf = (body: { need: Record<string, unknown> }) => ({
    ...body.need,
    id: "id",
    caseNumber: "case",
    createdAt: "t",
    updatedAt: "t",
    requester: "typed",
    requesterPhoneMasked: "masked",
  });

  for (const role of roles) {
    it(`answers ${role.who} alike for a number outside the scope and one nobody holds`, async () => {
      const foreign = role.foreign();
      const before = await counts();
      const bare = async (phone: string) =>
        post("/api/v1/needs", role.who, needInput({ requesterPhone: phone, communityId: role.community() }));
      const outside = await bare(foreign.phone);
      const unknown = await bare(NEW_PHONE);
      expect(outside.status).toBe(400);
      expect(outside.body).toEqual(unknown.body);
      expect(JSON.stringify(outside.body)).not.toContain(foreign.name);
      // A malformed number is refused on its field before anything is looked up.
      const malformed = await bare("12345");
      expect(malformed.status).toBe(400);
      expect(Object.keys(malformed.body.error.fields)).toEqual(["requesterPhone"]);
      expect(await counts()).toEqual(before);

      // With the name typed at the desk, both go ahead and read alike: the typed name, never the
      // account's.
      const named = async (phone: string, requesterName: string) =>
        post(
          "/api/v1/needs",
          role.who,
          needInput({ requesterPhone: phone, requesterName, communityId: role.community() }),
        );
      const heldElsewhere = await named(foreign.phone, "王秀兰");
      const opened = await named("13912340000", "王秀兰");
      expect(heldElsewhere.status).toBe(201);
      expect(opened.status).toBe(201);
      expect(shapeOf(heldElsewhere.body)).toEqual(shapeOf(opened.body));
      expect(heldElsewhere.body.need.requester).toEqual({ name: "王秀兰", phone: foreign.phone });
      expect(opened.body.need.requester).toEqual({ name: "王秀兰", phone: "13912340000" });
      const read = await get(`/api/v1/needs/${heldElsewhere.body.need.id}`, role.who);
      const list = await get(`/api/v1/needs?communityId=${role.community()}`, role.who);
      for (const text of [
        JSON.stringify(heldElsewhere.body),
        JSON.stringify(read.body),
        JSON.stringify(list.body),
      ]) {
        expect(text).not.toContain(foreign.name);
      }
      // The need is its holder's: she sees it among her own, and no second account was opened.
      expect(await db().user.count({ where: { phone: foreign.phone } })).toBe(1);
      const stored = await db().need.findUniqueOrThrow({ where: { id: heldElsewhere.body.need.id } });
      expect(stored).toMatchObject({ requesterId: foreign.id, requesterNameGiven: "王秀兰", onBehalf: true });
      expect(
        (await db().need.findUniqueOrThrow({ where: { id: opened.body.need.id } })).requesterNameGiven,
      ).toBeNull();

      // Served once, both are known to the scope by the name typed, as a resident is: a second 代办
      // needs no name for either, and still cannot tell them apart.
      const [known, reopened] = [await bare(foreign.phone), await bare("13912340000")];
      expect(known.status).toBe(201);
      expect(reopened.status).toBe(201);
      expect(shapeOf(known.body)).toEqual(shapeOf(reopened.body));
      expect(known.body.need.requester.name).toBe("王秀兰");
      expect(JSON.stringify(known.body)).not.toContain(foreign.name);

      // A resident of the scope is the desk's to serve: found by the number alone, named as registered.
      const own = role.own();
      const served = await post("/api/v1/needs", role.who, needInput({ requesterPhone: own.phone }));
      expect(served.status).toBe(201);
      expect(served.body.need).toMatchObject({
        communityId: role.community(),
        requester: { name: own.name, phone: own.phone },
      });
    });
  }

  it("counts every 代办 lookup, found or not, against the staff account's limit", async () => {
    // 60 lookups an hour; the need-posting limit (20 an hour) counts only needs posted.
    for (let i = 0; i < 60; i += 1) {
      const res = await post(
        "/api/v1/needs",
        "workerA1",
        needInput({ requesterPhone: `1380013${String(i).padStart(4, "0")}` }),
      );
      expect(res.status).toBe(400);
    }
    const before = await counts();
    for (const phone of [residentB1.phone, NEW_PHONE, fx.users.residentA1.phone]) {
      const limited = await post(
        "/api/v1/needs",
        "workerA1",
        needInput({ requesterPhone: phone, requesterName: "王秀兰", communityId: fx.communities.a1.id }),
      );
      expect(limited.status, phone).toBe(429);
      expect(limited.body.error.message).toMatch(/^代办操作太频繁，请在\d+分钟后再试$/);
    }
    expect(await counts()).toEqual(before);
  });

  it("answers 403 for communities outside the worker's scope and for residents, and writes nothing", async () => {
    const before = await counts();
    // The community is checked before the number is looked up, so this says nothing about it.
    for (const phone of [residentB1.phone, NEW_PHONE]) {
      const foreignCommunity = await post(
        "/api/v1/needs",
        "workerA1",
        needInput({ requesterPhone: phone, requesterName: "张桂兰", communityId: fx.communities.b1.id }),
      );
      expect(foreignCommunity.status).toBe(403);
    }
    // A resident cannot post for someone else.
    const byResident = await post(
      "/api/v1/needs",
      "residentA1",
      needInput({ requesterPhone: neighbourA1.phone }),
    );
    expect(byResident.status).toBe(403);
    // The worker's own number is theirs to know.
    const own = await post(
      "/api/v1/needs",
      "workerA1",
      needInput({ requesterPhone: fx.users.workerA1.phone }),
    );
    expect(own.status).toBe(400);
    expect(own.body.error.fields.requesterPhone).toBe("这是您本人的手机号，代办请填写居民的手机号");
    expect(await counts()).toEqual(before);
  });

  it("refuses a community that is not the existing resident's own", async () => {
    const res = await post(
      "/api/v1/needs",
      "subdistrictAdminA",
      needInput({ requesterPhone: fx.users.residentA1.phone, communityId: fx.communities.a2.id }),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.fields.communityId).toBe("该居民登记在其他社区，请选择其所在的社区");
    expect(await db().need.count()).toBe(0);
  });
});

describe("GET /api/v1/needs/:id: who sees the contact details", () => {
  it("shows name and phone to the requester and staff in scope, the masked phone to everyone else", async () => {
    const need = await needOfResidentA1();
    const resident = fx.users.residentA1;
    for (const who of ["residentA1", "workerA1", "subdistrictAdminA", "districtAdmin"]) {
      const res = await get(`/api/v1/needs/${need.id}`, who);
      expect(res.status, who).toBe(200);
      expect(res.body.need.requester, who).toEqual({ name: resident.name, phone: resident.phone });
      expect(res.body.need.requesterPhoneMasked).toBe(maskOf(resident.phone));
    }
    for (const who of ["workerB1", "neighbourA1", "residentB1"]) {
      const res = await get(`/api/v1/needs/${need.id}`, who);
      expect(res.status, who).toBe(200);
      expect(res.body.need).toMatchObject({
        id: need.id,
        title: need.title,
        description: need.description,
        communityName: fx.communities.a1.name,
        status: "OPEN",
        requester: null,
        requesterPhoneMasked: maskOf(resident.phone),
        actions: { cancel: false, close: false, fulfil: false, rate: false },
      });
      const text = JSON.stringify(res.body);
      expect(text, who).not.toContain(resident.phone);
      expect(text, who).not.toContain(resident.name);
    }
  });

  it("masks contact details typed into the need for everyone who may not contact the requester", async () => {
    const need = await createNeed(db(), {
      requesterId: fx.users.residentA1.id,
      communityId: fx.communities.a1.id,
      title: "老人需要陪同就医，请联系13912345678",
      description: "住幸福路12号3栋2单元301室，身份证110101199003071234，座机0571-88886666。",
      preferredTime: "周六上午，到了打13987654321",
    });
    const provider = await createUser(db());
    await createProvider(db(), { communityIds: [fx.communities.b1.id], members: [{ userId: provider.id }] });
    token.providerOwner = await tokenFor(provider.id);
    const secrets = ["13912345678", "110101199003071234", "0571-88886666", "13987654321", "3栋2单元301室"];
    for (const who of ["workerB1", "neighbourA1", "residentB1", "providerOwner"]) {
      const res = await get(`/api/v1/needs/${need.id}`, who);
      expect(res.status, who).toBe(200);
      expect(res.body.need, who).toMatchObject({
        title: "老人需要陪同就医，请联系139****5678",
        description: "住幸福路12号*栋*单元*室，身份证110*************34，座机0571*******66。",
        preferredTime: "周六上午，到了打139****4321",
      });
      for (const secret of secrets) expect(JSON.stringify(res.body), who).not.toContain(secret);
    }
    for (const who of ["residentA1", "workerA1", "districtAdmin"]) {
      const res = await get(`/api/v1/needs/${need.id}`, who);
      expect(res.body.need, who).toMatchObject({
        title: need.title,
        description: need.description,
        preferredTime: need.preferredTime,
      });
    }
    // The public list shows the title masked too.
    const open = await get("/api/v1/needs/open");
    const listed = open.body.items.find((item: { id: string }) => item.id === need.id);
    expect(listed.title).toBe("老人需要陪同就医，请联系139****5678");
    expect(JSON.stringify(open.body)).not.toContain("13912345678");
  });

  it("keeps the close reason and the rating for the same people", async () => {
    const need = await needOfResidentA1();
    await db().need.update({
      where: { id: need.id },
      data: { status: "FULFILLED", rating: 4, ratingComment: "王阿姨很满意", closeReason: null },
    });
    expect((await get(`/api/v1/needs/${need.id}`, "workerA1")).body.need).toMatchObject({
      rating: 4,
      ratingComment: "王阿姨很满意",
    });
    const other = await get(`/api/v1/needs/${need.id}`, "neighbourA1");
    expect(other.body.need).toMatchObject({ rating: null, ratingComment: null });
  });

  it("answers 404 for unknown or malformed ids and 401 without a credential", async () => {
    for (const id of ["no-such-need", "a%00b", "x".repeat(100), "%E4%BD%A0"]) {
      const res = await get(`/api/v1/needs/${id}`, "residentA1");
      expect(res.status, id).toBe(404);
      expect(res.body.error.code).toBe("NOT_FOUND");
    }
    const need = await needOfResidentA1();
    expect((await get(`/api/v1/needs/${need.id}`)).status).toBe(401);
  });
});

describe("GET /api/v1/needs/open: the public list", () => {
  it("lists open needs to anyone, newest first, with no personal data at all", async () => {
    const old = await needOfResidentA1({ createdAt: new Date(Date.now() - 2 * DAY_MS) });
    const recent = await createNeed(db(), {
      requesterId: residentB1.id,
      communityId: fx.communities.b1.id,
      category: "legal",
      urgency: "HIGH",
    });
    await needOfResidentA1({ status: "CANCELLED" });
    await needOfResidentA1({ status: "MATCHED" });
    await createNeed(db(), {
      requesterId: neighbourA1.id,
      createdById: fx.users.workerA1.id,
      communityId: fx.communities.a1.id,
      status: "CLOSED",
    });

    const res = await get("/api/v1/needs/open");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(res.body.items).toEqual([
      {
        id: recent.id,
        caseNumber: recent.caseNumber,
        title: recent.title,
        category: "legal",
        categoryName: "法律援助",
        communityId: fx.communities.b1.id,
        communityName: fx.communities.b1.name,
        urgency: "HIGH",
        createdAt: recent.createdAt.toISOString(),
      },
      expect.objectContaining({ id: old.id, communityName: fx.communities.a1.name }),
    ]);
    const text = JSON.stringify(res.body);
    for (const person of [fx.users.residentA1, residentB1, neighbourA1, fx.users.workerA1]) {
      expect(text).not.toContain(person.phone);
      expect(text).not.toContain(person.name);
      expect(text).not.toContain(person.id);
    }
    expect(text).not.toMatch(/1[3-9]\d{9}|\*{4}/);
    expect(text).not.toMatch(/description|requester|phone/i);
  });

  it("filters by category and community and pages", async () => {
    await needOfResidentA1();
    await needOfResidentA1();
    const legal = await createNeed(db(), {
      requesterId: residentB1.id,
      communityId: fx.communities.b1.id,
      category: "legal",
    });
    const byCategory = await get("/api/v1/needs/open?category=legal");
    expect(byCategory.body.items.map((n: { id: string }) => n.id)).toEqual([legal.id]);
    const byCommunity = await get(`/api/v1/needs/open?communityId=${fx.communities.a1.id}&pageSize=1&page=2`);
    expect(byCommunity.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(byCommunity.body.items).toHaveLength(1);
    const bad = await get("/api/v1/needs/open?category=cooking&pageSize=500");
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(["category", "pageSize"]);
  });
});

describe("GET /api/v1/needs: triage and one's own", () => {
  async function spreadNeeds() {
    const a1Old = await needOfResidentA1({ createdAt: new Date(Date.now() - 10 * DAY_MS) });
    const a1New = await needOfResidentA1();
    const a1Done = await needOfResidentA1({
      status: "FULFILLED",
      createdAt: new Date(Date.now() - 40 * DAY_MS),
    });
    const a2 = await createNeed(db(), {
      requesterId: (await createResident(db(), fx.communities.a2.id)).id,
      communityId: fx.communities.a2.id,
      category: "medical",
      urgency: "HIGH",
      createdAt: new Date(Date.now() - 5 * DAY_MS),
    });
    const b1 = await createNeed(db(), { requesterId: residentB1.id, communityId: fx.communities.b1.id });
    const neighbours = await createNeed(db(), {
      requesterId: neighbourA1.id,
      communityId: fx.communities.a1.id,
    });
    return { a1Old, a1New, a1Done, a2, b1, neighbours };
  }
  const idsOf = (body: { items: { id: string }[] }) => body.items.map((n) => n.id);

  it("narrows staff to their reach, oldest open first, with the requester's phone masked", async () => {
    const n = await spreadNeeds();
    const worker = await get("/api/v1/needs", "workerA1");
    expect(worker.status).toBe(200);
    expect(idsOf(worker.body)).toEqual([n.a1Old.id, n.a1New.id, n.neighbours.id, n.a1Done.id]);
    expect(worker.body.items[0]).toMatchObject({
      status: "OPEN",
      statusLabel: "待对接",
      requesterName: fx.users.residentA1.name,
      requesterPhoneMasked: maskOf(fx.users.residentA1.phone),
    });
    expect(JSON.stringify(worker.body)).not.toContain(fx.users.residentA1.phone);

    const subdistrict = await get("/api/v1/needs", "subdistrictAdminA");
    expect(idsOf(subdistrict.body).sort()).toEqual(
      [n.a1Old.id, n.a1New.id, n.a1Done.id, n.a2.id, n.neighbours.id].sort(),
    );
    const district = await get("/api/v1/needs", "districtAdmin");
    expect(district.body.total).toBe(6);
    const other = await get("/api/v1/needs", "workerB1");
    expect(idsOf(other.body)).toEqual([n.b1.id]);
  });

  it("filters by status, category, urgency, community and age, and pages", async () => {
    const n = await spreadNeeds();
    const list = (query: string) => get(`/api/v1/needs?${query}`, "subdistrictAdminA");
    expect(idsOf((await list("status=FULFILLED")).body)).toEqual([n.a1Done.id]);
    expect(idsOf((await list("category=medical")).body)).toEqual([n.a2.id]);
    expect(idsOf((await list("urgency=HIGH")).body)).toEqual([n.a2.id]);
    expect(idsOf((await list(`communityId=${fx.communities.a2.id}`)).body)).toEqual([n.a2.id]);
    expect(idsOf((await list("olderThanDays=3&status=OPEN")).body)).toEqual([n.a1Old.id, n.a2.id]);
    expect(idsOf((await list("olderThanDays=30")).body)).toEqual([n.a1Done.id]);
    expect(idsOf((await list("newerThanDays=1")).body).sort()).toEqual([n.a1New.id, n.neighbours.id].sort());
    expect(idsOf((await list("newerThanDays=7&olderThanDays=3")).body)).toEqual([n.a2.id]);
    expect(idsOf((await list("sort=newest&pageSize=1")).body)).toHaveLength(1);
    const page2 = await list("pageSize=2&page=2");
    expect(page2.body).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(page2.body.items).toHaveLength(2);
    // Blank filters mean "all", as a GET form sends them.
    expect((await list("status=&category=&urgency=&communityId=&olderThanDays=")).body.total).toBe(5);
  });

  it("answers 403 to staff filtering a community outside their reach", async () => {
    await spreadNeeds();
    const res = await get(`/api/v1/needs?communityId=${fx.communities.b1.id}`, "workerA1");
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe("所选社区不在您的辖区内");
  });

  it("shows residents their own needs only, and refuses users with no role at all", async () => {
    const n = await spreadNeeds();
    const mine = await get("/api/v1/needs", "residentA1");
    expect(idsOf(mine.body).sort()).toEqual([n.a1Old.id, n.a1New.id, n.a1Done.id].sort());
    const neighbour = await get("/api/v1/needs?status=OPEN", "neighbourA1");
    expect(idsOf(neighbour.body)).toEqual([n.neighbours.id]);

    const nobody = await createUser(db());
    const refused = await server.json("/api/v1/needs", { token: await tokenFor(nobody.id) });
    expect(refused.status).toBe(403);
    expect((await get("/api/v1/needs")).status).toBe(401);
  });

  it("answers 400 with the bad filter named", async () => {
    const res = await get("/api/v1/needs?status=DONE&olderThanDays=abc", "workerA1");
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(["olderThanDays", "status"]);
  });
});

describe("the life cycle", () => {
  async function expectStep(needId: string, action: string, actorId: string, version: number) {
    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: needId, action } });
    expect(audit.actorId).toBe(actorId);
    const outbox = await db().outboxEvent.findMany({
      where: { aggregateId: needId },
      orderBy: { id: "asc" },
    });
    expect(outbox.map((o) => o.version)).toEqual([version]);
    expect((await db().need.findUniqueOrThrow({ where: { id: needId } })).version).toBe(version);
  }

  it("lets the requester cancel an open or matched need", async () => {
    for (const status of ["OPEN", "MATCHED"] as const) {
      const need = await needOfResidentA1({ status });
      const res = await post(`/api/v1/needs/${need.id}/cancel`, "residentA1");
      expect(res.status, status).toBe(200);
      expect(res.body.need).toMatchObject({ status: "CANCELLED", statusLabel: "已取消" });
      expect(res.body.need.cancelledAt).toEqual(expect.any(String));
      await expectStep(need.id, "need.cancel", fx.users.residentA1.id, 2);
    }
  });

  it("refuses cancelling by anyone but the requester (403) and from later states (409)", async () => {
    const need = await needOfResidentA1();
    for (const who of ["neighbourA1", "workerA1", "districtAdmin"]) {
      const res = await post(`/api/v1/needs/${need.id}/cancel`, who);
      expect(res.status, who).toBe(403);
    }
    for (const status of ["SCHEDULED", "FULFILLED", "CANCELLED", "CLOSED"] as const) {
      const later = await needOfResidentA1({ status });
      const res = await post(`/api/v1/needs/${later.id}/cancel`, "residentA1");
      expect(res.status, status).toBe(409);
      expect(res.body.error.code).toBe("CONFLICT");
    }
    expect((await post("/api/v1/needs/no-such-need/cancel", "residentA1")).status).toBe(404);
    expect((await post(`/api/v1/needs/${need.id}/cancel`, undefined)).status).toBe(401);
    expect(await db().auditLog.count()).toBe(0);
    expect(await db().outboxEvent.count()).toBe(0);
  });

  it("lets staff in scope close an open, matched or scheduled need with a reason", async () => {
    for (const [status, who] of [
      ["OPEN", "workerA1"],
      ["MATCHED", "subdistrictAdminA"],
      ["SCHEDULED", "districtAdmin"],
    ] as const) {
      const need = await needOfResidentA1({ status });
      const res = await post(`/api/v1/needs/${need.id}/close`, who, { reason: " 居民已搬离本社区 " });
      expect(res.status, status).toBe(200);
      expect(res.body.need).toMatchObject({ status: "CLOSED", closeReason: "居民已搬离本社区" });
      const stored = await db().need.findUniqueOrThrow({ where: { id: need.id } });
      expect(stored.closedAt).toBeInstanceOf(Date);
      const actor = fx.users[who];
      await expectStep(need.id, "need.close", actor.id, 2);
      const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: need.id } });
      expect(JSON.stringify(audit.data)).not.toContain("搬离");
    }
    // The requester reads why.
    const closed = await db().need.findFirstOrThrow({ where: { status: "CLOSED" } });
    expect((await get(`/api/v1/needs/${closed.id}`, "residentA1")).body.need.closeReason).toBe(
      "居民已搬离本社区",
    );
  });

  it("refuses closing outside the scope (403), without a reason (400), from a final state (409)", async () => {
    const need = await needOfResidentA1();
    for (const who of ["workerB1", "residentA1", "neighbourA1"]) {
      const res = await post(`/api/v1/needs/${need.id}/close`, who, { reason: "重复提交" });
      expect(res.status, who).toBe(403);
    }
    const noReason = await post(`/api/v1/needs/${need.id}/close`, "workerA1", { reason: " " });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toBe("请填写关闭原因");
    const malformed = await server.json(`/api/v1/needs/${need.id}/close`, {
      method: "POST",
      body: "{reason:",
      headers: { "content-type": "application/json" },
      token: token.workerA1,
    });
    expect(malformed.status).toBe(400);
    const done = await needOfResidentA1({ status: "FULFILLED" });
    const late = await post(`/api/v1/needs/${done.id}/close`, "workerA1", { reason: "重复提交" });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe("该需求当前“已完成”，不能关闭");
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("OPEN");
    expect(await db().auditLog.count()).toBe(0);
  });

  it("lets the requester confirm fulfilment with a rating and a comment", async () => {
    const need = await needOfResidentA1({ status: "SCHEDULED" });
    const res = await post(`/api/v1/needs/${need.id}/fulfil`, "residentA1", {
      rating: 5,
      comment: "非常及时",
    });
    expect(res.status).toBe(200);
    expect(res.body.need).toMatchObject({ status: "FULFILLED", rating: 5, ratingComment: "非常及时" });
    const stored = await db().need.findUniqueOrThrow({ where: { id: need.id } });
    expect(stored).toMatchObject({ rating: 5, ratingComment: "非常及时" });
    expect(stored.fulfilledAt).toBeInstanceOf(Date);
    await expectStep(need.id, "need.fulfil", fx.users.residentA1.id, 2);
    const audit = await db().auditLog.findFirstOrThrow({ where: { targetId: need.id } });
    expect(audit.data).toEqual({ from: "SCHEDULED", rating: 5 });
  });

  it("lets staff in scope confirm fulfilment without a rating, and refuses their rating (400)", async () => {
    const need = await needOfResidentA1({ status: "MATCHED" });
    const rated = await post(`/api/v1/needs/${need.id}/fulfil`, "workerA1", { rating: 5, comment: "好" });
    expect(rated.status).toBe(400);
    expect(rated.body.error.fields).toEqual({
      rating: "只有提出需求的居民本人可以评分",
      comment: "只有提出需求的居民本人可以填写评价",
    });
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("MATCHED");

    const res = await post(`/api/v1/needs/${need.id}/fulfil`, "workerA1", {});
    expect(res.status).toBe(200);
    expect(res.body.need).toMatchObject({ status: "FULFILLED", rating: null });
    await expectStep(need.id, "need.fulfil", fx.users.workerA1.id, 2);
  });

  it("refuses fulfilment by strangers (403), bad ratings (400) and from final states (409)", async () => {
    const need = await needOfResidentA1();
    for (const who of ["neighbourA1", "workerB1"]) {
      expect((await post(`/api/v1/needs/${need.id}/fulfil`, who, {})).status, who).toBe(403);
    }
    for (const rating of [0, 6, 2.5, "很好"]) {
      const res = await post(`/api/v1/needs/${need.id}/fulfil`, "residentA1", { rating });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.rating).toBe("评分应为1到5的整数");
    }
    for (const status of ["OPEN", "FULFILLED", "CANCELLED", "CLOSED"] as const) {
      const final = await needOfResidentA1({ status });
      expect((await post(`/api/v1/needs/${final.id}/fulfil`, "residentA1", { rating: 3 })).status).toBe(409);
    }
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).status).toBe("OPEN");
    expect(await db().auditLog.count()).toBe(0);
  });

  it("lets exactly one of two simultaneous changes through", async () => {
    const need = await needOfResidentA1();
    const results = await Promise.all([
      post(`/api/v1/needs/${need.id}/cancel`, "residentA1"),
      post(`/api/v1/needs/${need.id}/close`, "workerA1", { reason: "重复提交" }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await db().need.findUniqueOrThrow({ where: { id: need.id } })).version).toBe(2);
    expect(await db().auditLog.count()).toBe(1);
    expect(await db().outboxEvent.count()).toBe(1);
  });

  it("answers 405 to the wrong method", async () => {
    const need = await needOfResidentA1();
    const res = await get(`/api/v1/needs/${need.id}/cancel`, "residentA1");
    expect(res.status).toBe(405);
    const del = await server.json(`/api/v1/needs/${need.id}`, { method: "DELETE", token: token.residentA1 });
    expect(del.status).toBe(405);
  });
});

describe("the API description", () => {
  it("documents the needs endpoints with their bodies and query parameters", async () => {
    const { body: doc } = await server.json("/api/v1/openapi.json");
    const postBody = doc.paths["/api/v1/needs"].post.requestBody.content["application/json"].schema;
    expect(postBody.required.sort()).toEqual(["category", "description", "title"]);
    expect(postBody.properties.urgency.enum).toEqual(["LOW", "NORMAL", "HIGH"]);
    expect(Object.keys(postBody.properties)).toContain("requesterPhone");
    const query = doc.paths["/api/v1/needs"].get.parameters.map((p: { name: string }) => p.name);
    expect(query).toEqual(
      expect.arrayContaining(["status", "communityId", "category", "olderThanDays", "page"]),
    );
    expect(doc.paths["/api/v1/needs/open"].get.security).toBeUndefined();
    const fulfil = doc.paths["/api/v1/needs/{id}/fulfil"].post.requestBody.content["application/json"].schema;
    expect(fulfil.properties.rating).toMatchObject({ type: "integer", minimum: 1, maximum: 5 });
    expect(
      doc.paths["/api/v1/needs/{id}/close"].post.requestBody.content["application/json"].schema.required,
    ).toEqual(["reason"]);
  });
});
