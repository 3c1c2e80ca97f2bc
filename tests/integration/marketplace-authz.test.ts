import type { NeedStatus, ProviderStatus, Role, ServiceStatus } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createCommunity,
  createDistrict,
  createResident,
  createSubdistrict,
  createUser,
} from "../../prisma/factories";
import { createNeed, createProvider, createService, makeUscc } from "../../prisma/factories/marketplace";
import { keptFixtures } from "../setup/kept-fixtures";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The marketplace's authorization matrix (DESIGN.md §7: role × action × foreign scope), over HTTP.
//
// Every mutating provider, service and need endpoint is tried by every kind of caller against a
// resource on the a1 side ("own": where the provider owner's provider works and residentA1 lives)
// and, where the place decides the answer, against its mirror on the b1 side ("foreign"). Each case
// builds a fresh world (the tables are truncated after every test):
//
//   a1 side (own)                                   b1 side (foreign)
//   provider P serving a1: owner + member           provider Q serving b1: its owner + a member
//   P's service in a1                               Q's service in b1
//   residentA1's need in a1                         residentB1's need in b1
//   an elderly resident of a1 (代办 target)         an elderly resident of b1 (代办 target)
//
// The callers' homes are in their names, so "worker of b1 · in a1 (own)" is a worker reaching
// outside their scope and "worker of b1 · in b1 (foreign)" one acting inside it: every staff role is
// seen both allowed and refused. A refused case must leave every table as it was (row counts, and
// the target's status and version); an allowed one must write exactly what the action writes,
// audited as the caller.
//
// Expectations come from API.md, ADR 0008 and app/domain/policy.ts. Two notes on statuses:
// - No write hides its target behind a 404: the write endpoints load the row and then authorize, so
//   an outsider touching a pending provider or a draft service gets 403, not the 404 a GET gives.
// - Staff who hold no resident role and post a need without a resident's phone get a 400 on
//   `requesterPhone` (the form's pointer to 代办) before any policy check; nothing is written.

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// --- Who acts -----------------------------------------------------------------------------------

type ActorKey =
  | "anonymous"
  | "residentA1"
  | "residentB1"
  | "owner"
  | "member"
  | "otherOwner"
  | "workerA1"
  | "workerB1"
  | "adminA"
  | "adminB"
  | "districtAdmin";
type SignedIn = Exclude<ActorKey, "anonymous">;

/** The matrix's columns, in order. */
const COLUMNS: ActorKey[] = [
  "anonymous",
  "residentA1",
  "residentB1",
  "owner",
  "member",
  "otherOwner",
  "workerA1",
  "workerB1",
  "adminA",
  "adminB",
  "districtAdmin",
];

const ACTOR_LABELS: Record<ActorKey, string> = {
  anonymous: "anonymous",
  residentA1: "resident of a1",
  residentB1: "resident of b1",
  owner: "provider owner",
  member: "provider member",
  otherOwner: "owner of another provider",
  workerA1: "worker of a1",
  workerB1: "worker of b1",
  adminA: "subdistrict admin of a",
  adminB: "subdistrict admin of b",
  districtAdmin: "district admin",
};

// --- The world each case starts from ------------------------------------------------------------

type States = { provider: ProviderStatus; service: ServiceStatus; need: NeedStatus };
const DEFAULT_STATES: States = { provider: "APPROVED", service: "PUBLISHED", need: "OPEN" };

type Person = { id: string; phone: string };
type Side = {
  communityId: string;
  providerId: string;
  /** The provider's member who is not its owner (whom "remove member" removes). */
  providerMember: Person;
  serviceId: string;
  needId: string;
  /** An elderly resident of the side's community, for 代办. */
  elder: Person;
};
type World = { users: Record<SignedIn, Person>; sides: { own: Side; foreign: Side }; colleague: Person };

/** Phones that go through the API are fixed: uniquePhone() outgrows 11 digits after 9,999 users in
 * one file, and this file creates thousands (the tables are emptied after every case, so fixed
 * numbers never clash). */
const PHONES = { elderA1: "13700000001", elderB1: "13700000002", colleague: "13700000003" };

/** The same tree as createTerritoryFixture (one district, subdistricts a and b, communities a1 and
 * b1), built a level at a time with each level's rows written side by side. */
