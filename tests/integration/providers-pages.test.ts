import type { ProviderStatus } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createProvider, createService } from "../../prisma/factories/marketplace";
import { pagesOf, joinedText as textOf } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// The provider pages as a browser without JavaScript sees them: HTML from GET, urlencoded form posts
// from this site, the session cookie made the way sign-in makes it.

let server: TestServer;
let fx: TerritoryFixture;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const { cookieOf, page, submit } = pagesOf(() => server, { html: textOf });

const applicationForm = (overrides: Record<string, string> = {}) => ({
  kind: "MERCHANT",
  name: "邻里家政服务部",
  uscc: "91440300708461136t",
  contactName: "王芳",
  contactPhone: "13912345678",
  address: "幸福路12号底商",
  description: "提供家电清洗、上门保洁和小家电维修。",
  [`community:${fx.communities.a1.id}`]: "on",
  [`subdistrict:${fx.subdistricts.b.id}`]: "on",
  ...overrides,
});

/** A provider owned by residentA1, serving A1. */
const ownedProvider = (status: ProviderStatus = "PENDING", statusReason: string | null = null) =>
  createProvider(db(), {
    communityIds: [fx.communities.a1.id],
    status,
    statusReason,
    contactPhone: "13912345678",
    members: [{ userId: fx.users.residentA1.id }],
  });

describe("/providers/apply", () => {
  it("sends signed-out visitors to sign in and back", async () => {
    const res = await page("/providers/apply");
    expect(res.status).toBe(302);
    expect(res.location).toBe("/login?redirectTo=%2Fproviders%2Fapply");
  });

  it("shows the four steps with hints and a picker of whole subdistricts and single communities", async () => {
    const { status, html } = await page("/providers/apply", await cookieOf(fx.users.residentA1));
    expect(status).toBe(200);
    for (const step of ["机构信息", "联系人", "服务范围", "机构简介"]) expect(html).toContain(step);
    expect(html).toContain("印在营业执照或登记证书上");
    expect(html).toContain(`name="subdistrict:${fx.subdistricts.a.id}"`);
    expect(html).toContain(`整个${fx.subdistricts.a.name}（全部 2 个社区）`);
    for (const community of Object.values(fx.communities)) {
      expect(html).toContain(`name="community:${community.id}"`);
    }
    expect(html).toContain('<label for="uscc">统一社会信用代码</label>');
  });

  it("files the application and redirects to the new provider's dashboard", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    const res = await submit("/providers/apply", cookie, applicationForm());
    expect(res.status).toBe(302);
    const provider = await db().provider.findFirstOrThrow({ include: { communities: true, members: true } });
    expect(res.location).toBe(`/me/providers/${provider.id}?applied=1`);
    expect(provider).toMatchObject({ kind: "MERCHANT", uscc: "91440300708461136T", status: "PENDING" });
    expect(provider.communities.map((c) => c.communityId).sort()).toEqual(
      [fx.communities.a1.id, fx.communities.b1.id, fx.communities.b2.id].sort(),
    );
    expect(provider.members.map((m) => [m.userId, m.role])).toEqual([[fx.users.residentA1.id, "OWNER"]]);

    const dashboard = await page(res.location ?? "", cookie);
    expect(dashboard.status).toBe(200);
    expect(dashboard.html).toContain("申请已提交！");
    expect(dashboard.html).toContain("待审核");
  });

  it("shows a wrong USCC's rule next to the field with status 400, keeps what was typed, writes nothing", async () => {
    const res = await submit(
      "/providers/apply",
      await cookieOf(fx.users.residentA1),
      applicationForm({ uscc: "91440300708461136A" }),
    );
    expect(res.status).toBe(400);
    expect(res.html).toMatch(
      /<p class="field__error" id="uscc-error">校验位不正确，请逐位核对营业执照或登记证书上的代码<\/p>/,
    );
    expect(res.html).toContain('aria-describedby="uscc-hint uscc-error"');
    expect(res.html).toContain('value="邻里家政服务部"');
    expect(res.html).toContain('value="91440300708461136A"');
    expect(res.html).toMatch(new RegExp(`name="community:${fx.communities.a1.id}" checked=""`));
    expect(res.html).toMatch(new RegExp(`name="subdistrict:${fx.subdistricts.b.id}" checked=""`));
    expect(res.html).not.toMatch(new RegExp(`name="community:${fx.communities.a2.id}" checked=""`));
    expect(await db().provider.count()).toBe(0);
    expect(await db().auditLog.count()).toBe(0);
  });

  it("asks for a service area and reports every other problem at once", async () => {
    const form = applicationForm({ uscc: "9144", name: "" });
    delete form[`community:${fx.communities.a1.id}`];
    delete form[`subdistrict:${fx.subdistricts.b.id}`];
    const res = await submit("/providers/apply", await cookieOf(fx.users.residentA1), form);
    expect(res.status).toBe(400);
    expect(res.html).toContain("请至少选择一个服务的社区或街道");
    expect(res.html).toContain("统一社会信用代码应为18位，您输入了4位");
    expect(res.html).toContain("请填写机构名称");
    expect(await db().provider.count()).toBe(0);
  });

  it("answers 409 on the field for a code already registered", async () => {
    await createProvider(db(), { communityIds: [fx.communities.a1.id], uscc: "91440300708461136T" });
    const res = await submit("/providers/apply", await cookieOf(fx.users.residentA1), applicationForm());
    expect(res.status).toBe(409);
    expect(res.html).toMatch(/id="uscc-error">该统一社会信用代码已登记入驻/);
    expect(await db().provider.count()).toBe(1);
  });
});

