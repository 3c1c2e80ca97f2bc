import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DELETED_USER_NAME, PRIVACY_NOTICE_VERSION } from "~/domain/accounts/privacy";
import { recomputeTallies } from "~/domain/activities/tallies.server";
import { recountAllDays } from "~/domain/stats/daily.server";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  DEFAULT_PASSWORD,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createHeldActivity } from "../factories/activities";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// 下载我的数据 and 注销账号 through the API (ADR 0013): the export holds everything about the person
// and nothing about anyone else; deletion erases every personal field in one go and leaves every
// figure as it was.

let server: TestServer;
let fx: TerritoryFixture;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const ME = { phone: "13766661234", name: "张秀英" };
const OTHER = { phone: "13588885678", name: "李桂兰" };
const ADDRESS = "幸福路8号3栋2单元";
const HOUR = 3600 * 1000;
const china = (text: string) => new Date(`${text.replace(" ", "T")}:00+08:00`);

/** A resident with a life on the platform: needs (one in a worker's hands, one rated with a match),
 * a past check-in, a seat in a coming activity with someone waiting behind her, a notification, a
 * provider she helps at; and a neighbour whose data must never show. */
async function residentWithHistory() {
  fx = await createTerritoryFixture(db());
  const a1 = fx.communities.a1.id;
  const me = await createResident(db(), a1, ME);
  const other = await createResident(db(), a1, OTHER);
  const owner = await createResident(db(), a1, { name: "赵机构负责人" });
  const provider = await createProvider(db(), {
    communityIds: [a1],
    name: "阳光助老服务社",
    contactName: "钱联系人",
    members: [{ userId: owner.id }, { userId: me.id, role: "MEMBER" }],
  });
  const service = await createService(db(), {
    providerId: provider.id,
    communityIds: [a1],
    title: "上门助浴",
  });
  const open = await createNeed(db(), {
    requesterId: me.id,
    communityId: a1,
    title: "想找人陪我去医院",
    description: `我住${ADDRESS}，腿脚不便，电话${ME.phone}，${ME.name}。`,
    preferredTime: "周三上午",
    createdAt: china("2026-02-03 10:00"),
  });
  const rated = await createNeed(db(), {
    requesterId: me.id,
    communityId: a1,
    title: "家里需要助浴服务",
    description: "每周一次上门助浴，老伴行动不便。",
    category: "elderly-care",
    status: "FULFILLED",
    createdAt: china("2026-01-10 09:00"),
  });
  await db().need.update({
    where: { id: rated.id },
    data: {
      matchedAt: china("2026-01-11 09:00"),
      fulfilledAt: china("2026-01-20 09:00"),
      rating: 4,
      ratingComment: "小王很耐心，谢谢张阿姨的女儿帮忙联系",
    },
  });
  await db().match.create({
    data: {
      needId: rated.id,
      serviceId: service.id,
      providerId: provider.id,
      status: "ACCEPTED",
      proposedBy: "STAFF",
      proposedById: fx.users.workerA1.id,
      note: "张阿姨住三楼，无电梯",
      decidedById: owner.id,
      decidedAt: china("2026-01-11 09:00"),
    },
  });
  const behalf = await createNeed(db(), {
    requesterId: me.id,
    createdById: fx.users.workerA1.id,
    communityId: a1,
    title: "代办：修理水龙头",
    status: "MATCHED",
    createdAt: china("2026-02-05 10:00"),
  });
  // Filed at a desk outside her scope under the name she gave there (ADR 0018).
  await db().need.update({ where: { id: behalf.id }, data: { requesterNameGiven: "张桂芝" } });
  const neighbours = await createNeed(db(), {
    requesterId: other.id,
    communityId: a1,
    title: "邻居的需求不应出现",
    description: `李阿姨的电话${OTHER.phone}`,
  });
  const past = await createHeldActivity(db(), {
    communityId: a1,
    createdById: fx.users.workerA1.id,
    startsAt: china("2026-02-14 09:00"),
    title: "元宵节猜灯谜",
    attendees: [
      { userId: me.id, checkedIn: true },
      { userId: other.id, checkedIn: true },
    ],
  });
  const coming = await createHeldActivity(db(), {
    communityId: a1,
    createdById: fx.users.workerA1.id,
    startsAt: new Date(Date.now() + 72 * HOUR),
    status: "PUBLISHED",
    title: "健康讲座",
    capacity: 1,
    attendees: [
      { userId: me.id, checkedIn: false },
      { userId: other.id, checkedIn: false, status: "WAITLISTED" },
    ],
  });
  // Registered at a desk under the name she gave there (代办报名, ADR 0018).
  await db().registration.updateMany({
    where: { activityId: coming.id, userId: me.id },
    data: { nameGiven: "张桂芝" },
  });
  await db().notification.create({
    data: {
      userId: me.id,
      kind: "match.accepted",
      title: "需求有人承接了",
      body: "“阳光助老服务社”将为您提供“上门助浴”。",
      link: `/needs/${rated.id}`,
      dedupeKey: "test:1",
    },
  });
  await db().notification.create({
    data: { userId: other.id, kind: "x", title: "给李阿姨的通知", body: "李阿姨", dedupeKey: "test:2" },
  });
  await db().auditLog.create({
    data: { actorId: me.id, action: "need.create", targetType: "Need", targetId: open.id },
  });
  return { me, other, owner, provider, needs: { open, rated, behalf, neighbours }, past, coming };
}