async function makeWorld(states: States): Promise<World> {
  const district = await createDistrict(db());
  const [sdA, sdB] = await Promise.all([
    createSubdistrict(db(), { districtId: district.id }),
    createSubdistrict(db(), { districtId: district.id }),
  ]);
  const [a1, b1] = await Promise.all([
    createCommunity(db(), { subdistrictId: sdA.id }),
    createCommunity(db(), { subdistrictId: sdB.id }),
  ]);
  const staff = (role: Role, scopeId: string) => createUser(db(), { roles: [{ role, scopeId }] });
  const [
    residentA1,
    residentB1,
    owner,
    member,
    otherOwner,
    otherMember,
    workerA1,
    workerB1,
    adminA,
    adminB,
    districtAdmin,
    colleague,
    elderA1,
    elderB1,
  ] = await Promise.all([
    createResident(db(), a1.id),
    createResident(db(), b1.id),
    createUser(db()),
    createUser(db()),
    createUser(db()),
    createUser(db()),
    staff("COMMUNITY_WORKER", a1.id),
    staff("COMMUNITY_WORKER", b1.id),
    staff("SUBDISTRICT_ADMIN", sdA.id),
    staff("SUBDISTRICT_ADMIN", sdB.id),
    staff("DISTRICT_ADMIN", district.id),
    createUser(db(), { phone: PHONES.colleague }),
    createResident(db(), a1.id, { phone: PHONES.elderA1 }),
    createResident(db(), b1.id, { phone: PHONES.elderB1 }),
  ]);
  const [providerP, providerQ] = await Promise.all([
    createProvider(db(), {
      communityIds: [a1.id],
      status: states.provider,
      members: [{ userId: owner.id }, { userId: member.id, role: "MEMBER" }],
    }),
    createProvider(db(), {
      communityIds: [b1.id],
      status: states.provider,
      members: [{ userId: otherOwner.id }, { userId: otherMember.id, role: "MEMBER" }],
    }),
  ]);
  const [serviceP, serviceQ, needA1, needB1] = await Promise.all([
    createService(db(), { providerId: providerP.id, communityIds: [a1.id], status: states.service }),
    createService(db(), { providerId: providerQ.id, communityIds: [b1.id], status: states.service }),
    createNeed(db(), { requesterId: residentA1.id, communityId: a1.id, status: states.need }),
    createNeed(db(), { requesterId: residentB1.id, communityId: b1.id, status: states.need }),
  ]);
  return {
    users: {
      residentA1,
      residentB1,
      owner,
      member,
      otherOwner,
      workerA1,
      workerB1,
      adminA,
      adminB,
      districtAdmin,
    },
    sides: {
      own: {
        communityId: a1.id,
        providerId: providerP.id,
        providerMember: member,
        serviceId: serviceP.id,
        needId: needA1.id,
        elder: elderA1,
      },
      foreign: {
        communityId: b1.id,
        providerId: providerQ.id,
        providerMember: otherMember,
        serviceId: serviceQ.id,
        needId: needB1.id,
        elder: elderB1,
      },
    },
    colleague,
  };
}

/** Hundreds of cases start from a few kinds of world: each made once, put back from its rows after. */
const buildWorld = keptFixtures(makeWorld);

// --- What a case observes -----------------------------------------------------------------------

type Target = { kind: "provider" | "service" | "need"; id: string };
type Counts = {
  providers: number;
  providerCommunities: number;
  providerMembers: number;
  services: number;
  serviceCommunities: number;
  needs: number;
  users: number;
  auditLogs: number;
  outboxEvents: number;
};
const COUNTED: (keyof Counts)[] = [
  "providers",
  "providerCommunities",
  "providerMembers",
  "services",
  "serviceCommunities",
  "needs",
  "users",
  "auditLogs",
  "outboxEvents",
];
type Snapshot = { counts: Counts; target: { status: string; version: number } | null };

async function countRows(): Promise<Counts> {
  const [
    providers,
    providerCommunities,
    providerMembers,
    services,
    serviceCommunities,
    needs,
    users,
    auditLogs,
    outboxEvents,
  ] = await Promise.all([
    db().provider.count(),
    db().providerCommunity.count(),
    db().providerMember.count(),
    db().service.count(),
    db().serviceCommunity.count(),
    db().need.count(),
    db().user.count(),
    db().auditLog.count(),
    db().outboxEvent.count(),
  ]);
  return {
    providers,
    providerCommunities,
    providerMembers,
    services,
    serviceCommunities,
    needs,
    users,
    auditLogs,
    outboxEvents,
  };
}