describe("/providers, the public directory, and /providers/:id", () => {
  it("shows approved providers only, filters them, and offers 申请入驻", async () => {
    const approved = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      status: "APPROVED",
      name: "阳光助老服务社",
    });
    const merchant = await createProvider(db(), {
      communityIds: [fx.communities.b1.id],
      status: "APPROVED",
      kind: "MERCHANT",
      name: "巧手家电维修",
    });
    await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      status: "PENDING",
      name: "待审核机构",
    });
    await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      status: "SUSPENDED",
      name: "已暂停机构",
    });

    const { status, html } = await page("/providers");
    expect(status).toBe(200);
    expect(html).toContain('href="/providers/apply"');
    expect(html).toContain("申请入驻");
    expect(html).toContain(`href="/providers/${approved.id}"`);
    expect(html).toContain("巧手家电维修");
    expect(html).toContain("特色商家");
    expect(html).toContain(fx.communities.a1.name);
    expect(html).not.toContain("待审核机构");
    expect(html).not.toContain("已暂停机构");
    expect(html).toContain("共 2 家");

    const merchants = await page("/providers?kind=MERCHANT");
    expect(merchants.html).toContain("巧手家电维修");
    expect(merchants.html).not.toContain("阳光助老服务社");
    const inB = await page(`/providers?subdistrictId=${fx.subdistricts.b.id}`);
    expect(inB.html).toContain(`href="/providers/${merchant.id}"`);
    expect(inB.html).not.toContain(`href="/providers/${approved.id}"`);
  });

  it("answers a wrong filter with 400 and the message beside the filter, listing without it", async () => {
    await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      status: "APPROVED",
      name: "阳光助老服务社",
    });
    const res = await page("/providers?kind=NGO");
    expect(res.status).toBe(400);
    expect(res.html).toContain('id="kind-error"');
    expect(res.html).toContain("阳光助老服务社");
  });

  it("shows an approved provider's profile with its services and the phone masked; others are 404", async () => {
    const provider = await ownedProvider("APPROVED");
    const service = await createService(db(), {
      providerId: provider.id,
      communityIds: [fx.communities.a1.id],
      title: "老人助浴上门服务",
    });
    const { status, html } = await page(`/providers/${provider.id}`);
    expect(status).toBe(200);
    expect(html).toContain(provider.name);
    expect(html).toContain("139****5678");
    expect(html).not.toContain("13912345678");
    expect(html).toContain(`href="/services/${service.id}"`);
    expect(html).toContain("老人助浴上门服务");
    expect(html).toContain(fx.subdistricts.a.name);

    const pending = await ownedProvider("PENDING");
    const hidden = await page(`/providers/${pending.id}`);
    expect(hidden.status).toBe(404);
    expect(hidden.html).toContain("页面不存在");
    expect((await page("/providers/nosuchprovider")).status).toBe(404);
  });
});

