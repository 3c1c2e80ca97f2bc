import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LIMITS } from "~/domain/accounts/throttle.server";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The provider-side trust rules of ADR 0017, through the JSON API: membership only by invitation and
// consent, the conflict-of-interest rule that never leaves a provider unreviewable, a suspended
// provider that does nothing, reviewed changes of identity and area, a proposer who never accepts
// their own proposal, and co-organisers only by consent.

let server: TestServer;
let fx: TerritoryFixture;
let owner: { id: string; token: string };

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  owner = { id: fx.users.residentA1.id, token: await tokenFor(fx.users.residentA1.id) };
});

const HOUR = 60 * 60 * 1000;

/** A provider owned by residentA1 serving A1 (approved unless told). */
const ownProvider = (status: "PENDING" | "APPROVED" | "SUSPENDED" = "APPROVED", extra: string[] = []) =>
  createProvider(db(), {
    communityIds: [fx.communities.a1.id],
    status,
    members: [{ userId: owner.id }, ...extra.map((userId) => ({ userId }))],
  });

const invite = (providerId: string, phone: string, token = owner.token) =>
  server.json(`/api/v1/providers/${providerId}/members`, { json: { phone }, token });

describe("membership is an invitation the person accepts", () => {
  it("answers the same for a registered and an unregistered number, and adds nobody", async () => {
    const provider = await ownProvider();
    const person = await createResident(db(), fx.communities.a2.id, { phone: "13712345678", name: "周春花" });
    const registered = await invite(provider.id, "13712345678");
    const unregistered = await invite(provider.id, "13787654321");
    expect(registered.status).toBe(202);
    expect(unregistered.status).toBe(202);
    expect(Object.keys(registered.body.invitation).sort()).toEqual(["expiresAt", "phoneMasked", "status"]);
    expect(registered.body.invitation).toMatchObject({ status: "SENT", phoneMasked: "137****5678" });
    expect(unregistered.body.invitation).toMatchObject({ status: "SENT", phoneMasked: "137****4321" });
    expect(JSON.stringify(registered.body)).not.toContain("周春花");
    expect(JSON.stringify(registered.body)).not.toContain(person.id);
    expect(await db().providerMember.count({ where: { providerId: provider.id } })).toBe(1);
    // The invited person is told, and decides.
    const told = await db().notification.findMany({ where: { userId: person.id } });
    expect(told.map((n) => n.kind)).toEqual(["provider.invited"]);
  });

  it("lets the invited person accept, see the provider, and leave again; the only owner cannot leave", async () => {
    const provider = await ownProvider();
    const person = await createResident(db(), fx.communities.a2.id, { phone: "13712345678", name: "李娜" });
    const token = await tokenFor(person.id);
    await invite(provider.id, "13712345678");
    const listed = await server.json("/api/v1/me/provider-invitations", { token });
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ providerId: provider.id, providerName: provider.name });
    const id = listed.body.items[0].id;

    const accepted = await server.json(`/api/v1/provider-invitations/${id}/accept`, { json: {}, token });
    expect(accepted.status).toBe(200);
    expect(accepted.body.membership).toEqual({ providerId: provider.id, role: "MEMBER" });
    expect((await server.json(`/api/v1/provider-invitations/${id}/accept`, { json: {}, token })).status).toBe(
      404,
    );
    const seen = await server.json(`/api/v1/providers/${provider.id}`, { token });
    expect(seen.body.provider.members.map((m: { userId: string }) => m.userId)).toContain(person.id);

    const left = await server.json(`/api/v1/providers/${provider.id}/members/me`, {
      method: "DELETE",
      token,
    });
    expect(left.status).toBe(204);
    expect(await db().providerMember.count({ where: { providerId: provider.id, userId: person.id } })).toBe(
      0,
    );
    const ownerLeaving = await server.json(`/api/v1/providers/${provider.id}/members/${owner.id}`, {
      method: "DELETE",
      token: owner.token,
    });
    expect(ownerLeaving.status).toBe(409);
    expect(ownerLeaving.body.error.message).toContain("唯一的负责人");
    const actions = await db().auditLog.findMany({
      where: { targetId: provider.id },
      orderBy: { createdAt: "asc" },
      select: { action: true },
    });
    expect(actions.map((a) => a.action)).toEqual([
      "provider.member.invite",
      "provider.member.join",
      "provider.member.leave",
    ]);
  });

  it("shows an invitation to a number that signs up later, and tells nobody when it is declined", async () => {
    const provider = await ownProvider();
    await invite(provider.id, "13612340000");
    const newcomer = await createResident(db(), fx.communities.a1.id, { phone: "13612340000" });
    const token = await tokenFor(newcomer.id);
    const listed = await server.json("/api/v1/me/provider-invitations", { token });
    expect(listed.body.items).toHaveLength(1);
    const before = await db().notification.count({ where: { userId: owner.id } });
    const declined = await server.json(`/api/v1/provider-invitations/${listed.body.items[0].id}/decline`, {
      json: {},
      token,
    });
    expect(declined.status).toBe(204);
    expect(await db().notification.count({ where: { userId: owner.id } })).toBe(before);
    expect(await db().providerMember.count({ where: { userId: newcomer.id } })).toBe(0);
    expect((await server.json("/api/v1/me/provider-invitations", { token })).body.items).toEqual([]);
  });

  it("refuses someone else's invitation and an expired one", async () => {
    const provider = await ownProvider();
    const person = await createResident(db(), fx.communities.a1.id, { phone: "13712345678" });
    await invite(provider.id, "13712345678");
    const invitation = await db().providerInvitation.findFirstOrThrow({ where: { providerId: provider.id } });
    const stranger = await tokenFor(fx.users.workerA1.id);
    const byStranger = await server.json(`/api/v1/provider-invitations/${invitation.id}/accept`, {
      json: {},
      token: stranger,
    });
    expect(byStranger.status).toBe(404);
    await db().providerInvitation.update({
      where: { id: invitation.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const token = await tokenFor(person.id);
    expect((await server.json("/api/v1/me/provider-invitations", { token })).body.items).toEqual([]);
    const late = await server.json(`/api/v1/provider-invitations/${invitation.id}/accept`, {
      json: {},
      token,
    });
    expect(late.status).toBe(404);
    expect(await db().providerMember.count({ where: { userId: person.id } })).toBe(0);
  });

  it("lets only the owner of an approved provider invite, a limited number a day", async () => {
    const pending = await ownProvider("PENDING");
    const refused = await invite(pending.id, "13712345678");
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain("通过审核后才能邀请成员");
    const provider = await ownProvider();
    const member = await createResident(db(), fx.communities.a1.id);
    await db().providerMember.create({
      data: { providerId: provider.id, userId: member.id, role: "MEMBER" },
    });
    expect((await invite(provider.id, "13712345678", await tokenFor(member.id))).status).toBe(403);
    const perDay = LIMITS.invitePerUser.max;
    for (let i = 0; i < perDay; i++) {
      expect((await invite(provider.id, `1370000${String(i).padStart(4, "0")}`)).status).toBe(202);
    }
    const limited = await invite(provider.id, "13799999999");
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toContain("邀请发出太频繁");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await db().providerInvitation.count()).toBe(perDay);
  });
});