const stateSelect = { status: true, version: true };

function stateOf(target: Target) {
  const where = { id: target.id };
  switch (target.kind) {
    case "provider":
      return db().provider.findUniqueOrThrow({ where, select: stateSelect });
    case "service":
      return db().service.findUniqueOrThrow({ where, select: stateSelect });
    case "need":
      return db().need.findUniqueOrThrow({ where, select: stateSelect });
  }
}

async function snapshot(target: Target | undefined): Promise<Snapshot> {
  return { counts: await countRows(), target: target ? await stateOf(target) : null };
}

// --- The actions --------------------------------------------------------------------------------

type Call = { method: "POST" | "PATCH" | "DELETE"; path: string; json?: unknown };
type Outcome = { body: { [key: string]: unknown } | null; world: World; side: Side; actorId: string };

type ActionSpec = {
  /** The statuses the world starts in (DEFAULT_STATES otherwise). */
  states?: Partial<States>;
  call: (side: Side, world: World) => Call;
  /** The row whose status and version the action moves (or, when refused, must not move). */
  target?: (side: Side) => Target;
  /** On success: the row counts that grow (or shrink) ... */
  writes: Partial<Counts>;
  /** ... the target's new status, with its version bumped by one (absent: the target is untouched) ... */
  becomes?: string;
  /** ... the audit entry recorded for the caller (one of them, when the caller decides which) ... */
  audit: string | readonly string[];
  /** ... and who it happened to. */
  verify?: (outcome: Outcome) => Promise<void>;
};

const NEW_PHONE = "13912345678";
const needBody = (communityId: string) => ({
  title: "老人需要上门探访",
  description: "家里老人独居，希望每周有人上门看看。",
  category: "elderly-care",
  communityId,
});

const provider = (side: Side): Target => ({ kind: "provider", id: side.providerId });
const service = (side: Side): Target => ({ kind: "service", id: side.serviceId });
const need = (side: Side): Target => ({ kind: "need", id: side.needId });
const versioned = { auditLogs: 1, outboxEvents: 1 };
/** A posted need also announces itself (the need.posted event row) for the matching job. */
const posted = { needs: 1, auditLogs: 1, outboxEvents: 2 };

/** The id in a response body's `provider`, `service` or `need` object. */
function idIn(body: Outcome["body"], key: string): string {
  const value = body?.[key];
  const id = typeof value === "object" && value !== null && "id" in value ? value.id : undefined;
  if (typeof id !== "string") throw new Error(`no ${key}.id in ${JSON.stringify(body)}`);
  return id;
}

