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
import { keptFixture } from "../setup/kept-fixtures";
import { pagesOf, joinedText as textOf } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// The 对接 (matching) pages as a browser without JavaScript sees them: the suggestions and match
// record on a need's page, the invitations, record and suggested needs on a provider's dashboard,
// and the outbox page for district admins. HTML from GET, urlencoded form posts from this site.

let server: TestServer;
let fx: TerritoryFixture;
/** Two approved providers serving community a1, each with its owner and one service fitting the need. */
let meals: { providerId: string; serviceId: string; owner: Awaited<ReturnType<typeof createUser>> };
let visits: { providerId: string; serviceId: string; owner: Awaited<ReturnType<typeof createUser>> };
let needId: string;

const NEED_TITLE = "老人需要每天送午餐";

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
/** Two providers fitting the need, one elsewhere, the need and the search index: made once, put
 * back from their rows for every test. */
const world = keptFixture(async () => {
  fx = await createTerritoryFixture(db());
  const a1 = fx.communities.a1.id;
  const provider = async (name: string, title: string, description: string) => {
    const owner = await createResident(db(), fx.communities.a2.id);
    const row = await createProvider(db(), { name, communityIds: [a1], members: [{ userId: owner.id }] });
    const service = await createService(db(), {
      providerId: row.id,
      communityIds: [a1],
      title,
      description,
      category: "elderly-care",
      capacityPerWeek: 10,
    });
    return { providerId: row.id, serviceId: service.id, owner };
  };
  meals = await provider("幸福助餐中心", "老年人助餐送餐上门", "每天中午为老人送午餐上门，少盐少油。");
  visits = await provider("暖心探访社", "独居老人上门探访", "每周上门看望独居老人，陪老人聊天。");
  // A service elsewhere: never suggested for a need in community a1.
  const far = await createProvider(db(), { name: "远方法律服务所", communityIds: [fx.communities.b1.id] });
  await createService(db(), {
    providerId: far.id,
    communityIds: [fx.communities.b1.id],
    title: "老人送午餐法律咨询",
    category: "legal",
  });
  const need = await createNeed(db(), {
    requesterId: fx.users.residentA1.id,
    communityId: a1,
    title: NEED_TITLE,
    description: "老伴腿脚不便，希望每天中午有人送一份午餐到家。",
    category: "elderly-care",
  });
  needId = need.id;
  await reindex(new PostgresSearchEngine(db()));
  return { fx, meals, visits, needId };
});
beforeEach(async () => {
  ({ fx, meals, visits, needId } = await world());
});

const { cookieOf, page, submit } = pagesOf(() => server);

const needPage = () => `/needs/${needId}`;
const dashboard = (providerId: string) => `/me/providers/${providerId}`;

/** The worker of community a1 recommends a service through the need page's one-click form. */
async function propose(serviceId: string, note = "") {
  const res = await submit(needPage(), await cookieOf(fx.users.workerA1), {
    intent: "propose",
    serviceId,
    note,
  });
  expect(res.status).toBe(200);
  return db().match.findFirstOrThrow({ where: { needId, serviceId }, orderBy: { createdAt: "desc" } });
}

/** Everything a refused or forged post must leave untouched. */
const snapshot = async () => ({
  matches: await db().match.findMany({ orderBy: { id: "asc" } }),
  need: (await db().need.findUniqueOrThrow({ where: { id: needId } })).status,
  audit: await db().auditLog.count(),
  notifications: await db().notification.count(),
});