describe("a staff member's conflict of interest never leaves a provider unreviewable", () => {
  it("refuses the community worker who is a member, and lets the admins act with the conflict recorded", async () => {
    const staff = [fx.users.workerA1.id, fx.users.subdistrictAdminA.id, fx.users.districtAdmin.id];
    const pending = await ownProvider("PENDING", staff);
    const worker = await server.json(`/api/v1/providers/${pending.id}/review`, {
      json: { decision: "APPROVE" },
      token: await tokenFor(fx.users.workerA1.id),
    });
    expect(worker.status).toBe(403);
    expect(worker.body.error.message).toContain("您是该机构的成员");
    const admin = await server.json(`/api/v1/providers/${pending.id}/review`, {
      json: { decision: "APPROVE" },
      token: await tokenFor(fx.users.subdistrictAdminA.id),
    });
    expect(admin.status).toBe(200);
    const suspended = await server.json(`/api/v1/providers/${pending.id}/suspend`, {
      json: { reason: "投诉核查中" },
      token: await tokenFor(fx.users.districtAdmin.id),
    });
    expect(suspended.status).toBe(200);
    const entries = await db().auditLog.findMany({
      where: { targetId: pending.id, action: { in: ["provider.approve", "provider.suspend"] } },
      orderBy: { createdAt: "asc" },
    });
    expect(
      entries.map((e) => [e.action, (e.data as { conflictOfInterest?: boolean }).conflictOfInterest]),
    ).toEqual([
      ["provider.approve", true],
      ["provider.suspend", true],
    ]);
  });
});