const ACTIONS = {
  apply: {
    call: (side) => ({
      method: "POST",
      path: "/api/v1/providers",
      json: {
        kind: "SOCIAL_ORG",
        name: "幸福社工服务中心",
        uscc: makeUscc("SOCIAL_ORG"),
        contactName: "张敏",
        contactPhone: "13987654321",
        address: "幸福路12号3楼",
        description: "为社区老人提供上门探访和助餐服务。",
        communityIds: [side.communityId],
      },
    }),
    writes: { providers: 1, providerCommunities: 1, providerMembers: 1, ...versioned },
    audit: "provider.apply",
    verify: async ({ body, actorId }) => {
      const providerId = idIn(body, "provider");
      const stored = await db().provider.findUniqueOrThrow({ where: { id: providerId } });
      expect(stored.status).toBe("PENDING");
      const members = await db().providerMember.findMany({ where: { providerId } });
      expect(members.map((m) => [m.userId, m.role])).toEqual([[actorId, "OWNER"]]);
    },
  },
  "review approve": {
    states: { provider: "PENDING" },
    call: (side) => ({
      method: "POST",
      path: `/api/v1/providers/${side.providerId}/review`,
      json: { decision: "APPROVE" },
    }),
    target: provider,
    writes: versioned,
    becomes: "APPROVED",
    audit: "provider.approve",
  },
  "review reject": {
    states: { provider: "PENDING" },
    call: (side) => ({
      method: "POST",
      path: `/api/v1/providers/${side.providerId}/review`,
      json: { decision: "REJECT", reason: "请补充民办非企业单位登记证书" },
    }),
    target: provider,
    writes: versioned,
    becomes: "REJECTED",
    audit: "provider.reject",
  },
  suspend: {
    states: { provider: "APPROVED" },
    call: (side) => ({
      method: "POST",
      path: `/api/v1/providers/${side.providerId}/suspend`,
      json: { reason: "多次未按约上门服务" },
    }),
    target: provider,
    writes: versioned,
    becomes: "SUSPENDED",
    audit: "provider.suspend",
  },
  restore: {
    states: { provider: "SUSPENDED" },
    call: (side) => ({ method: "POST", path: `/api/v1/providers/${side.providerId}/restore`, json: {} }),
    target: provider,
    writes: versioned,
    becomes: "APPROVED",
    audit: "provider.restore",
  },
  // An approved provider's new name waits for review (ADR 0017); the provider keeps its old one.
  "PATCH provider": {
    call: (side) => ({
      method: "PATCH",
      path: `/api/v1/providers/${side.providerId}`,
      json: { name: "幸福社工服务中心（新址）" },
    }),
    target: provider,
    writes: versioned,
    becomes: "APPROVED",
    audit: "provider.change.request",
    verify: async ({ side }) => {
      const stored = await db().provider.findUniqueOrThrow({ where: { id: side.providerId } });
      expect(stored.name).not.toBe("幸福社工服务中心（新址）");
      expect(stored.pendingChange).toEqual({ name: "幸福社工服务中心（新址）" });
    },
  },
  // Membership is an invitation the person accepts (ADR 0017): nobody is added by it.
  "invite member": {
    call: (side, world) => ({
      method: "POST",
      path: `/api/v1/providers/${side.providerId}/members`,
      json: { phone: world.colleague.phone },
    }),
    // Membership is audited but not versioned (it is not in the search index).
    target: provider,
    writes: { auditLogs: 1 },
    audit: "provider.member.invite",
    verify: async ({ side, world }) => {
      const invitation = await db().providerInvitation.findUniqueOrThrow({
        where: { providerId_phone: { providerId: side.providerId, phone: world.colleague.phone } },
      });
      expect(invitation.status).toBe("PENDING");
    },
  },
  // The owner removes the member, or the member leaves.
  "remove member": {
    call: (side) => ({
      method: "DELETE",
      path: `/api/v1/providers/${side.providerId}/members/${side.providerMember.id}`,
    }),
    target: provider,
    writes: { providerMembers: -1, auditLogs: 1 },
    audit: ["provider.member.remove", "provider.member.leave"],
    verify: async ({ side }) => {
      const gone = await db().providerMember.findUnique({
        where: { providerId_userId: { providerId: side.providerId, userId: side.providerMember.id } },
      });
      expect(gone).toBeNull();
    },
  },
  "create service": {
    call: (side) => ({
      method: "POST",
      path: "/api/v1/services",
      json: {
        providerId: side.providerId,
        title: "老年人助浴上门服务",
        description: "每周二、周四上门为行动不便的老人助浴，需提前一天预约。",
        category: "elderly-care",
        communityIds: [side.communityId],
        funding: "FREE",
      },
    }),
    writes: { services: 1, serviceCommunities: 1, ...versioned },
    audit: "service.create",
    verify: async ({ body, side }) => {
      const stored = await db().service.findUniqueOrThrow({ where: { id: idIn(body, "service") } });
      expect([stored.providerId, stored.status]).toEqual([side.providerId, "PUBLISHED"]);
    },
  },
  "PATCH service": {
    call: (side) => ({
      method: "PATCH",
      path: `/api/v1/services/${side.serviceId}`,
      json: { title: "老年人助浴上门服务（周末）" },
    }),
    target: service,
    writes: versioned,
    becomes: "PUBLISHED",
    audit: "service.update",
  },
  publish: {
    states: { service: "DRAFT" },
    call: (side) => ({ method: "POST", path: `/api/v1/services/${side.serviceId}/publish`, json: {} }),
    target: service,
    writes: versioned,
    becomes: "PUBLISHED",
    audit: "service.publish",
  },
  archive: {
    call: (side) => ({ method: "POST", path: `/api/v1/services/${side.serviceId}/archive`, json: {} }),
    target: service,
    writes: versioned,
    becomes: "ARCHIVED",
    audit: "service.archive",
  },
  "post need": {
    call: (side) => ({ method: "POST", path: "/api/v1/needs", json: needBody(side.communityId) }),
    writes: posted,
    audit: "need.create",
    verify: async ({ body, side, actorId }) => {
      const stored = await db().need.findUniqueOrThrow({ where: { id: idIn(body, "need") } });
      expect(stored).toMatchObject({
        requesterId: actorId,
        createdById: actorId,
        communityId: side.communityId,
        onBehalf: false,
        status: "OPEN",
      });
    },
  },
  "代办 for a resident": {
    call: (side) => ({
      method: "POST",
      path: "/api/v1/needs",
      json: { ...needBody(side.communityId), requesterPhone: side.elder.phone },
    }),
    writes: posted,
    audit: "need.create.onBehalf",
    verify: async ({ body, side, actorId }) => {
      const stored = await db().need.findUniqueOrThrow({ where: { id: idIn(body, "need") } });
      expect(stored).toMatchObject({
        requesterId: side.elder.id,
        createdById: actorId,
        communityId: side.communityId,
        onBehalf: true,
      });
    },
  },
  "代办 opening an account": {
    call: (side) => ({
      method: "POST",
      path: "/api/v1/needs",
      json: { ...needBody(side.communityId), requesterPhone: NEW_PHONE, requesterName: "张桂兰" },
    }),
    // The new resident's account is audited too.
    writes: { ...posted, users: 1, auditLogs: 2 },
    audit: "need.create.onBehalf",
    verify: async ({ body, side, actorId }) => {
      const stored = await db().need.findUniqueOrThrow({
        where: { id: idIn(body, "need") },
        include: { requester: { include: { roles: true } } },
      });
      expect(stored).toMatchObject({ createdById: actorId, communityId: side.communityId, onBehalf: true });
      expect(stored.requester.phone).toBe(NEW_PHONE);
      expect(stored.requester.roles.map((r) => [r.role, r.scopeId])).toEqual([
        ["RESIDENT", side.communityId],
      ]);
    },
  },
  cancel: {
    call: (side) => ({ method: "POST", path: `/api/v1/needs/${side.needId}/cancel`, json: {} }),
    target: need,
    writes: versioned,
    becomes: "CANCELLED",
    audit: "need.cancel",
  },
  close: {
    call: (side) => ({
      method: "POST",
      path: `/api/v1/needs/${side.needId}/close`,
      json: { reason: "居民已搬离本社区" },
    }),
    target: need,
    writes: versioned,
    becomes: "CLOSED",
    audit: "need.close",
  },
  fulfil: {
    call: (side) => ({ method: "POST", path: `/api/v1/needs/${side.needId}/fulfil`, json: {} }),
    target: need,
    writes: versioned,
    becomes: "FULFILLED",
    audit: "need.fulfil",
    // Only a need some provider took on can be confirmed (issue #15).
    states: { need: "MATCHED" },
  },
} satisfies Record<string, ActionSpec>;
type ActionKey = keyof typeof ACTIONS;