describe("/me/providers and the dashboard", () => {
  it("lists the caller's providers with their status in Chinese and the reviewer's reason", async () => {
    await ownedProvider("PENDING");
    await ownedProvider("APPROVED");
    await ownedProvider("REJECTED", "请补充登记证书照片");
    await ownedProvider("SUSPENDED", "多次未按约上门服务");
    await createProvider(db(), { communityIds: [fx.communities.a1.id], name: "别人的机构" });
    const { status, html } = await page("/me/providers", await cookieOf(fx.users.residentA1));
    expect(status).toBe(200);
    for (const label of ["待审核", "已通过", "未通过", "已暂停"]) expect(html).toContain(label);
    expect(html).toContain("未通过原因：</strong>请补充登记证书照片");
    expect(html).toContain("暂停原因：</strong>多次未按约上门服务");
    expect(html).not.toContain("别人的机构");
    expect((await page("/me", await cookieOf(fx.users.residentA1))).html).toContain('href="/me/providers"');
  });

  it("shows the owner the status, reason, members, services link and the application to correct", async () => {
    const provider = await ownedProvider("REJECTED", "请补充登记证书照片");
    const { status, html } = await page(`/me/providers/${provider.id}`, await cookieOf(fx.users.residentA1));
    expect(status).toBe(200);
    expect(html).toContain("未通过原因：</strong>请补充登记证书照片");
    expect(html).toContain(`href="/me/providers/${provider.id}/services"`);
    expect(html).toContain("管理服务项目");
    expect(html).toContain(`value="${provider.uscc}"`);
    expect(html).toContain('value="13912345678"');
    expect(html).toMatch(new RegExp(`name="community:${fx.communities.a1.id}" checked=""`));
    expect(html).toContain("修改后重新提交审核");
    expect(html).toContain(fx.users.residentA1.name);
  });

  it("re-applies after a rejection through the dashboard form", async () => {
    const provider = await ownedProvider("REJECTED", "请补充登记证书照片");
    const cookie = await cookieOf(fx.users.residentA1);
    const res = await submit(`/me/providers/${provider.id}`, cookie, {
      intent: "update",
      kind: provider.kind,
      name: provider.name,
      uscc: provider.uscc,
      contactName: "王芳",
      contactPhone: "13912345678",
      address: "幸福路12号3楼东侧",
      description: "为社区老人提供上门探访和助餐服务。",
      [`community:${fx.communities.a2.id}`]: "on",
    });
    expect(res.status).toBe(200);
    expect(res.html).toContain("已保存并提交审核");
    const row = await db().provider.findUniqueOrThrow({
      where: { id: provider.id },
      include: { communities: true },
    });
    expect(row).toMatchObject({ status: "PENDING", address: "幸福路12号3楼东侧", version: 2 });
    expect(row.communities.map((c) => c.communityId)).toEqual([fx.communities.a2.id]);
    expect(res.html).toContain("上次未通过原因：</strong>请补充登记证书照片");
  });

  it("keeps the typed values and shows the field error when the correction is wrong", async () => {
    const provider = await ownedProvider("REJECTED", "请补充登记证书照片");
    const res = await submit(`/me/providers/${provider.id}`, await cookieOf(fx.users.residentA1), {
      intent: "update",
      kind: provider.kind,
      name: "改过的名称中心",
      uscc: "123",
      contactName: "王芳",
      contactPhone: "13912345678",
      address: "幸福路12号3楼东侧",
      description: "为社区老人提供上门探访和助餐服务。",
      [`community:${fx.communities.a2.id}`]: "on",
    });
    expect(res.status).toBe(400);
    expect(res.html).toContain('id="uscc-error">统一社会信用代码应为18位，您输入了3位');
    expect(res.html).toContain('value="改过的名称中心"');
    expect((await db().provider.findUniqueOrThrow({ where: { id: provider.id } })).status).toBe("REJECTED");
  });

  it("invites by phone; the person accepts in 我的机构, sees the dashboard without owner forms, and leaves", async () => {
    const provider = await ownedProvider("APPROVED");
    const colleague = await createResident(db(), fx.communities.a2.id, {
      phone: "13712345678",
      name: "李娜",
    });
    const cookie = await cookieOf(fx.users.residentA1);
    const bad = await submit(`/me/providers/${provider.id}`, cookie, { intent: "addMember", phone: "12345" });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="member-phone-error">请输入11位');
    expect(bad.html).toContain('value="12345"');

    // Registered or not, the inviter reads the same answer, without a name.
    for (const phone of ["13700000000", "13712345678"]) {
      const sent = await submit(`/me/providers/${provider.id}`, cookie, { intent: "addMember", phone });
      expect(sent.status).toBe(200);
      expect(sent.html).toContain(`邀请已发出（${phone.slice(0, 3)}****${phone.slice(7)}）`);
      expect(sent.html).not.toContain("李娜");
    }
    expect(await db().providerMember.count({ where: { providerId: provider.id } })).toBe(1);

    const colleagueCookie = await cookieOf(colleague);
    const mine = await page("/me/providers", colleagueCookie);
    expect(mine.html).toContain("邀请您加入的机构");
    expect(mine.html).toContain(provider.name);
    const invitation = await db().providerInvitation.findFirstOrThrow({ where: { phone: "13712345678" } });
    const joined = await submit("/me/providers", colleagueCookie, {
      intent: "acceptInvitation",
      invitationId: invitation.id,
    });
    expect(joined.status).toBe(200);
    expect(joined.html).toContain("已加入该机构");

    const asMember = await page(`/me/providers/${provider.id}`, colleagueCookie);
    expect(asMember.status).toBe(200);
    expect(asMember.html).toContain("管理服务项目");
    expect(asMember.html).toContain("退出本机构");
    expect(asMember.html).not.toContain('value="addMember"');
    expect(asMember.html).not.toContain('value="update"');

    const left = await submit(`/me/providers/${provider.id}`, colleagueCookie, { intent: "leave" });
    expect(left.status).toBe(302);
    expect(await db().providerMember.count({ where: { providerId: provider.id } })).toBe(1);
    // The only owner is not offered the way out.
    expect((await page(`/me/providers/${provider.id}`, cookie)).html).not.toContain("退出本机构");
  });

  it("answers 403 to someone who does not belong to the provider", async () => {
    const provider = await ownedProvider("APPROVED");
    const stranger = await createResident(db(), fx.communities.a1.id);
    const res = await page(`/me/providers/${provider.id}`, await cookieOf(stranger));
    expect(res.status).toBe(403);
    expect(res.html).toContain("没有权限");
    const post = await submit(`/me/providers/${provider.id}`, await cookieOf(stranger), {
      intent: "addMember",
      phone: fx.users.workerA1.phone,
    });
    expect(post.status).toBe(403);
    expect(await db().providerMember.count()).toBe(1);
  });
});