describe("/needs/:id, 推荐服务", () => {
  it("shows the worker suggestions with their reasons, and recommends one with one click", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const { status, html } = await page(needPage(), cookie);
    expect(status).toBe(200);
    const text = textOf(html);
    expect(text).toContain("推荐服务");
    expect(text).toContain("老年人助餐送餐上门");
    expect(text).toContain("幸福助餐中心");
    expect(text).toContain("独居老人上门探访");
    expect(text).not.toContain("老人送午餐法律咨询");
    // The reasons, as chips (the order of the suggestions is the ranking's, tested on its own).
    expect(text).toContain("推荐理由：");
    expect(html).toContain('<span class="badge">同类别</span>');
    expect(html).toContain('<span class="badge">服务本社区</span>');
    expect(html).toContain('<span class="badge">本周有名额</span>');
    expect(html).toContain('value="propose"');
    expect(html).toContain(`name="serviceId" value="${meals.serviceId}"`);
    expect(text).toContain("还没有对接记录");

    const res = await submit(needPage(), cookie, {
      intent: "propose",
      serviceId: meals.serviceId,
      note: "老人行动不便，请先打电话",
    });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain("已推荐给“幸福助餐中心”");
    const match = await db().match.findFirstOrThrow({ where: { needId } });
    expect(match).toMatchObject({
      serviceId: meals.serviceId,
      providerId: meals.providerId,
      status: "PROPOSED",
      proposedBy: "STAFF",
      proposedById: fx.users.workerA1.id,
      note: "老人行动不便，请先打电话",
    });
    expect(match.reasons).toContain("同类别");
    const notices = await db().notification.findMany({ where: { kind: "match.proposed" } });
    expect(notices.map((n) => n.userId)).toEqual([meals.owner.id]);
    expect(notices[0]?.link).toBe(dashboard(meals.providerId));

    // The page now says it is waiting, lists the proposal, and offers 撤回 instead of 推荐.
    const after = textOf((await page(needPage(), cookie)).html);
    expect(after).toContain("已推荐，等待机构回复。");
    expect(after).toContain("待回复");
    expect(after).toContain("社区推荐");
    expect(after).toContain("老人行动不便，请先打电话");
    expect(after).toContain(`name="matchId" value="${match.id}"`);
    expect(after).toContain('value="withdraw"');
    expect(after).not.toContain('value="accept"');
    expect(after).not.toContain(`name="serviceId" value="${meals.serviceId}"`);

    // A stale page sending the same proposal again is a conflict, not a second row.
    const again = await submit(needPage(), cookie, { intent: "propose", serviceId: meals.serviceId });
    expect(again.status).toBe(409);
    expect(again.html).toContain("这项服务已与该需求对接");
    expect(await db().match.count()).toBe(1);
  });

  it("takes an empty note as no note, and keeps a note that is too long with its error", async () => {
    const cookie = await cookieOf(fx.users.workerA1);
    const long = await submit(needPage(), cookie, {
      intent: "propose",
      serviceId: meals.serviceId,
      note: "长".repeat(501),
    });
    expect(long.status).toBe(400);
    expect(long.html).toContain(`id="propose-${meals.serviceId}-note-error"`);
    expect(long.html).toContain("备注不能超过500个字");
    expect(await db().match.count()).toBe(0);

    expect((await propose(meals.serviceId, "   ")).note).toBeNull();
  });

  it("shows the requester the suggestions and the record without any 对接 buttons", async () => {
    await propose(meals.serviceId);
    const { status, html } = await page(needPage(), await cookieOf(fx.users.residentA1));
    expect(status).toBe(200);
    const text = textOf(html);
    expect(text).toContain("推荐服务");
    expect(text).toContain("老年人助餐送餐上门");
    expect(text).toContain("对接记录");
    expect(text).toContain("待回复");
    for (const intent of ["propose", "accept", "decline", "withdraw"]) {
      expect(html).not.toContain(`value="${intent}"`);
    }
    expect(html).toContain('value="cancel"');
  });

  it("shows nothing of the 对接 to a resident of another community or a provider's people, and refuses their posts", async () => {
    const match = await propose(meals.serviceId);
    const before = await snapshot();
    const outsiders = {
      residentB1: await createResident(db(), fx.communities.b1.id),
      neighbourA1: await createResident(db(), fx.communities.a1.id),
      workerB1: await createUser(db(), {
        roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
      }),
      otherOwner: visits.owner,
    };
    for (const [who, user] of Object.entries(outsiders)) {
      const cookie = await cookieOf(user);
      const { status, html } = await page(needPage(), cookie);
      expect(status, who).toBe(200);
      expect(html, who).not.toContain("推荐服务");
      expect(html, who).not.toContain("对接记录");
      const forms: Record<string, string>[] = [
        { intent: "propose", serviceId: meals.serviceId },
        { intent: "accept", matchId: match.id },
        { intent: "decline", matchId: match.id, reason: "不合适" },
        { intent: "withdraw", matchId: match.id },
      ];
      for (const form of forms) {
        const res = await submit(needPage(), cookie, form);
        expect(res.status, `${who} ${form.intent}`).toBe(403);
        expect(res.html).toContain("没有权限");
      }
    }
    // Without signing in: sent to the login page, nothing done.
    const anonymous = await submit(needPage(), "", { intent: "accept", matchId: match.id });
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
    expect(await snapshot()).toEqual(before);
  });

  it("answers forged and stale 对接 posts with 4xx and changes nothing", async () => {
    const match = await propose(meals.serviceId);
    const cookie = await cookieOf(fx.users.workerA1);
    const before = await snapshot();
    const forms: [Record<string, string>, number][] = [
      [{ intent: "accept", matchId: "no-such-match" }, 404],
      [{ intent: "accept" }, 404],
      [{ intent: "withdraw", matchId: "../../etc/passwd" }, 404],
      [{ intent: "decline", matchId: "x".repeat(500) }, 404],
      [{ intent: "propose", serviceId: "no-such-service" }, 404],
      [{ intent: "propose", serviceId: "" }, 400],
      [{ intent: "propose", serviceId: "\u0000" }, 400],
      // The worker proposed it: only the provider may accept or decline it.
      [{ intent: "accept", matchId: match.id }, 403],
      [{ intent: "decline", matchId: match.id }, 403],
    ];
    for (const [form, status] of forms) {
      const res = await submit(needPage(), cookie, form);
      expect(res.status, JSON.stringify(form)).toBe(status);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("/me/providers/:id, 对接", () => {
  it("shows the provider the invitation; accepting matches the need and withdraws the other proposals", async () => {
    const invitation = await propose(meals.serviceId, "请中午前送到");
    const other = await propose(visits.serviceId);
    const cookie = await cookieOf(meals.owner);

    const { status, html } = await page(dashboard(meals.providerId), cookie);
    expect(status).toBe(200);
    const text = textOf(html);
    expect(text).toContain("待回复的对接邀请");
    expect(html).toContain(`href="/needs/${needId}"`);
    expect(text).toContain(NEED_TITLE);
    expect(text).toContain("老年人助餐送餐上门");
    expect(text).toContain("请中午前送到");
    expect(text).toContain("社区推荐");
    expect(html).toContain(`name="matchId" value="${invitation.id}"`);
    expect(html).toContain('value="accept"');
    expect(html).toContain('value="decline"');
    expect(html).not.toContain('value="withdraw"');
    // The other provider's proposal is none of its business.
    expect(html).not.toContain(other.id);
    // Before accepting, the provider sees the requester's phone masked only.
    expect(textOf((await page(needPage(), cookie)).html)).not.toContain(fx.users.residentA1.phone);

    const res = await submit(dashboard(meals.providerId), cookie, {
      intent: "accept",
      matchId: invitation.id,
    });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain("已接受对接");
    expect(await db().need.findUniqueOrThrow({ where: { id: needId } })).toMatchObject({ status: "MATCHED" });
    expect(await db().match.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({
      status: "ACCEPTED",
      decidedById: meals.owner.id,
    });
    expect((await db().match.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("WITHDRAWN");
    expect(
      await db().notification.count({ where: { kind: "need.matched", userId: fx.users.residentA1.id } }),
    ).toBe(1);

    // Now in the record, and the provider may see the requester's contact details.
    const after = textOf((await page(dashboard(meals.providerId), cookie)).html);
    expect(after).toContain("现在没有待回复的对接邀请");
    expect(after).toContain("对接记录");
    expect(after).toContain("已接受");
    expect(textOf((await page(needPage(), cookie)).html)).toContain(fx.users.residentA1.phone);

    // The worker sees the need 已对接, the accepted match, and no more suggestions to send.
    const worker = await page(needPage(), await cookieOf(fx.users.workerA1));
    expect(worker.html).toContain('badge--status-matched">已对接</span>');
    expect(textOf(worker.html)).toContain("已接受");
    expect(textOf(worker.html)).toContain("已撤回");
    expect(worker.html).not.toContain("推荐服务");
    expect(worker.html).not.toContain('value="propose"');

    // A second acceptance from a stale page is a conflict.
    const again = await submit(dashboard(meals.providerId), cookie, {
      intent: "accept",
      matchId: invitation.id,
    });
    expect(again.status).toBe(409);
  });

  it("declines with a reason the worker then reads", async () => {
    const invitation = await propose(meals.serviceId);
    const cookie = await cookieOf(meals.owner);
    const long = await submit(dashboard(meals.providerId), cookie, {
      intent: "decline",
      matchId: invitation.id,
      reason: "忙".repeat(301),
    });
    expect(long.status).toBe(400);
    expect(long.html).toContain(`id="decline-${invitation.id}-reason-error"`);
    expect(long.html).toContain("婉拒原因不能超过300个字");
    expect((await db().match.findUniqueOrThrow({ where: { id: invitation.id } })).status).toBe("PROPOSED");

    const res = await submit(dashboard(meals.providerId), cookie, {
      intent: "decline",
      matchId: invitation.id,
      reason: "本周人手已满",
    });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain("已婉拒");
    expect(await db().match.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({
      status: "DECLINED",
      declineReason: "本周人手已满",
    });
    expect((await db().need.findUniqueOrThrow({ where: { id: needId } })).status).toBe("OPEN");
    const notice = await db().notification.findFirstOrThrow({ where: { kind: "match.declined" } });
    expect(notice.userId).toBe(fx.users.workerA1.id);

    const worker = textOf((await page(needPage(), await cookieOf(fx.users.workerA1))).html);
    expect(worker).toContain("已婉拒");
    expect(worker).toContain("本周人手已满");
    // Declined, so the service may be recommended again.
    expect(worker).toContain(`name="serviceId" value="${meals.serviceId}"`);
  });

  it("lets the worker withdraw a recommendation, which then leaves the provider's invitations", async () => {
    const invitation = await propose(meals.serviceId);
    const res = await submit(needPage(), await cookieOf(fx.users.workerA1), {
      intent: "withdraw",
      matchId: invitation.id,
    });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain("已撤回这条推荐");
    expect((await db().match.findUniqueOrThrow({ where: { id: invitation.id } })).status).toBe("WITHDRAWN");

    const provider = await page(dashboard(meals.providerId), await cookieOf(meals.owner));
    expect(textOf(provider.html)).toContain("现在没有待回复的对接邀请");
    expect(provider.html).not.toContain('value="accept"');
    const stale = await submit(dashboard(meals.providerId), await cookieOf(meals.owner), {
      intent: "accept",
      matchId: invitation.id,
    });
    expect(stale.status).toBe(409);
  });

  it("suggests open needs to the provider; 主动接单 reaches the worker, who accepts it on the need page", async () => {
    const cookie = await cookieOf(meals.owner);
    const { html } = await page(dashboard(meals.providerId), cookie);
    const text = textOf(html);
    expect(text).toContain("适合本机构的需求");
    expect(html).toContain(`href="/needs/${needId}"`);
    expect(text).toContain(fx.communities.a1.name);
    expect(text).toContain("养老助老");
    expect(text).toContain("一般");
    expect(text).toContain("可以用本机构的服务：老年人助餐送餐上门");
    expect(html).toContain('<span class="badge">同类别</span>');
    expect(html).toContain('value="offer"');
    // Not the requester's name or phone: the provider has no accepted match yet.
    expect(text).not.toContain(fx.users.residentA1.name);

    const res = await submit(dashboard(meals.providerId), cookie, {
      intent: "offer",
      needId,
      serviceId: meals.serviceId,
      note: "明天上午就可以送",
    });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain("已主动接单");
    const offer = await db().match.findFirstOrThrow({ where: { needId } });
    expect(offer).toMatchObject({
      providerId: meals.providerId,
      proposedBy: "PROVIDER",
      proposedById: meals.owner.id,
      status: "PROPOSED",
      note: "明天上午就可以送",
    });
    const notices = await db().notification.findMany({ where: { kind: "match.offered" } });
    expect(notices.map((n) => n.userId)).toEqual([fx.users.workerA1.id]);

    // The provider's own offer waits for the community, with 撤回 only.
    const waiting = await page(dashboard(meals.providerId), cookie);
    expect(textOf(waiting.html)).toContain("机构主动接单");
    expect(textOf(waiting.html)).toContain("等待社区工作人员确认");
    expect(waiting.html).toContain('value="withdraw"');
    expect(waiting.html).not.toContain('value="accept"');
    expect(textOf(waiting.html)).toContain("已在上面的“待回复的对接邀请”中");

    const workerCookie = await cookieOf(fx.users.workerA1);
    const desk = await page(needPage(), workerCookie);
    expect(textOf(desk.html)).toContain("机构主动接单");
    expect(textOf(desk.html)).toContain("明天上午就可以送");
    expect(desk.html).toContain(`name="matchId" value="${offer.id}"`);
    expect(desk.html).toContain('value="accept"');
    expect(desk.html).not.toContain('value="withdraw"');

    const accepted = await submit(needPage(), workerCookie, { intent: "accept", matchId: offer.id });
    expect(accepted.status).toBe(200);
    expect(textOf(accepted.html)).toContain("已接受，“幸福助餐中心”将承接这条需求");
    expect((await db().need.findUniqueOrThrow({ where: { id: needId } })).status).toBe("MATCHED");
    expect(await db().notification.count({ where: { kind: "match.accepted", userId: meals.owner.id } })).toBe(
      1,
    );
  });

  it("refuses a member of another provider and forged posts, without writing anything", async () => {
    const invitation = await propose(meals.serviceId);
    const before = await snapshot();
    const stranger = await cookieOf(visits.owner);
    expect((await page(dashboard(meals.providerId), stranger)).status).toBe(403);
    // On the stranger's own dashboard, a match of another provider is still not theirs.
    const forged: [string, Record<string, string>, number][] = [
      [dashboard(meals.providerId), { intent: "accept", matchId: invitation.id }, 403],
      [dashboard(visits.providerId), { intent: "accept", matchId: invitation.id }, 403],
      [dashboard(visits.providerId), { intent: "decline", matchId: invitation.id }, 403],
      [dashboard(visits.providerId), { intent: "withdraw", matchId: invitation.id }, 403],
      // Offering another provider's service.
      [dashboard(visits.providerId), { intent: "offer", needId, serviceId: meals.serviceId }, 403],
      [dashboard(visits.providerId), { intent: "accept", matchId: "no-such-match" }, 404],
      [
        dashboard(visits.providerId),
        { intent: "offer", needId: "no-such-need", serviceId: visits.serviceId },
        404,
      ],
      [dashboard(visits.providerId), { intent: "offer", needId: "", serviceId: visits.serviceId }, 400],
      [
        dashboard(visits.providerId),
        { intent: "offer", needId, serviceId: visits.serviceId, note: "\u0001" },
        400,
      ],
    ];
    for (const [pathname, form, status] of forged) {
      const res = await submit(pathname, stranger, form);
      expect(res.status, `${pathname} ${JSON.stringify(form)}`).toBe(status);
    }
    // The invited provider cannot withdraw the worker's recommendation either.
    const owner = await submit(dashboard(meals.providerId), await cookieOf(meals.owner), {
      intent: "withdraw",
      matchId: invitation.id,
    });
    expect(owner.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("shows no 对接 sections until the provider is approved", async () => {
    await db().provider.update({ where: { id: meals.providerId }, data: { status: "SUSPENDED" } });
    const { status, html } = await page(dashboard(meals.providerId), await cookieOf(meals.owner));
    expect(status).toBe(200);
    expect(html).not.toContain("待回复的对接邀请");
    expect(html).not.toContain("适合本机构的需求");
  });
});

describe("/workbench/outbox", () => {
  const deadRow = () =>
    db().outboxEvent.create({
      data: {
        topic: "service.changed",
        aggregateType: "Service",
        aggregateId: meals.serviceId,
        version: 1,
        status: "DEAD",
        attempts: 10,
        lastError: "search engine: connection refused",
      },
    });

  it("is linked from the workbench for district admins only, and refuses others (403)", async () => {
    const admin = await cookieOf(fx.users.districtAdmin);
    expect((await page("/workbench", admin)).html).toContain('href="/workbench/outbox"');
    const worker = await cookieOf(fx.users.workerA1);
    expect((await page("/workbench", worker)).html).not.toContain('href="/workbench/outbox"');
    expect((await page("/workbench", await cookieOf(fx.users.subdistrictAdminA))).html).not.toContain(
      "索引同步队列",
    );

    const row = await deadRow();
    for (const cookie of [
      worker,
      await cookieOf(fx.users.subdistrictAdminA),
      await cookieOf(fx.users.residentA1),
    ]) {
      const res = await page("/workbench/outbox", cookie);
      expect(res.status).toBe(403);
      expect(res.html).toContain("没有权限");
      const forms: Record<string, string>[] = [
        { intent: "retry", rowId: String(row.id) },
        { intent: "retryAll" },
      ];
      for (const form of forms) {
        expect((await submit("/workbench/outbox", cookie, form)).status).toBe(403);
      }
    }
    expect((await page("/workbench/outbox")).status).toBe(302);
    expect((await db().outboxEvent.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("DEAD");
  });

  it("shows the district admin the pending count and dead rows, and retries one or all", async () => {
    const cookie = await cookieOf(fx.users.districtAdmin);
    const empty = await page("/workbench/outbox", cookie);
    expect(empty.status).toBe(200);
    expect(empty.html).toMatch(/<h1[^>]*>索引同步队列/);
    expect(textOf(empty.html)).toContain("没有失败的记录");

    const row = await deadRow();
    const second = await deadRow();
    await db().outboxEvent.create({
      data: { topic: "need.changed", aggregateType: "Need", aggregateId: needId, version: 1 },
    });
    const { html } = await page("/workbench/outbox", cookie);
    const text = textOf(html);
    expect(text).toContain('<span class="figure__value">1</span><span class="figure__label">条等待同步');
    expect(text).toContain("服务变更，更新搜索");
    expect(text).toContain("service.changed");
    expect(text).toContain(`服务 ${meals.serviceId}`);
    expect(text).toContain("search engine: connection refused");
    expect(html).toContain(`name="rowId" value="${row.id}"`);
    expect(text).toContain("全部重试");

    const res = await submit("/workbench/outbox", cookie, { intent: "retry", rowId: String(row.id) });
    expect(res.status).toBe(200);
    expect(textOf(res.html)).toContain("已重新放回队列");
    expect(await db().outboxEvent.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "PENDING",
      attempts: 0,
    });
    expect((await db().outboxEvent.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("DEAD");

    // Stale or forged ids: a conflict or a field error, never a 500, nothing changed.
    const forged: [Record<string, string>, number][] = [
      [{ intent: "retry", rowId: String(row.id) }, 409],
      [{ intent: "retry", rowId: "999999999999999999" }, 409],
      [{ intent: "retry", rowId: "99999999999999999999999" }, 400],
      [{ intent: "retry", rowId: "abc" }, 400],
      [{ intent: "retry" }, 400],
    ];
    for (const [form, status] of forged) {
      expect((await submit("/workbench/outbox", cookie, form)).status, JSON.stringify(form)).toBe(status);
    }
    expect((await db().outboxEvent.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("DEAD");

    const all = await submit("/workbench/outbox", cookie, { intent: "retryAll" });
    expect(all.status).toBe(200);
    expect(textOf(all.html)).toContain("已将 1 条记录重新放回队列");
    expect(await db().outboxEvent.count({ where: { status: "DEAD" } })).toBe(0);
    expect(textOf((await page("/workbench/outbox", cookie)).html)).toContain("没有失败的记录");
  });
});