// --- The matrix ---------------------------------------------------------------------------------

type Status = 200 | 201 | 202 | 204 | 400 | 401 | 403;
type Row = [
  ActionKey,
  "any" | "own" | "foreign",
  [Status, Status, Status, Status, Status, Status, Status, Status, Status, Status, Status],
];

// One row per action and scope; one column per caller (COLUMNS, abbreviated in the header). "own"
// acts on the a1 side, "foreign" on the b1 side, "any" where the place makes no difference (an
// application names its own area). Actions whose rule names a person rather than a place (the
// owner; the provider's people; the requester) have an "own" row only: it already holds the
// foreign callers (the other provider's owner, the resident of b1, the staff of b and of the
// district), and the mirrored row would take the same code path with the names swapped.
// biome-ignore format: the matrix is aligned by hand so that it reads as a table
const MATRIX: Row[] = [
  //                                       anon  resA1 resB1 owner membr other wrkA1 wrkB1 admA  admB  dist
  // Anyone signed in may apply (provider.apply) and becomes the new provider's owner.
  ["apply",                    "any",     [401,  201,  201,  201,  201,  201,  201,  201,  201,  201,  201]],
  // Staff whose scope covers one of its communities review (provider.review); members may not.
  ["review approve",           "own",     [401,  403,  403,  403,  403,  403,  200,  403,  200,  403,  200]],
  ["review approve",           "foreign", [401,  403,  403,  403,  403,  403,  403,  200,  403,  200,  200]],
  ["review reject",            "own",     [401,  403,  403,  403,  403,  403,  200,  403,  200,  403,  200]],
  ["review reject",            "foreign", [401,  403,  403,  403,  403,  403,  403,  200,  403,  200,  200]],
  // Only admins in scope suspend and restore (provider.suspend): not community workers.
  ["suspend",                  "own",     [401,  403,  403,  403,  403,  403,  403,  403,  200,  403,  200]],
  ["suspend",                  "foreign", [401,  403,  403,  403,  403,  403,  403,  403,  403,  200,  200]],
  ["restore",                  "own",     [401,  403,  403,  403,  403,  403,  403,  403,  200,  403,  200]],
  ["restore",                  "foreign", [401,  403,  403,  403,  403,  403,  403,  403,  403,  200,  200]],
  // The owner alone edits the profile and invites (provider.edit, provider.invite): not members, not
  // staff. A member may leave (provider.leave).
  ["PATCH provider",           "own",     [401,  403,  403,  200,  403,  403,  403,  403,  403,  403,  403]],
  ["invite member",            "own",     [401,  403,  403,  202,  403,  403,  403,  403,  403,  403,  403]],
  ["remove member",            "own",     [401,  403,  403,  204,  204,  403,  403,  403,  403,  403,  403]],
  // The provider's owner and members manage its services (service.manage): not staff.
  ["create service",           "own",     [401,  403,  403,  201,  201,  403,  403,  403,  403,  403,  403]],
  ["PATCH service",            "own",     [401,  403,  403,  200,  200,  403,  403,  403,  403,  403,  403]],
  ["publish",                  "own",     [401,  403,  403,  200,  200,  403,  403,  403,  403,  403,  403]],
  // Archiving: the provider's people, or staff whose scope covers one of the service's communities.
  ["archive",                  "own",     [401,  403,  403,  200,  200,  403,  200,  403,  200,  403,  200]],
  ["archive",                  "foreign", [401,  403,  403,  403,  403,  200,  403,  200,  403,  200,  200]],
  // A resident posts for their own community (need.post); staff get the 代办 pointer (400).
  ["post need",                "own",     [401,  201,  403,  403,  403,  403,  400,  400,  400,  400,  400]],
  ["post need",                "foreign", [401,  403,  201,  403,  403,  403,  400,  400,  400,  400,  400]],
  // 代办: staff whose scope covers the resident's community (need.postOnBehalf), for an existing
  // resident or one whose account it opens.
  ["代办 for a resident",      "own",     [401,  403,  403,  403,  403,  403,  201,  403,  201,  403,  201]],
  ["代办 for a resident",      "foreign", [401,  403,  403,  403,  403,  403,  403,  201,  403,  201,  201]],
  ["代办 opening an account",  "own",     [401,  403,  403,  403,  403,  403,  201,  403,  201,  403,  201]],
  ["代办 opening an account",  "foreign", [401,  403,  403,  403,  403,  403,  403,  201,  403,  201,  201]],
  // The requester alone cancels (need.cancel): not staff either.
  ["cancel",                   "own",     [401,  200,  403,  403,  403,  403,  403,  403,  403,  403,  403]],
  // Staff in scope close with a reason (need.close): not the requester.
  ["close",                    "own",     [401,  403,  403,  403,  403,  403,  200,  403,  200,  403,  200]],
  ["close",                    "foreign", [401,  403,  403,  403,  403,  403,  403,  200,  403,  200,  200]],
  // The requester or staff in scope confirm fulfilment (need.fulfil).
  ["fulfil",                   "own",     [401,  200,  403,  403,  403,  403,  200,  403,  200,  403,  200]],
  ["fulfil",                   "foreign", [401,  403,  200,  403,  403,  403,  403,  200,  403,  200,  200]],
];