describe("/workbench/providers, the review queue and page", () => {
  it("shows a worker the pending applications of their community only, newest first", async () => {
    const older = await ownedProvider("PENDING");
    await db().provider.update({
      where: { id: older.id },
      data: { name: "较早的申请", submittedAt: new Date("2026-01-01") },
    });
    const newer = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      status: "PENDING",
      name: "较新的申请",
    });
    await createProvider(db(), {
      communityIds: [fx.communities.b1.id],
      status: "PENDING",
      name: "别的街道的申请",
    });
    await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      status: "APPROVED",
      name: "已通过的机构",
    });
    const cookie = await cookieOf(fx.users.workerA1);
    const { status, html } = await page("/workbench/providers", cookie);
    expect(status).toBe(200);
    expect(html).toContain("入驻审核");
    expect(html.indexOf("较新的申请")).toBeGreaterThan(0);
    expect(html.indexOf("较新的申请")).toBeLessThan(html.indexOf("较早的申请"));
    expect(html).toContain(`href="/workbench/providers/${newer.id}"`);
    expect(html).not.toContain("别的街道的申请");
    expect(html).not.toContain("已通过的机构");
    expect(html).toContain('aria-current="page"');

    const approvedTab = await page("/workbench/providers?status=APPROVED", cookie);
    expect(approvedTab.html).toContain("已通过的机构");
    expect(approvedTab.html).not.toContain("较新的申请");
    const all = await page("/workbench/providers?status=", cookie);
    expect(all.html).toContain("已通过的机构");
    expect(all.html).toContain("较新的申请");
  });

  it("answers 403 to residents and sends anonymous visitors to sign in", async () => {
    expect((await page("/workbench/providers", await cookieOf(fx.users.residentA1))).status).toBe(403);
    const anonymous = await page("/workbench/providers");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe("/login?redirectTo=%2Fworkbench%2Fproviders");
  });

  it("shows the application in full and lets a worker approve it, with the decision in the history", async () => {
    const provider = await ownedProvider("PENDING");
    const cookie = await cookieOf(fx.users.workerA1);
    const detail = await page(`/workbench/providers/${provider.id}`, cookie);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain(provider.uscc);
    expect(detail.html).toContain("13912345678");
    expect(detail.html).toContain(provider.address);
    expect(detail.html).toContain(fx.communities.a1.name);
    expect(detail.html).toContain('name="decision" value="APPROVE"');
    expect(detail.html).toContain('name="decision" value="REJECT"');
    // Workers review; suspending is for admins.
    expect(detail.html).not.toContain('value="suspend"');

    const approved = await submit(`/workbench/providers/${provider.id}`, cookie, {
      intent: "review",
      decision: "APPROVE",
      reason: "",
    });
    expect(approved.status).toBe(200);
    expect(approved.html).toContain("已通过审核");
    expect((await db().provider.findUniqueOrThrow({ where: { id: provider.id } })).status).toBe("APPROVED");
    expect(approved.html).toMatch(/<td>审核通过<\/td><td>社区工作者<\/td><td>已通过<\/td>/);
  });

  it("requires a reason to reject, shown beside the reason field, then rejects with it", async () => {
    const provider = await ownedProvider("PENDING");
    const cookie = await cookieOf(fx.users.workerA1);
    const noReason = await submit(`/workbench/providers/${provider.id}`, cookie, {
      intent: "review",
      decision: "REJECT",
      reason: "",
    });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('id="reject-reason-error">请填写不通过的原因，申请人会看到它');
    expect((await db().provider.findUniqueOrThrow({ where: { id: provider.id } })).status).toBe("PENDING");

    const rejected = await submit(`/workbench/providers/${provider.id}`, cookie, {
      intent: "review",
      decision: "REJECT",
      reason: "信用代码与证书不符",
    });
    expect(rejected.status).toBe(200);
    expect(rejected.html).toContain("已退回申请");
    expect(await db().provider.findUniqueOrThrow({ where: { id: provider.id } })).toMatchObject({
      status: "REJECTED",
      statusReason: "信用代码与证书不符",
    });
    const applicant = await page("/me/providers", await cookieOf(fx.users.residentA1));
    expect(applicant.html).toContain("未通过原因：</strong>信用代码与证书不符");
  });

  it("answers 403 to a worker outside the provider's area, for the page and the decision", async () => {
    const provider = await createProvider(db(), { communityIds: [fx.communities.b1.id], status: "PENDING" });
    const cookie = await cookieOf(fx.users.workerA1);
    const res = await page(`/workbench/providers/${provider.id}`, cookie);
    expect(res.status).toBe(403);
    const post = await submit(`/workbench/providers/${provider.id}`, cookie, {
      intent: "review",
      decision: "APPROVE",
    });
    expect(post.status).toBe(403);
    expect((await db().provider.findUniqueOrThrow({ where: { id: provider.id } })).status).toBe("PENDING");
  });

  it("lets a subdistrict admin suspend with a reason and restore", async () => {
    const provider = await ownedProvider("APPROVED");
    const cookie = await cookieOf(fx.users.subdistrictAdminA);
    expect((await page(`/workbench/providers/${provider.id}`, cookie)).html).toContain('value="suspend"');
    const noReason = await submit(`/workbench/providers/${provider.id}`, cookie, {
      intent: "suspend",
      reason: "",
    });
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('id="suspend-reason-error">请填写暂停的原因');
    const suspended = await submit(`/workbench/providers/${provider.id}`, cookie, {
      intent: "suspend",
      reason: "多次未按约上门服务",
    });
    expect(suspended.status).toBe(200);
    expect(suspended.html).toContain("暂停原因：</strong>多次未按约上门服务");
    expect(suspended.html).toContain('value="restore"');
    const restored = await submit(`/workbench/providers/${provider.id}`, cookie, { intent: "restore" });
    expect(restored.status).toBe(200);
    expect(restored.html).toContain("已恢复该机构");
    expect(restored.html).toMatch(/<td>暂停服务<\/td><td>街道管理员<\/td><td>已暂停<\/td>/);
    expect(restored.html).toMatch(/<td>恢复服务<\/td><td>街道管理员<\/td><td>已通过<\/td>/);
    expect((await db().provider.findUniqueOrThrow({ where: { id: provider.id } })).status).toBe("APPROVED");
  });

  it("a district admin's unknown intent gets a message, not an error page", async () => {
    const provider = await ownedProvider("PENDING");
    const admin = await createUser(db(), { roles: [{ role: "DISTRICT_ADMIN", scopeId: fx.district.id }] });
    const res = await submit(`/workbench/providers/${provider.id}`, await cookieOf(admin), {
      intent: "explode",
    });
    expect(res.status).toBe(400);
    expect(res.html).toContain("未知的操作");
  });
});