/** A need of a resident of A1, with a proposal (by staff) to a service of the given provider. */
async function proposalTo(providerId: string, proposedById = fx.users.workerA1.id) {
  const requester = await createResident(db(), fx.communities.a1.id, {
    phone: "13511112222",
    name: "王大爷",
  });
  const service = await createService(db(), { providerId, communityIds: [fx.communities.a1.id] });
  const need = await createNeed(db(), { requesterId: requester.id, communityId: fx.communities.a1.id });
  const match = await db().match.create({
    data: { needId: need.id, serviceId: service.id, providerId, proposedBy: "STAFF", proposedById },
  });
  return { need, service, match, requester };
}

describe("a suspended provider does nothing", () => {
  it("cannot accept a proposal, see a requester's contact, or run an activity's desk", async () => {
    const provider = await ownProvider("SUSPENDED");
    const { match, need } = await proposalTo(provider.id);
    const accepted = await server.json(`/api/v1/matches/${match.id}/accept`, {
      json: {},
      token: owner.token,
    });
    expect(accepted.status).toBe(403);
    expect((await db().match.findUniqueOrThrow({ where: { id: match.id } })).status).toBe("PROPOSED");
    // An accepted match from before the suspension shows no contact details any more.
    await db().match.update({ where: { id: match.id }, data: { status: "ACCEPTED" } });
    await db().need.update({ where: { id: need.id }, data: { status: "MATCHED" } });
    const seen = await server.json(`/api/v1/needs/${need.id}`, { token: owner.token });
    expect(seen.body.need.requester).toBeNull();
    expect(JSON.stringify(seen.body)).not.toContain("13511112222");

    const activity = await db().activity.create({
      data: {
        title: "义诊",
        description: "社区义诊",
        category: "medical",
        communityId: fx.communities.a1.id,
        venue: "活动室",
        startsAt: new Date(Date.now() + 24 * HOUR),
        endsAt: new Date(Date.now() + 26 * HOUR),
        capacity: 10,
        status: "PUBLISHED",
        createdById: owner.id,
        providerId: provider.id,
        providers: { create: { providerId: provider.id } },
      },
    });
    const desk = await server.json(`/api/v1/activities/${activity.id}/registrations`, { token: owner.token });
    expect(desk.status).toBe(403);
    const walkIns = await server.json(`/api/v1/activities/${activity.id}/walk-ins`, {
      json: { count: 5 },
      token: owner.token,
    });
    expect(walkIns.status).toBe(403);
    expect((await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).walkIns).toBe(0);
  });

  it("has its open proposals withdrawn and its coming activities flagged to staff when suspended", async () => {
    const provider = await ownProvider();
    const { match } = await proposalTo(provider.id);
    const activity = await db().activity.create({
      data: {
        title: "亲子绘本共读",
        description: "周末亲子活动",
        category: "education",
        communityId: fx.communities.a1.id,
        venue: "图书角",
        startsAt: new Date(Date.now() + 24 * HOUR),
        endsAt: new Date(Date.now() + 26 * HOUR),
        capacity: 10,
        status: "PUBLISHED",
        createdById: owner.id,
        providerId: provider.id,
      },
    });
    const res = await server.json(`/api/v1/providers/${provider.id}/suspend`, {
      json: { reason: "资质过期" },
      token: await tokenFor(fx.users.subdistrictAdminA.id),
    });
    expect(res.status).toBe(200);
    expect((await db().match.findUniqueOrThrow({ where: { id: match.id } })).status).toBe("WITHDRAWN");
    const told = await db().notification.findMany({ where: { userId: fx.users.workerA1.id } });
    expect(told.map((n) => [n.kind, n.link]).sort()).toEqual(
      [
        ["activity.providerSuspended", `/activities/${activity.id}`],
        ["match.withdrawn", `/needs/${match.needId}`],
      ].sort(),
    );
    const entry = await db().auditLog.findFirstOrThrow({
      where: { targetId: provider.id, action: "provider.suspend" },
    });
    expect(entry.data).toMatchObject({ withdrawnProposals: 1, activitiesFlagged: 1 });
  });
});