const SCOPE_LABELS = { any: "any scope", own: "in a1 (own)", foreign: "in b1 (foreign)" };
const ERROR_CODES: Record<number, string> = { 400: "VALIDATION", 401: "UNAUTHENTICATED", 403: "FORBIDDEN" };

const sideOf = (scope: Row[1]): keyof World["sides"] => (scope === "foreign" ? "foreign" : "own");

const CASES = MATRIX.flatMap(([action, scope, statuses]) =>
  COLUMNS.map((actor, column) => {
    const expected = statuses[column];
    if (expected === undefined) throw new Error(`${action} ${scope}: no outcome for ${actor}`);
    return {
      name: `${action} · ${ACTOR_LABELS[actor]} · ${SCOPE_LABELS[scope]} → ${expected}`,
      action,
      actor,
      scope,
      side: sideOf(scope),
      expected,
    };
  }),
);

/** What a successful action leaves: the counts moved by `writes`, the target moved to `becomes`. */
function expectedAfter(before: Snapshot, spec: ActionSpec): Snapshot {
  const counts = { ...before.counts };
  for (const key of COUNTED) counts[key] += spec.writes[key] ?? 0;
  const target =
    before.target && spec.becomes
      ? { status: spec.becomes, version: before.target.version + 1 }
      : before.target;
  return { counts, target };
}