describe("GET /api/v1/me/export", () => {
  it("is everything about the person, as an attachment that is not cached", async () => {
    const world = await residentWithHistory();
    const token = await tokenFor(world.me.id);
    const res = await server.request("/api/v1/me/export", { token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="my-data-\d{4}-\d{2}-\d{2}\.json"/,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    const data = await res.json();
    expect(data.account).toMatchObject({
      id: world.me.id,
      name: ME.name,
      phone: ME.phone,
      community: { id: fx.communities.a1.id },
      privacyConsentAt: expect.any(String),
    });
    expect(data.roles).toEqual([
      expect.objectContaining({
        role: "RESIDENT",
        roleLabel: "居民",
        scope: expect.objectContaining({ id: fx.communities.a1.id }),
      }),
    ]);
    expect(data.needs.map((need: { title: string }) => need.title).sort()).toEqual(
      ["代办：修理水龙头", "家里需要助浴服务", "想找人陪我去医院"].sort(),
    );
    const rated = data.needs.find((need: { id: string }) => need.id === world.needs.rated.id);
    expect(rated).toMatchObject({
      rating: 4,
      ratingComment: expect.stringContaining("小王"),
      statusLabel: "已完成",
      matches: [{ status: "ACCEPTED", providerName: "阳光助老服务社", serviceTitle: "上门助浴" }],
    });
    expect(data.needs.find((need: { id: string }) => need.id === world.needs.behalf.id)).toMatchObject({
      onBehalf: true,
      requesterNameGiven: "张桂芝",
    });
    expect(data.registrations).toHaveLength(2);
    expect(
      data.registrations.find((r: { activity: { title: string } }) => r.activity.title === "元宵节猜灯谜"),
    ).toMatchObject({ status: "REGISTERED", checkedInAt: expect.any(String), nameGiven: null });
    expect(
      data.registrations.find((r: { activity: { title: string } }) => r.activity.title === "健康讲座"),
    ).toMatchObject({ nameGiven: "张桂芝" });
    expect(data.notifications).toEqual([expect.objectContaining({ title: "需求有人承接了" })]);
    expect(data.providerMemberships).toEqual([
      expect.objectContaining({
        role: "MEMBER",
        provider: expect.objectContaining({ name: "阳光助老服务社" }),
      }),
    ]);
    expect(data.sessions).toEqual([expect.objectContaining({ kind: "API", current: true })]);
    expect(data.auditEntries).toEqual([expect.objectContaining({ action: "need.create" })]);
  });

  it("holds nothing of other people: neighbours, staff, the provider's people, session secrets", async () => {
    const world = await residentWithHistory();
    const token = await tokenFor(world.me.id);
    const text = await (await server.request("/api/v1/me/export", { token })).text();
    const others = [
      OTHER.phone,
      OTHER.name,
      `${OTHER.phone.slice(0, 3)}****${OTHER.phone.slice(-4)}`,
      "邻居的需求不应出现",
      "给李阿姨的通知",
      world.other.id,
      world.owner.name,
      world.owner.phone,
      world.provider.contactName,
      world.provider.contactPhone,
      fx.users.workerA1.name,
      fx.users.workerA1.phone,
      fx.users.workerA1.id,
      "tokenHash",
      "passwordHash",
    ];
    for (const value of others) expect(text, value).not.toContain(value);
    const hashes = await db().authSession.findMany({ select: { tokenHash: true } });
    for (const { tokenHash } of hashes) expect(text).not.toContain(tokenHash);
  });

  it("needs a signed-in person and answers GET only", async () => {
    expect((await server.json("/api/v1/me/export")).status).toBe(401);
    fx = await createTerritoryFixture(db());
    const token = await tokenFor(fx.users.residentA1.id);
    const post = await server.json("/api/v1/me/export", { token, method: "POST", json: {} });
    expect(post.status).toBe(405);
  });
});

/** Every row of every table that mentions the text, as "table: row", to name the leak. */
async function rowsMentioning(text: string): Promise<string[]> {
  const tables = await db().$queryRaw<{ tablename: string }[]>`
    SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  const found: string[] = [];
  for (const { tablename } of tables) {
    const rows = await db().$queryRawUnsafe<{ row: string }[]>(
      `SELECT row_to_json(t)::text AS row FROM "${tablename}" t WHERE row_to_json(t)::text LIKE $1`,
      `%${text}%`,
    );
    found.push(...rows.map(({ row }) => `${tablename}: ${row}`));
  }
  return found;
}

async function districtStats() {
  await recomputeTallies();
  await recountAllDays();
  const res = await server.json(
    `/api/v1/stats?scope=district&id=${fx.district.id}&from=2026-01-01&to=${new Date(Date.now() + 30 * 24 * HOUR).toISOString().slice(0, 10)}`,
  );
  expect(res.status).toBe(200);
  return res.body;
}

describe("DELETE /api/v1/me", () => {
  it("erases every personal field in one go and leaves every figure as it was", async () => {
    const world = await residentWithHistory();
    const token = await tokenFor(world.me.id);
    const before = await districtStats();
    const versions = await db().need.findMany({
      where: { requesterId: world.me.id },
      select: { id: true, version: true },
    });

    expect(await rowsMentioning(ME.phone)).not.toEqual([]);
    const res = await server.request("/api/v1/me", {
      token,
      method: "DELETE",
      json: { password: DEFAULT_PASSWORD },
    });
    expect(res.status).toBe(204);

    // Nothing that names, reaches or locates her is left anywhere in the database.
    for (const trace of [
      ME.phone,
      ME.name,
      ADDRESS,
      "小王很耐心",
      "无电梯",
      "想找人陪我去医院",
      "周三上午",
      "张桂芝",
    ]) {
      expect(await rowsMentioning(trace), trace).toEqual([]);
    }
    const user = await db().user.findUniqueOrThrow({ where: { id: world.me.id }, include: { roles: true } });
    expect(user).toMatchObject({
      name: DELETED_USER_NAME,
      phone: `deleted:${world.me.id}`,
      communityId: null,
      deletedAt: expect.any(Date),
      roles: [],
    });
    expect(user.passwordHash).not.toBe(world.me.passwordHash);

    // Her needs keep what is counted and lose what she wrote; what was still open is cancelled.
    const needs = await db().need.findMany({ where: { requesterId: world.me.id } });
    const byId = new Map(needs.map((need) => [need.id, need]));
    expect(byId.get(world.needs.open.id)).toMatchObject({
      status: "CANCELLED",
      preferredTime: null,
      category: "elderly-care",
    });
    expect(byId.get(world.needs.behalf.id)).toMatchObject({ status: "CANCELLED" });
    expect(byId.get(world.needs.rated.id)).toMatchObject({
      status: "FULFILLED",
      rating: 4,
      ratingComment: null,
    });
    for (const need of needs) expect(need.title).toContain("居民已注销");
    const outbox = await db().outboxEvent.findMany({
      where: { aggregateType: "Need", topic: "need.changed" },
    });
    for (const { id, version } of versions) {
      expect(outbox).toContainEqual(expect.objectContaining({ aggregateId: id, version: version + 1 }));
    }
    expect(
      (await db().need.findUniqueOrThrow({ where: { id: world.needs.neighbours.id } })).description,
    ).toContain(OTHER.phone);

    // Her seat in the coming activity went to the neighbour waiting for it, who was told; the past
    // check-in stays as an anonymous row.
    const seats = await db().registration.findMany({ where: { activityId: world.coming.id } });
    expect(seats.find((seat) => seat.userId === world.me.id)?.status).toBe("CANCELLED");
    expect(seats.find((seat) => seat.userId === world.other.id)?.status).toBe("REGISTERED");
    expect(
      await db().notification.count({ where: { userId: world.other.id, kind: "registration.promoted" } }),
    ).toBe(1);
    const pastSeat = await db().registration.findFirstOrThrow({
      where: { activityId: world.past.id, userId: world.me.id },
    });
    expect(pastSeat).toMatchObject({ status: "REGISTERED", checkedInAt: expect.any(Date) });

    expect(await db().notification.count({ where: { userId: world.me.id } })).toBe(0);
    expect(await db().authSession.count({ where: { userId: world.me.id } })).toBe(0);
    expect(await db().providerMember.count({ where: { userId: world.me.id } })).toBe(0);
    const audit = await db().auditLog.findFirstOrThrow({
      where: { action: "account.delete", targetId: world.me.id },
    });
    expect(audit.data).toEqual({
      needsAnonymised: 3,
      needsCancelled: 2,
      registrationsWithdrawn: 1,
      bookingsCancelled: 0,
      bookingsAnonymised: 0,
      membershipsLeft: 1,
    });

    // The figures: needs posted, matched, fulfilled and rated, check-ins and unique persons alike.
    const after = await districtStats();
    expect(after).toEqual(before);
    expect(before.participation.uniquePersons).toBe(2);
  });

  it("ends every session: the token no longer works, the old phone no longer signs in and can register again", async () => {
    const world = await residentWithHistory();
    const token = await tokenFor(world.me.id);
    const other = await tokenFor(world.me.id);
    expect(
      (await server.request("/api/v1/me", { token, method: "DELETE", json: { password: DEFAULT_PASSWORD } }))
        .status,
    ).toBe(204);
    expect((await server.json("/api/v1/me", { token: other })).status).toBe(401);
    const signIn = await server.json("/api/v1/auth/token", {
      json: { phone: ME.phone, password: DEFAULT_PASSWORD },
    });
    expect(signIn.status).toBe(401);
    const again = await server.json("/api/v1/auth/register", {
      json: { phone: ME.phone, password: "a-new-password", name: ME.name, communityId: fx.communities.a1.id },
    });
    expect(again.status).toBe(201);
    expect(again.body.user.id).not.toBe(world.me.id);
  });

  it("refuses a wrong password with a field error and changes nothing", async () => {
    const world = await residentWithHistory();
    const token = await tokenFor(world.me.id);
    const res = await server.json("/api/v1/me", {
      token,
      method: "DELETE",
      json: { password: "not-my-password" },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: "VALIDATION",
      fields: { password: expect.stringContaining("密码不正确") },
    });
    expect(await db().user.findUniqueOrThrow({ where: { id: world.me.id } })).toMatchObject({
      ...ME,
      deletedAt: null,
    });
    expect(await db().need.count({ where: { requesterId: world.me.id, status: "CANCELLED" } })).toBe(0);
    expect((await server.json("/api/v1/me", { token })).status).toBe(200);
  });

  it("limits password guesses like sign-in (429 after 5)", async () => {
    fx = await createTerritoryFixture(db());
    const token = await tokenFor(fx.users.residentA1.id);
    for (let i = 0; i < 5; i += 1) {
      const res = await server.json("/api/v1/me", {
        token,
        method: "DELETE",
        json: { password: `guess-${i}` },
      });
      expect(res.status).toBe(400);
    }
    const limited = await server.request("/api/v1/me", {
      token,
      method: "DELETE",
      json: { password: DEFAULT_PASSWORD },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(
      (await db().user.findUniqueOrThrow({ where: { id: fx.users.residentA1.id } })).deletedAt,
    ).toBeNull();
  });

  it.each([
    ["no body", undefined],
    ["not JSON", "{password"],
    ["an empty object", {}],
    ["a number as password", { password: 12345678 }],
    ["an empty password", { password: "" }],
    ["a huge password", { password: "x".repeat(10_000) }],
    ["an array", [DEFAULT_PASSWORD]],
  ])("refuses %s with a 400 and changes nothing", async (_, body) => {
    fx = await createTerritoryFixture(db());
    const token = await tokenFor(fx.users.residentA1.id);
    const res = await server.json("/api/v1/me", {
      token,
      method: "DELETE",
      ...(typeof body === "string" ? { body, headers: { "content-type": "application/json" } } : {}),
      ...(typeof body === "object" ? { json: body } : {}),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION");
    expect(
      (await db().user.findUniqueOrThrow({ where: { id: fx.users.residentA1.id } })).deletedAt,
    ).toBeNull();
  });

  it("needs a signed-in person", async () => {
    const res = await server.json("/api/v1/me", { method: "DELETE", json: { password: DEFAULT_PASSWORD } });
    expect(res.status).toBe(401);
  });

  it.each(["workerA1", "subdistrictAdminA", "districtAdmin"] as const)(
    "refuses staff (%s) with a 409 that says why",
    async (who) => {
      fx = await createTerritoryFixture(db());
      const staff = fx.users[who];
      const token = await tokenFor(staff.id);
      const res = await server.json("/api/v1/me", {
        token,
        method: "DELETE",
        json: { password: DEFAULT_PASSWORD },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain("工作人员账号不能自行注销");
      expect(await db().user.findUniqueOrThrow({ where: { id: staff.id } })).toMatchObject({
        name: staff.name,
        deletedAt: null,
      });
    },
  );

  it("refuses a provider's only owner with a 409 naming the provider, and allows one of two owners", async () => {
    fx = await createTerritoryFixture(db());
    const owner = await createUser(db(), { communityId: fx.communities.a1.id });
    const coOwner = await createUser(db());
    const provider = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      name: "夕阳红志愿队",
      members: [{ userId: owner.id }],
    });
    const token = await tokenFor(owner.id);
    const refused = await server.json("/api/v1/me", {
      token,
      method: "DELETE",
      json: { password: DEFAULT_PASSWORD },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("“夕阳红志愿队”唯一的负责人");
    expect(await db().providerMember.count({ where: { providerId: provider.id } })).toBe(1);

    await db().providerMember.create({
      data: { providerId: provider.id, userId: coOwner.id, role: "OWNER" },
    });
    const allowed = await server.request("/api/v1/me", {
      token,
      method: "DELETE",
      json: { password: DEFAULT_PASSWORD },
    });
    expect(allowed.status).toBe(204);
    expect(
      await db().providerMember.findMany({ where: { providerId: provider.id }, select: { userId: true } }),
    ).toEqual([{ userId: coOwner.id }]);
  });
});

describe("privacy consent at sign-up (API)", () => {
  const body = (extra: Record<string, unknown>) => ({
    phone: "13912340000",
    password: "a-good-password",
    name: "周建国",
    communityId: fx.communities.a1.id,
    ...extra,
  });
  beforeEach(async () => {
    fx = await createTerritoryFixture(db());
  });

  it("records the time and the notice version when privacyConsent is true", async () => {
    const res = await server.json("/api/v1/auth/register", { json: body({ privacyConsent: true }) });
    expect(res.status).toBe(201);
    const user = await db().user.findUniqueOrThrow({ where: { id: res.body.user.id } });
    expect(user.privacyConsentAt).toBeInstanceOf(Date);
    expect(user.privacyNoticeVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("still accepts clients that do not send it (the contract's body), recording no consent", async () => {
    const res = await server.json("/api/v1/auth/register", { json: body({}) });
    expect(res.status).toBe(201);
    const user = await db().user.findUniqueOrThrow({ where: { id: res.body.user.id } });
    expect(user).toMatchObject({ privacyConsentAt: null, privacyNoticeVersion: null });
  });

  it.each([false, "yes", 1, null])(
    "refuses privacyConsent: %j with a field error and writes nothing",
    async (value) => {
      const res = await server.json("/api/v1/auth/register", { json: body({ privacyConsent: value }) });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.privacyConsent).toContain("隐私政策");
      expect(await db().user.count({ where: { phone: "13912340000" } })).toBe(0);
    },
  );
});

describe("POST /api/v1/me/privacy-consent, and privacyConsentRequired on GET /api/v1/me", () => {
  beforeEach(async () => {
    fx = await createTerritoryFixture(db());
  });

  it("asks accounts opened without consent (API sign-up, an admin's staff account) until they agree", async () => {
    const registered = await server.json("/api/v1/auth/register", {
      json: {
        phone: "13912345670",
        password: "a-good-password",
        name: "王秀英",
        communityId: fx.communities.a1.id,
      },
    });
    expect(registered.status).toBe(201);
    const staff = await server.json("/api/v1/staff", {
      token: await tokenFor(fx.users.districtAdmin.id),
      json: {
        phone: "13912345671",
        password: "a-good-password",
        name: "李建国",
        role: "COMMUNITY_WORKER",
        scopeId: fx.communities.a1.id,
      },
    });
    expect(staff.status).toBe(201);

    for (const user of [registered.body.user, staff.body.user]) {
      const token = await tokenFor(user.id);
      expect((await server.json("/api/v1/me", { token })).body.privacyConsentRequired).toBe(true);
      for (const json of [{}, { privacyConsent: false }, { privacyConsent: "yes" }]) {
        const refused = await server.json("/api/v1/me/privacy-consent", { token, json });
        expect(refused.status).toBe(400);
        expect(refused.body.error.fields.privacyConsent).toBe("请阅读并勾选同意《隐私政策》");
      }
      expect((await db().user.findUniqueOrThrow({ where: { id: user.id } })).privacyConsentAt).toBe(null);

      const agreed = await server.json("/api/v1/me/privacy-consent", {
        token,
        json: { privacyConsent: true },
      });
      expect(agreed.status).toBe(200);
      expect(agreed.body).toEqual({
        privacyConsentAt: expect.any(String),
        privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
      });
      expect((await server.json("/api/v1/me", { token })).body.privacyConsentRequired).toBe(false);
    }
    expect(await db().auditLog.count({ where: { action: "privacy.consent" } })).toBe(2);
  });

  it("does not ask a resident who agreed at sign-up, and needs a signed-in caller", async () => {
    const me = await server.json("/api/v1/me", { token: await tokenFor(fx.users.residentA1.id) });
    expect(me.body.privacyConsentRequired).toBe(false);
    const anonymous = await server.json("/api/v1/me/privacy-consent", { json: { privacyConsent: true } });
    expect(anonymous.status).toBe(401);
  });
});