describe("an approved provider's identity and area change only after review", () => {
  it("keeps serving its approved area while staff of the added communities review the addition", async () => {
    const provider = await ownProvider();
    const patched = await server.json(`/api/v1/providers/${provider.id}`, {
      method: "PATCH",
      json: {
        subdistrictIds: [fx.subdistricts.b.id],
        communityIds: [fx.communities.a1.id],
        address: "新地址路8号",
      },
      token: owner.token,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.provider.status).toBe("APPROVED");
    expect(patched.body.provider.address).toBe("新地址路8号");
    expect(patched.body.provider.communities.map((c: { id: string }) => c.id)).toEqual([
      fx.communities.a1.id,
    ]);
    expect(
      patched.body.provider.pendingChange.addedCommunities.map((c: { id: string }) => c.id).sort(),
    ).toEqual([fx.communities.b1.id, fx.communities.b2.id].sort());
    expect(await db().providerCommunity.count({ where: { providerId: provider.id } })).toBe(1);

    // Staff of the provider's own area cannot approve communities outside their scope.
    const byWorkerA1 = await server.json(`/api/v1/providers/${provider.id}/changes/review`, {
      json: { decision: "APPROVE" },
      token: await tokenFor(fx.users.workerA1.id),
    });
    expect(byWorkerA1.status).toBe(403);
    const adminB = await createUser(db(), {
      roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: fx.subdistricts.b.id }],
    });
    const adminBToken = await tokenFor(adminB.id);
    const queue = await server.json("/api/v1/providers?changePending=1", { token: adminBToken });
    expect(queue.body.items.map((p: { id: string }) => p.id)).toEqual([provider.id]);
    const approved = await server.json(`/api/v1/providers/${provider.id}/changes/review`, {
      json: { decision: "APPROVE" },
      token: adminBToken,
    });
    expect(approved.status).toBe(200);
    expect(approved.body.provider.pendingChange).toBeNull();
    expect(approved.body.provider.communities).toHaveLength(3);
  });

  it("holds a new name, USCC or kind for review, and drops it with a reason when rejected", async () => {
    const provider = await ownProvider();
    const patched = await server.json(`/api/v1/providers/${provider.id}`, {
      method: "PATCH",
      json: { name: "换了名字的机构", kind: "MERCHANT" },
      token: owner.token,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.provider).toMatchObject({
      name: provider.name,
      kind: "SOCIAL_ORG",
      status: "APPROVED",
    });
    expect(patched.body.provider.pendingChange).toMatchObject({ name: "换了名字的机构", kind: "MERCHANT" });
    const rejected = await server.json(`/api/v1/providers/${provider.id}/changes/review`, {
      json: { decision: "REJECT", reason: "名称与登记证书不符" },
      token: await tokenFor(fx.users.workerA1.id),
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body.provider).toMatchObject({
      name: provider.name,
      kind: "SOCIAL_ORG",
      pendingChange: null,
    });
    const told = await db().notification.findFirstOrThrow({ where: { userId: owner.id } });
    expect(told.body).toContain("名称与登记证书不符");
    const none = await server.json(`/api/v1/providers/${provider.id}/changes/review`, {
      json: { decision: "APPROVE" },
      token: await tokenFor(fx.users.workerA1.id),
    });
    expect(none.status).toBe(409);
  });
});

describe("the side that accepts a match is a different person from the proposer", () => {
  it("refuses a staff member who proposed to their own provider, and lets another member accept", async () => {
    const provider = await ownProvider("APPROVED", [fx.users.workerA1.id]);
    const { match } = await proposalTo(provider.id, fx.users.workerA1.id);
    const self = await server.json(`/api/v1/matches/${match.id}/accept`, {
      json: {},
      token: await tokenFor(fx.users.workerA1.id),
    });
    expect(self.status).toBe(403);
    expect(self.body.error.message).toContain("是您提出的");
    const other = await server.json(`/api/v1/matches/${match.id}/accept`, { json: {}, token: owner.token });
    expect(other.status).toBe(200);
    expect(other.body.match.status).toBe("ACCEPTED");
  });
});

describe("co-organisers only by consent", () => {
  it("invites another provider named on an activity, and links its service only once it consents", async () => {
    const provider = await ownProvider();
    const otherOwner = await createResident(db(), fx.communities.a1.id);
    const other = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      members: [{ userId: otherOwner.id }],
    });
    const otherService = await createService(db(), {
      providerId: other.id,
      communityIds: [fx.communities.a1.id],
    });
    const input = {
      title: "重阳节敬老茶话会",
      description: "社区老人一起喝茶聊天，还有义诊和理发。",
      communityId: fx.communities.a1.id,
      venue: "社区党群服务中心二楼",
      startsAt: new Date(Date.now() + 24 * HOUR).toISOString(),
      endsAt: new Date(Date.now() + 26 * HOUR).toISOString(),
      capacity: 20,
      organiserProviderId: provider.id,
      providerIds: [other.id],
    };
    const withService = await server.json("/api/v1/activities", {
      json: { ...input, serviceId: otherService.id },
      token: owner.token,
    });
    expect(withService.status).toBe(400);
    expect(withService.body.error.fields.serviceId).toContain("只能关联本机构的服务");

    const created = await server.json("/api/v1/activities", { json: input, token: owner.token });
    expect(created.status).toBe(201);
    const activityId = created.body.activity.id;
    const linked = await db().activityProvider.findMany({ where: { activityId } });
    expect(linked.map((l) => l.providerId)).toEqual([provider.id]);

    const otherToken = await tokenFor(otherOwner.id);
    const listed = await server.json("/api/v1/me/co-organiser-invitations", { token: otherToken });
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ activityId, providerId: other.id });
    const byOrganiser = await server.json(
      `/api/v1/co-organiser-invitations/${listed.body.items[0].id}/accept`,
      {
        json: {},
        token: owner.token,
      },
    );
    expect(byOrganiser.status).toBe(403);
    const accepted = await server.json(`/api/v1/co-organiser-invitations/${listed.body.items[0].id}/accept`, {
      json: {},
      token: otherToken,
    });
    expect(accepted.status).toBe(204);
    const after = await db().activityProvider.findMany({
      where: { activityId },
      orderBy: { providerId: "asc" },
    });
    expect(after.map((l) => l.providerId).sort()).toEqual([provider.id, other.id].sort());
  });
});