/** A matrix case. */
type Case = (typeof CASES)[number];

// A refusal leaves the world as it was (each one below checks that), so the refusals of one row run
// one after another in one world, and only a success, which changes it, gets a world of its own:
// about a hundred worlds instead of three hundred, with every case still checked on its own.
const successes = CASES.filter((c) => c.expected < 400);
const refusalRows = MATRIX.map(([action, scope]) => ({
  row: `${action} · ${SCOPE_LABELS[scope]}`,
  cases: CASES.filter((c) => c.action === action && c.scope === scope && c.expected >= 400),
})).filter(({ cases }) => cases.length > 0);

/** The person a case acts as in a world, and their API token. */
async function callerOf(world: World, actor: ActorKey) {
  const person = actor === "anonymous" ? null : world.users[actor];
  return { person, token: person ? await tokenFor(person.id) : undefined };
}

describe("marketplace authorization matrix", () => {
  it("covers every caller for every action and scope", () => {
    expect(CASES).toHaveLength(MATRIX.length * COLUMNS.length);
    expect(new Set(MATRIX.map(([action]) => action))).toEqual(new Set(Object.keys(ACTIONS)));
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    // Every case runs: as a success of its own or among its row's refusals.
    expect(successes.length + refusalRows.reduce((sum, { cases }) => sum + cases.length, 0)).toBe(
      CASES.length,
    );
  });

  it.each(successes)("$name", async ({ action, actor, side: sideKey, expected }: Case) => {
    const spec: ActionSpec = ACTIONS[action];
    const world = await buildWorld({ ...DEFAULT_STATES, ...spec.states });
    const side = world.sides[sideKey];
    const { person, token } = await callerOf(world, actor);
    if (!person) throw new Error("an anonymous call never succeeds in this matrix");
    const target = spec.target?.(side);
    const before = await snapshot(target);

    const { method, path, json } = spec.call(side, world);
    const res = await server.json(path, { method, json, token });
    expect(res.status, JSON.stringify(res.body)).toBe(expected);
    expect(await snapshot(target)).toEqual(expectedAfter(before, spec));
    const audits = await db().auditLog.findMany();
    expect(audits.every((entry) => entry.actorId === person.id)).toBe(true);
    expect(audits.find((entry) => [spec.audit].flat().includes(entry.action))).toMatchObject(
      target ? { targetId: target.id } : {},
    );
    await spec.verify?.({ body: res.body, world, side, actorId: person.id });
  });

  it.each(refusalRows)("$row: each refusal answers its status and changes nothing", async ({ cases }) => {
    const first = cases[0];
    if (!first) throw new Error("a row without refusals is filtered out");
    const spec: ActionSpec = ACTIONS[first.action];
    const world = await buildWorld({ ...DEFAULT_STATES, ...spec.states });
    const side = world.sides[first.side];
    const target = spec.target?.(side);
    const before = await snapshot(target);
    for (const { name, actor, expected } of cases) {
      const { token } = await callerOf(world, actor);
      const { method, path, json } = spec.call(side, world);
      const res = await server.json(path, { method, json, token });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(expected);
      expect(res.body.error.code, name).toBe(ERROR_CODES[expected]);
      expect(await snapshot(target), name).toEqual(before);
    }
  });
});
