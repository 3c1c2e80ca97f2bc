import type { Role } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { type Actor, SCOPE_OF_ROLE } from "~/domain/accounts/actor";
import { type Action, authorize, can, coveredScope, grantCovers, type TerritoryPath } from "~/domain/policy";
import { DomainError } from "~/lib/errors";

// The role × action × scope matrix of DESIGN.md §7: every action, for every role (and for the owner
// and a member of a provider), in the actor's own place and in foreign places (another community,
// another subdistrict, another district), for the actor's own provider, need and for foreign ones.

// District D has subdistricts A and B; A has communities A1 and A2, B has B1. District X (foreign)
// has subdistrict XS with community X1.
const ID = {
  district: "d-main",
  sdA: "sd-a",
  sdB: "sd-b",
  a1: "c-a1",
  a2: "c-a2",
  b1: "c-b1",
  otherDistrict: "d-other",
  sdX: "sd-x",
  x1: "c-x1",
} as const;

const at = {
  district: { districtId: ID.district },
  sdA: { districtId: ID.district, subdistrictId: ID.sdA },
  sdB: { districtId: ID.district, subdistrictId: ID.sdB },
  a1: { districtId: ID.district, subdistrictId: ID.sdA, communityId: ID.a1 },
  a2: { districtId: ID.district, subdistrictId: ID.sdA, communityId: ID.a2 },
  b1: { districtId: ID.district, subdistrictId: ID.sdB, communityId: ID.b1 },
  otherDistrict: { districtId: ID.otherDistrict },
  sdX: { districtId: ID.otherDistrict, subdistrictId: ID.sdX },
  x1: { districtId: ID.otherDistrict, subdistrictId: ID.sdX, communityId: ID.x1 },
} satisfies Record<string, TerritoryPath>;

function actorWith(...grants: { role: Role; scopeId: string }[]): Actor {
  return {
    userId: `user-${grants.map((g) => g.role).join("-") || "none"}`,
    sessionId: "session-1",
    name: "测试用户",
    communityId: null,
    roles: grants.map(({ role, scopeId }) => ({ role, scopeType: SCOPE_OF_ROLE[role], scopeId })),
    memberships: [],
    privacyNoticeVersion: null,
  };
}

/** Provider P is the one the OWNER and MEMBER actors belong to; Q is someone else's. */
const PROVIDER = { own: "p-own", foreign: "p-foreign" } as const;

/** A resident of A1 who belongs to provider P in the given role. */
function providerPerson(role: "OWNER" | "MEMBER"): Actor {
  return {
    ...actorWith({ role: "RESIDENT", scopeId: ID.a1 }),
    userId: `user-${role.toLowerCase()}-of-p`,
    memberships: [{ providerId: PROVIDER.own, role, providerStatus: "APPROVED" }],
  };
}

/** Who acts: the four roles, plus the owner and a member of provider P (residents of A1 as well). */
type Who = Role | "OWNER" | "MEMBER";

/** One actor per role, each holding its role in district D / subdistrict A / community A1. */
const ACTORS: Record<Who, Actor> = {
  RESIDENT: actorWith({ role: "RESIDENT", scopeId: ID.a1 }),
  COMMUNITY_WORKER: actorWith({ role: "COMMUNITY_WORKER", scopeId: ID.a1 }),
  SUBDISTRICT_ADMIN: actorWith({ role: "SUBDISTRICT_ADMIN", scopeId: ID.sdA }),
  DISTRICT_ADMIN: actorWith({ role: "DISTRICT_ADMIN", scopeId: ID.district }),
  OWNER: providerPerson("OWNER"),
  MEMBER: providerPerson("MEMBER"),
};
const WHO: Who[] = ["RESIDENT", "COMMUNITY_WORKER", "SUBDISTRICT_ADMIN", "DISTRICT_ADMIN", "OWNER", "MEMBER"];

/** Every action of the policy; `satisfies` makes the compiler fail when an action is added or removed. */
const ALL_ACTIONS = {
  "workbench.open": true,
  "territory.view": true,
  "territory.manageSubdistricts": true,
  "territory.manageCommunities": true,
  "staff.list": true,
  "community.editServicePhone": true,
  "account.issueResetCode": true,
  "staff.create": true,
  "staff.remove": true,
  "provider.apply": true,
  "provider.review": true,
  "provider.suspend": true,
  "provider.viewPrivate": true,
  "provider.edit": true,
  "provider.invite": true,
  "provider.leave": true,
  "provider.coOrganise": true,
  "provider.reviewChange": true,
  "service.manage": true,
  "service.archive": true,
  "need.post": true,
  "need.postOnBehalf": true,
  "need.viewContact": true,
  "need.cancel": true,
  "need.close": true,
  "need.fulfil": true,
  "need.triage": true,
  "match.suggestForNeed": true,
  "match.suggestForProvider": true,
  "match.propose": true,
  "match.decide": true,
  "match.withdraw": true,
  "match.view": true,
  "match.readNote": true,
  "search.needs": true,
  "operations.view": true,
  "stats.view": true,
  "activity.create": true,
  "activity.manage": true,
  "activity.registrants": true,
  "activity.registerOnBehalf": true,
  "activity.correctAttendance": true,
  "project.manage": true,
  "project.evaluate": true,
  "project.viewPrivate": true,
  "project.linkActivity": true,
  "project.declare": true,
  "project.keepIndicators": true,
  "venue.manage": true,
  "booking.enterOnBehalf": true,
  "booking.review": true,
  "booking.cancel": true,
  "booking.viewContact": true,
} satisfies Record<Action, true>;

/** Actions open to anyone signed in, even without any role. */
const ANYONE_SIGNED_IN: Action[] = ["provider.apply"];

type Expected = Record<Who, boolean>;
type Case = { action: Action; where: string; check: (actor: Actor | null) => boolean; expected: Expected };

/** One matrix row: an action on one resource, with the answer expected for each role. */
function row<A extends Action>(
  action: A,
  where: string,
  resource: Parameters<typeof can<A>>[2],
  expected: Expected,
): Case {
  return { action, where, check: (actor) => can(actor, action, resource), expected };
}

const only = (...who: Who[]): Expected => ({
  RESIDENT: who.includes("RESIDENT"),
  COMMUNITY_WORKER: who.includes("COMMUNITY_WORKER"),
  SUBDISTRICT_ADMIN: who.includes("SUBDISTRICT_ADMIN"),
  DISTRICT_ADMIN: who.includes("DISTRICT_ADMIN"),
  OWNER: who.includes("OWNER"),
  MEMBER: who.includes("MEMBER"),
});
const nobody = only();
const STAFF: Who[] = ["COMMUNITY_WORKER", "SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"];
const PROVIDER_PEOPLE: Who[] = ["OWNER", "MEMBER"];

/** Where staff reach: the A1 worker, the subdistrict A admin and the district admin, from A1 outwards. */
const staffRows = <A extends Action>(
  action: A,
  resourceAt: (path: TerritoryPath) => Parameters<typeof can<A>>[2],
) => [
  row(action, "own community A1", resourceAt(at.a1), only(...STAFF)),
  row(
    action,
    "other community A2, same subdistrict",
    resourceAt(at.a2),
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(action, "community B1 in the other subdistrict", resourceAt(at.b1), only("DISTRICT_ADMIN")),
  row(action, "community X1 in another district", resourceAt(at.x1), nobody),
];

/** A need of the RESIDENT actor (own) or of somebody else (foreign). */
const requester = { own: ACTORS.RESIDENT.userId, foreign: "user-someone-else" };

/** Reading a place in the tree (territory.view, staff.list and stats.view share this shape). */
const viewRows = (action: "territory.view" | "staff.list" | "stats.view") => [
  row(action, "own community A1", at.a1, only("COMMUNITY_WORKER", "SUBDISTRICT_ADMIN", "DISTRICT_ADMIN")),
  row(action, "other community A2, same subdistrict", at.a2, only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN")),
  row(action, "community B1 in the other subdistrict", at.b1, only("DISTRICT_ADMIN")),
  row(action, "community X1 in another district", at.x1, nobody),
  row(action, "own subdistrict A", at.sdA, only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN")),
  row(action, "other subdistrict B", at.sdB, only("DISTRICT_ADMIN")),
  row(action, "subdistrict XS in another district", at.sdX, nobody),
  row(action, "own district", at.district, only("DISTRICT_ADMIN")),
  row(action, "another district", at.otherDistrict, nobody),
];

const MATRIX: Case[] = [
  row("workbench.open", "anywhere", null, only("COMMUNITY_WORKER", "SUBDISTRICT_ADMIN", "DISTRICT_ADMIN")),

  ...viewRows("territory.view"),
  ...viewRows("staff.list"),
  ...viewRows("stats.view"),

  row("territory.manageSubdistricts", "own district", at.district, only("DISTRICT_ADMIN")),
  row("territory.manageSubdistricts", "own subdistrict A (rename)", at.sdA, only("DISTRICT_ADMIN")),
  row("territory.manageSubdistricts", "other subdistrict B (rename)", at.sdB, only("DISTRICT_ADMIN")),
  row("territory.manageSubdistricts", "another district", at.otherDistrict, nobody),
  row("territory.manageSubdistricts", "subdistrict XS in another district", at.sdX, nobody),

  row(
    "territory.manageCommunities",
    "own subdistrict A",
    at.sdA,
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row("territory.manageCommunities", "own community A1", at.a1, only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN")),
  row(
    "territory.manageCommunities",
    "other community A2",
    at.a2,
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row("territory.manageCommunities", "other subdistrict B", at.sdB, only("DISTRICT_ADMIN")),
  row("territory.manageCommunities", "community B1 in the other subdistrict", at.b1, only("DISTRICT_ADMIN")),
  row("territory.manageCommunities", "the district itself", at.district, only("DISTRICT_ADMIN")),
  row("territory.manageCommunities", "subdistrict XS in another district", at.sdX, nobody),
  row("territory.manageCommunities", "community X1 in another district", at.x1, nobody),

  row(
    "staff.remove",
    "a worker in own community A1",
    { role: "COMMUNITY_WORKER", at: at.a1 },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "staff.remove",
    "a worker in community B1 of the other subdistrict",
    { role: "COMMUNITY_WORKER", at: at.b1 },
    only("DISTRICT_ADMIN"),
  ),
  row("staff.remove", "a worker in another district", { role: "COMMUNITY_WORKER", at: at.x1 }, nobody),
  row(
    "staff.remove",
    "a subdistrict admin of own subdistrict A",
    { role: "SUBDISTRICT_ADMIN", at: at.sdA },
    only("DISTRICT_ADMIN"),
  ),
  row("staff.remove", "a district admin", { role: "DISTRICT_ADMIN", at: at.district }, nobody),
  row(
    "staff.create",
    "a worker in own community A1",
    { role: "COMMUNITY_WORKER", at: at.a1 },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "staff.create",
    "a worker in other community A2",
    { role: "COMMUNITY_WORKER", at: at.a2 },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "staff.create",
    "a worker in community B1 of the other subdistrict",
    { role: "COMMUNITY_WORKER", at: at.b1 },
    only("DISTRICT_ADMIN"),
  ),
  row("staff.create", "a worker in another district", { role: "COMMUNITY_WORKER", at: at.x1 }, nobody),
  row("staff.create", "a worker held at a subdistrict", { role: "COMMUNITY_WORKER", at: at.sdA }, nobody),
  row(
    "staff.create",
    "a subdistrict admin of own subdistrict A",
    { role: "SUBDISTRICT_ADMIN", at: at.sdA },
    only("DISTRICT_ADMIN"),
  ),
  row(
    "staff.create",
    "a subdistrict admin of other subdistrict B",
    { role: "SUBDISTRICT_ADMIN", at: at.sdB },
    only("DISTRICT_ADMIN"),
  ),
  row(
    "staff.create",
    "a subdistrict admin in another district",
    { role: "SUBDISTRICT_ADMIN", at: at.sdX },
    nobody,
  ),
  row(
    "staff.create",
    "a subdistrict admin held at a community",
    { role: "SUBDISTRICT_ADMIN", at: at.a1 },
    nobody,
  ),
  row(
    "staff.create",
    "a subdistrict admin held at the district itself",
    { role: "SUBDISTRICT_ADMIN", at: at.district },
    nobody,
  ),
  row("staff.create", "a district admin", { role: "DISTRICT_ADMIN", at: at.district }, nobody),
  row("staff.create", "a resident", { role: "RESIDENT", at: at.a1 }, nobody),

  row("provider.apply", "anywhere", null, only(...WHO)),

  ...staffRows("provider.review", (path) => ({ paths: [path], conflictOfInterest: false })),
  row(
    "provider.review",
    "serving B1 and A1 (one is enough)",
    { paths: [at.b1, at.a1], conflictOfInterest: false },
    only(...STAFF),
  ),
  row("provider.review", "serving no community", { paths: [], conflictOfInterest: false }, nobody),
  // A member of the provider decides only from an admin's scope (ADR 0017).
  row(
    "provider.review",
    "serving A1, the actor a member of it",
    { paths: [at.a1], conflictOfInterest: true },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "provider.review",
    "serving B1, the actor a member of it",
    { paths: [at.b1], conflictOfInterest: true },
    only("DISTRICT_ADMIN"),
  ),

  // A change without new communities: like a review. With new ones: staff covering every one of them.
  ...staffRows("provider.reviewChange", (path) => ({
    paths: [path],
    addedPaths: [],
    conflictOfInterest: false,
  })),
  row(
    "provider.reviewChange",
    "serving A1, adding B1",
    { paths: [at.a1], addedPaths: [at.b1], conflictOfInterest: false },
    only("DISTRICT_ADMIN"),
  ),
  row(
    "provider.reviewChange",
    "serving B1, adding A1",
    { paths: [at.b1], addedPaths: [at.a1], conflictOfInterest: false },
    only(...STAFF),
  ),
  row(
    "provider.reviewChange",
    "serving B1, adding A1 and A2",
    { paths: [at.b1], addedPaths: [at.a1, at.a2], conflictOfInterest: false },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "provider.reviewChange",
    "serving B1, adding A1, the actor a member of it",
    { paths: [at.b1], addedPaths: [at.a1], conflictOfInterest: true },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "provider.reviewChange",
    "serving A1, adding X1 in another district",
    { paths: [at.a1], addedPaths: [at.x1], conflictOfInterest: false },
    nobody,
  ),

  row(
    "provider.suspend",
    "serving own community A1",
    { paths: [at.a1] },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "provider.suspend",
    "serving A2, same subdistrict",
    { paths: [at.a2] },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row("provider.suspend", "serving B1 in the other subdistrict", { paths: [at.b1] }, only("DISTRICT_ADMIN")),
  row("provider.suspend", "serving X1 in another district", { paths: [at.x1] }, nobody),
  row("provider.suspend", "serving B1 and X1", { paths: [at.b1, at.x1] }, only("DISTRICT_ADMIN")),

  row(
    "provider.viewPrivate",
    "own provider serving A1",
    { providerId: PROVIDER.own, paths: [at.a1] },
    only(...PROVIDER_PEOPLE, ...STAFF),
  ),
  row(
    "provider.viewPrivate",
    "own provider serving X1 in another district",
    { providerId: PROVIDER.own, paths: [at.x1] },
    only(...PROVIDER_PEOPLE),
  ),
  ...staffRows("provider.viewPrivate", (path) => ({ providerId: PROVIDER.foreign, paths: [path] })),

  row("provider.edit", "own provider", { providerId: PROVIDER.own }, only("OWNER")),
  row("provider.edit", "a foreign provider", { providerId: PROVIDER.foreign }, nobody),
  row("provider.invite", "own provider", { providerId: PROVIDER.own }, only("OWNER")),
  row("provider.invite", "a foreign provider", { providerId: PROVIDER.foreign }, nobody),
  row("provider.leave", "own provider", { providerId: PROVIDER.own }, only(...PROVIDER_PEOPLE)),
  row("provider.leave", "a foreign provider", { providerId: PROVIDER.foreign }, nobody),
  row("provider.coOrganise", "own provider", { providerId: PROVIDER.own }, only("OWNER")),
  row("provider.coOrganise", "a foreign provider", { providerId: PROVIDER.foreign }, nobody),

  row("service.manage", "own provider", { providerId: PROVIDER.own }, only(...PROVIDER_PEOPLE)),
  row("service.manage", "a foreign provider", { providerId: PROVIDER.foreign }, nobody),

  row(
    "service.archive",
    "own provider serving X1 in another district",
    { providerId: PROVIDER.own, paths: [at.x1] },
    only(...PROVIDER_PEOPLE),
  ),
  ...staffRows("service.archive", (path) => ({ providerId: PROVIDER.foreign, paths: [path] })),

  // The owner and member actors live in A1 too.
  row("need.post", "own community A1", { communityPath: at.a1 }, only("RESIDENT", ...PROVIDER_PEOPLE)),
  row("need.post", "other community A2", { communityPath: at.a2 }, nobody),
  row("need.post", "community X1 in another district", { communityPath: at.x1 }, nobody),

  ...staffRows("need.postOnBehalf", (path) => ({ communityPath: path })),
  ...staffRows("need.close", (path) => ({ communityPath: path })),

  row(
    "need.viewContact",
    "own need in A1",
    { requesterId: requester.own, communityPath: at.a1, matchedProviderIds: [] },
    only("RESIDENT", ...STAFF),
  ),
  row(
    "need.viewContact",
    "own need in X1 (moved away)",
    { requesterId: requester.own, communityPath: at.x1, matchedProviderIds: [] },
    only("RESIDENT"),
  ),
  row(
    "need.viewContact",
    "a need in X1 matched to own provider",
    { requesterId: requester.foreign, communityPath: at.x1, matchedProviderIds: [PROVIDER.own] },
    only(...PROVIDER_PEOPLE),
  ),
  row(
    "need.viewContact",
    "a need in X1 matched to a foreign provider",
    { requesterId: requester.foreign, communityPath: at.x1, matchedProviderIds: [PROVIDER.foreign] },
    nobody,
  ),
  ...staffRows("need.viewContact", (path) => ({
    requesterId: requester.foreign,
    communityPath: path,
    matchedProviderIds: [],
  })),

  row("need.cancel", "own need", { requesterId: requester.own }, only("RESIDENT")),
  row("need.cancel", "somebody else's need", { requesterId: requester.foreign }, nobody),

  row(
    "need.fulfil",
    "own need in A1",
    { requesterId: requester.own, communityPath: at.a1 },
    only("RESIDENT", ...STAFF),
  ),
  row(
    "need.fulfil",
    "own need in X1 (moved away)",
    { requesterId: requester.own, communityPath: at.x1 },
    only("RESIDENT"),
  ),
  ...staffRows("need.fulfil", (path) => ({ requesterId: requester.foreign, communityPath: path })),

  row("need.triage", "anywhere", null, only(...STAFF)),

  row(
    "match.suggestForNeed",
    "own need in X1 (moved away)",
    { requesterId: requester.own, communityPath: at.x1 },
    only("RESIDENT"),
  ),
  ...staffRows("match.suggestForNeed", (path) => ({ requesterId: requester.foreign, communityPath: path })),

  row(
    "match.suggestForProvider",
    "own provider serving X1",
    { providerId: PROVIDER.own, paths: [at.x1] },
    only(...PROVIDER_PEOPLE),
  ),
  ...staffRows("match.suggestForProvider", (path) => ({ providerId: PROVIDER.foreign, paths: [path] })),

  // Staff propose for needs in their reach; a provider offers its own services anywhere it is asked.
  ...staffRows("match.propose", (path) => ({ communityPath: path, providerId: PROVIDER.own, side: "STAFF" })),
  row(
    "match.propose",
    "an offer of own provider for a need in X1",
    { communityPath: at.x1, providerId: PROVIDER.own, side: "PROVIDER" },
    only(...PROVIDER_PEOPLE),
  ),
  row(
    "match.propose",
    "an offer of a foreign provider",
    { communityPath: at.a1, providerId: PROVIDER.foreign, side: "PROVIDER" },
    nobody,
  ),

  // The side that did not propose decides; the side that did may withdraw.
  row(
    "match.decide",
    "staff proposal to own provider (need in X1)",
    { communityPath: at.x1, providerId: PROVIDER.own, proposedBy: "STAFF", proposedById: "user-proposer" },
    only(...PROVIDER_PEOPLE),
  ),
  row(
    "match.decide",
    "staff proposal to a foreign provider",
    {
      communityPath: at.a1,
      providerId: PROVIDER.foreign,
      proposedBy: "STAFF",
      proposedById: "user-proposer",
    },
    nobody,
  ),
  ...staffRows("match.decide", (path) => ({
    communityPath: path,
    providerId: PROVIDER.own,
    proposedBy: "PROVIDER",
    proposedById: "user-proposer",
  })),
  ...staffRows("match.withdraw", (path) => ({
    communityPath: path,
    providerId: PROVIDER.own,
    proposedBy: "STAFF",
  })),
  row(
    "match.withdraw",
    "own provider's offer (need in X1)",
    { communityPath: at.x1, providerId: PROVIDER.own, proposedBy: "PROVIDER" },
    only(...PROVIDER_PEOPLE),
  ),

  row(
    "match.view",
    "own need's match with a foreign provider in X1",
    { communityPath: at.x1, providerId: PROVIDER.foreign, requesterId: requester.own },
    only("RESIDENT"),
  ),
  row(
    "match.view",
    "own provider's match in X1",
    { communityPath: at.x1, providerId: PROVIDER.own, requesterId: requester.foreign },
    only(...PROVIDER_PEOPLE),
  ),
  ...staffRows("match.view", (path) => ({
    communityPath: path,
    providerId: PROVIDER.foreign,
    requesterId: requester.foreign,
  })),

  // The note is staff's words to the provider: never for the requester, even on her own need.
  row(
    "match.readNote",
    "a foreign provider's match on a need in X1",
    { communityPath: at.x1, providerId: PROVIDER.foreign },
    nobody,
  ),
  row(
    "match.readNote",
    "own provider's match in X1",
    { communityPath: at.x1, providerId: PROVIDER.own },
    only(...PROVIDER_PEOPLE),
  ),
  ...staffRows("match.readNote", (path) => ({ communityPath: path, providerId: PROVIDER.foreign })),

  row("search.needs", "anywhere", null, only(...STAFF, ...PROVIDER_PEOPLE)),
  row("operations.view", "anywhere", null, only("DISTRICT_ADMIN")),

  ...staffRows("activity.create", (path) => ({ communityPath: path, providerId: null })),
  row(
    "activity.create",
    "for own provider in X1",
    { communityPath: at.x1, providerId: PROVIDER.own },
    only(...PROVIDER_PEOPLE),
  ),
  row(
    "activity.create",
    "for a foreign provider in X1",
    { communityPath: at.x1, providerId: PROVIDER.foreign },
    nobody,
  ),
  ...staffRows("activity.manage", (path) => ({ communityPath: path, providerId: PROVIDER.foreign })),
  row(
    "activity.manage",
    "own provider's activity in X1",
    { communityPath: at.x1, providerId: PROVIDER.own },
    only(...PROVIDER_PEOPLE),
  ),
  // 报名名单 with full phones: the activity's organisers only (#15 item 11).
  ...staffRows("activity.registrants", (path) => ({ communityPath: path, providerId: PROVIDER.foreign })),
  row(
    "activity.registrants",
    "own provider's activity in X1",
    { communityPath: at.x1, providerId: PROVIDER.own },
    only(...PROVIDER_PEOPLE),
  ),
  ...staffRows("activity.registerOnBehalf", (path) => ({ communityPath: path })),
  // Corrections come from above the organiser: never the community's own worker (ADR 0018).
  row(
    "activity.correctAttendance",
    "own community A1",
    { communityPath: at.a1 },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "activity.correctAttendance",
    "other community A2, same subdistrict",
    { communityPath: at.a2 },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "activity.correctAttendance",
    "community B1 in the other subdistrict",
    { communityPath: at.b1 },
    only("DISTRICT_ADMIN"),
  ),
  row("activity.correctAttendance", "community X1 in another district", { communityPath: at.x1 }, nobody),

  // Government-purchased projects (ADR 0026): the purchaser is a community, a subdistrict or the
  // district; its staff manage and evaluate, the provider reads its own and links activities.
  ...staffRows("project.manage", (path) => ({ purchaserPath: path, providerId: PROVIDER.foreign })),
  row(
    "project.manage",
    "subdistrict A as purchaser",
    { purchaserPath: at.sdA, providerId: PROVIDER.foreign },
    only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
  ),
  row(
    "project.manage",
    "the district as purchaser",
    { purchaserPath: at.district, providerId: PROVIDER.foreign },
    only("DISTRICT_ADMIN"),
  ),
  // Before a provider is chosen (the 新建 form's purchaser picker), and the provider's own project.
  row("project.manage", "A1, no provider yet", { purchaserPath: at.a1, providerId: null }, only(...STAFF)),
  row(
    "project.manage",
    "own provider's project in A1",
    { purchaserPath: at.a1, providerId: PROVIDER.own },
    only(...STAFF),
  ),
  ...staffRows("project.evaluate", (path) => ({ purchaserPath: path, providerId: PROVIDER.foreign })),
  // The provider's people never evaluate their own project.
  row(
    "project.evaluate",
    "own provider's project in A1",
    { purchaserPath: at.a1, providerId: PROVIDER.own },
    only(...STAFF),
  ),
  row(
    "project.viewPrivate",
    "own provider's project in X1",
    { purchaserPath: at.x1, providerId: PROVIDER.own },
    only(...PROVIDER_PEOPLE),
  ),
  ...staffRows("project.viewPrivate", (path) => ({ purchaserPath: path, providerId: PROVIDER.foreign })),
  row(
    "project.linkActivity",
    "own provider's project in X1",
    { purchaserPath: at.x1, providerId: PROVIDER.own },
    only(...PROVIDER_PEOPLE),
  ),
  ...staffRows("project.linkActivity", (path) => ({ purchaserPath: path, providerId: PROVIDER.foreign })),
  row(
    "project.declare",
    "own provider's project in X1",
    { purchaserPath: at.x1, providerId: PROVIDER.own },
    only(...PROVIDER_PEOPLE),
  ),
  ...staffRows("project.declare", (path) => ({ purchaserPath: path, providerId: PROVIDER.foreign })),
  // The district's default evaluation indicators: its district admins alone.
  row(
    "project.keepIndicators",
    "own district",
    { districtId: at.district.districtId },
    only("DISTRICT_ADMIN"),
  ),
  row("project.keepIndicators", "another district", { districtId: at.x1.districtId }, nobody),
  // Venues (issue 19): a community's venue is worked by its staff in scope; a subdistrict's own venue
  // by the subdistrict's and the district's admins, never a community worker under it.
  ...(["venue.manage", "booking.enterOnBehalf", "booking.review"] as const).flatMap((action) => [
    row(action, "own community A1", at.a1, only(...STAFF)),
    row(action, "other community A2, same subdistrict", at.a2, only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN")),
    row(action, "subdistrict A's own venue", at.sdA, only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN")),
    row(action, "subdistrict B's own venue", at.sdB, only("DISTRICT_ADMIN")),
    row(action, "community X1 in another district", at.x1, nobody),
  ]),
  ...(["booking.cancel", "booking.viewContact"] as const).flatMap((action) => [
    row(action, "own booking in X1", { bookerId: requester.own, venuePath: at.x1 }, only("RESIDENT")),
    row(action, "someone's booking in A1", { bookerId: requester.foreign, venuePath: at.a1 }, only(...STAFF)),
    row(
      action,
      "someone's booking at subdistrict A's venue",
      { bookerId: requester.foreign, venuePath: at.sdA },
      only("SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"),
    ),
    // A 代订 has no booker: an actor is never taken for it.
    row(action, "a 代订 in B1", { bookerId: null, venuePath: at.b1 }, only("DISTRICT_ADMIN")),
    row(action, "someone's booking in X1", { bookerId: requester.foreign, venuePath: at.x1 }, nobody),
  ]),
  // 社区服务电话 and password reset codes (ADR 0028): staff whose scope covers the community, never a
  // resident (not even of that community) nor a provider's people.
  ...staffRows("community.editServicePhone", (path) => path),
  ...staffRows("account.issueResetCode", (path) => ({ residentPath: path })),
];

describe("can(): role × action × scope", () => {
  it("covers every action of the policy", () => {
    const covered = new Set(MATRIX.map((c) => c.action));
    expect([...covered].sort()).toEqual(Object.keys(ALL_ACTIONS).sort());
  });

  const cases = MATRIX.flatMap((c) => WHO.map((role) => ({ ...c, role, allowed: c.expected[role] })));
  it.each(cases)("$action, $where: $role → $allowed", ({ check, role, allowed }) => {
    expect(check(ACTORS[role])).toBe(allowed);
  });

  it.each(MATRIX)("$action, $where: nobody without an actor", ({ check }) => {
    expect(check(null)).toBe(false);
  });

  it.each(MATRIX.filter((c) => !ANYONE_SIGNED_IN.includes(c.action)))(
    "$action, $where: a signed-in user without roles may not",
    ({ check }) => {
      expect(check(actorWith())).toBe(false);
    },
  );

  it("anyone signed in may apply to onboard a provider, even without any role", () => {
    expect(can(actorWith(), "provider.apply", null)).toBe(true);
  });

  it("a provider's member is not its owner, and membership of one provider reaches no other", () => {
    const both = {
      ...ACTORS.DISTRICT_ADMIN,
      memberships: [
        { providerId: PROVIDER.own, role: "MEMBER" as const, providerStatus: "APPROVED" as const },
        { providerId: PROVIDER.foreign, role: "OWNER" as const, providerStatus: "APPROVED" as const },
      ],
    };
    expect(can(both, "provider.edit", { providerId: PROVIDER.own })).toBe(false);
    expect(can(both, "provider.edit", { providerId: PROVIDER.foreign })).toBe(true);
    expect(can(ACTORS.OWNER, "service.manage", { providerId: "p-third" })).toBe(false);
  });

  it("a staff member who belongs to a project's provider neither evaluates nor manages it", () => {
    const workerAndMember: Actor = {
      ...ACTORS.COMMUNITY_WORKER,
      memberships: [{ providerId: PROVIDER.own, role: "MEMBER", providerStatus: "SUSPENDED" }],
    };
    const project = { purchaserPath: at.a1, providerId: PROVIDER.own };
    expect(can(workerAndMember, "project.evaluate", project)).toBe(false);
    // Targets and budget are what the provider is measured by: not set by its own people, even
    // while it is suspended; another provider's project, or a purchaser to pick, stays theirs.
    expect(can(workerAndMember, "project.manage", project)).toBe(false);
    expect(can(workerAndMember, "project.manage", { ...project, providerId: PROVIDER.foreign })).toBe(true);
    expect(can(workerAndMember, "project.manage", { ...project, providerId: null })).toBe(true);
    expect(can(ACTORS.COMMUNITY_WORKER, "project.evaluate", project)).toBe(true);
    expect(can(ACTORS.COMMUNITY_WORKER, "project.manage", project)).toBe(true);
  });

  it("a suspended provider's people read their project but no longer link activities or declare", () => {
    const owner: Actor = {
      ...ACTORS.OWNER,
      memberships: [{ providerId: PROVIDER.own, role: "OWNER", providerStatus: "SUSPENDED" }],
    };
    const project = { purchaserPath: at.x1, providerId: PROVIDER.own };
    expect(can(owner, "project.viewPrivate", project)).toBe(true);
    expect(can(owner, "project.linkActivity", project)).toBe(false);
    expect(can(owner, "project.declare", project)).toBe(false);
  });

  it("the person who proposed a match never decides it, even when they belong to both sides", () => {
    const staffAndOwner: Actor = {
      ...ACTORS.COMMUNITY_WORKER,
      memberships: [{ providerId: PROVIDER.own, role: "OWNER", providerStatus: "APPROVED" }],
    };
    const proposal = { communityPath: at.a1, providerId: PROVIDER.own, proposedBy: "STAFF" as const };
    expect(can(staffAndOwner, "match.decide", { ...proposal, proposedById: staffAndOwner.userId })).toBe(
      false,
    );
    expect(can(staffAndOwner, "match.decide", { ...proposal, proposedById: "user-other-worker" })).toBe(true);
    expect(can(ACTORS.MEMBER, "match.decide", { ...proposal, proposedById: staffAndOwner.userId })).toBe(
      true,
    );
  });

  it("the people of a provider that is not approved see and edit its record, and do nothing else", () => {
    for (const providerStatus of ["PENDING", "REJECTED", "SUSPENDED"] as const) {
      const owner: Actor = {
        ...ACTORS.OWNER,
        memberships: [{ providerId: PROVIDER.own, role: "OWNER", providerStatus }],
      };
      const own = { providerId: PROVIDER.own };
      const need = { communityPath: at.x1, providerId: PROVIDER.own };
      expect(can(owner, "provider.viewPrivate", { ...own, paths: [at.x1] })).toBe(true);
      expect(can(owner, "provider.edit", own)).toBe(true);
      expect(can(owner, "provider.leave", own)).toBe(true);
      expect(can(owner, "provider.invite", own)).toBe(false);
      expect(can(owner, "provider.coOrganise", own)).toBe(false);
      expect(can(owner, "match.suggestForProvider", { ...own, paths: [at.x1] })).toBe(false);
      expect(can(owner, "match.propose", { ...need, side: "PROVIDER" })).toBe(false);
      expect(
        can(owner, "match.decide", { ...need, proposedBy: "STAFF", proposedById: "user-proposer" }),
      ).toBe(false);
      expect(can(owner, "match.withdraw", { ...need, proposedBy: "PROVIDER" })).toBe(false);
      expect(can(owner, "match.view", { ...need, requesterId: requester.foreign })).toBe(false);
      expect(can(owner, "match.readNote", need)).toBe(false);
      expect(
        can(owner, "need.viewContact", {
          requesterId: requester.foreign,
          communityPath: at.x1,
          matchedProviderIds: [PROVIDER.own],
        }),
      ).toBe(false);
      expect(can(owner, "search.needs", null)).toBe(false);
      expect(can(owner, "activity.create", need)).toBe(false);
      expect(can(owner, "activity.manage", need)).toBe(false);
    }
  });

  it("a grant held in another district reaches nothing in district D", () => {
    const foreignAdmin = actorWith({ role: "DISTRICT_ADMIN", scopeId: ID.otherDistrict });
    expect(can(foreignAdmin, "territory.manageSubdistricts", at.district)).toBe(false);
    expect(can(foreignAdmin, "territory.view", at.a1)).toBe(false);
    expect(can(foreignAdmin, "staff.create", { role: "COMMUNITY_WORKER", at: at.a1 })).toBe(false);
    // …while it does reach its own district.
    expect(can(foreignAdmin, "territory.manageCommunities", at.sdX)).toBe(true);
  });

  it("a resident who is also a worker gets the worker's rights only where the worker role is held", () => {
    const both = actorWith(
      { role: "RESIDENT", scopeId: ID.b1 },
      { role: "COMMUNITY_WORKER", scopeId: ID.a1 },
    );
    expect(can(both, "workbench.open", null)).toBe(true);
    expect(can(both, "territory.view", at.a1)).toBe(true);
    expect(can(both, "territory.view", at.b1)).toBe(false);
  });

  it("a role's scope id is matched against its own level of the path only", () => {
    // A subdistrict admin whose scope id happens to equal a community id does not reach that community.
    const confused = actorWith({ role: "SUBDISTRICT_ADMIN", scopeId: ID.a1 });
    expect(can(confused, "territory.view", at.a1)).toBe(false);
    expect(grantCovers({ role: "COMMUNITY_WORKER", scopeType: "COMMUNITY", scopeId: ID.sdA }, at.sdA)).toBe(
      false,
    );
    expect(grantCovers({ role: "RESIDENT", scopeType: "COMMUNITY", scopeId: ID.a1 }, at.a1)).toBe(false);
  });
});

describe("authorize()", () => {
  function thrownBy(work: () => void): unknown {
    try {
      work();
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it("throws UNAUTHENTICATED without an actor", () => {
    const error = thrownBy(() => authorize(null, "workbench.open", null));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("throws UNAUTHENTICATED without an actor even where any staff member would be allowed", () => {
    const error = thrownBy(() => authorize(null, "staff.create", { role: "COMMUNITY_WORKER", at: at.a1 }));
    expect(error).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it.each([
    ["a resident opening the workbench", () => authorize(ACTORS.RESIDENT, "workbench.open", null)],
    [
      "a subdistrict admin creating a worker in the other subdistrict",
      () => authorize(ACTORS.SUBDISTRICT_ADMIN, "staff.create", { role: "COMMUNITY_WORKER", at: at.b1 }),
    ],
    [
      "a subdistrict admin creating a subdistrict admin",
      () => authorize(ACTORS.SUBDISTRICT_ADMIN, "staff.create", { role: "SUBDISTRICT_ADMIN", at: at.sdA }),
    ],
    [
      "a worker managing its own community",
      () => authorize(ACTORS.COMMUNITY_WORKER, "territory.manageCommunities", at.a1),
    ],
    [
      "a district admin renaming a subdistrict of another district",
      () => authorize(ACTORS.DISTRICT_ADMIN, "territory.manageSubdistricts", at.sdX),
    ],
    [
      "a worker reviewing a provider that serves only another subdistrict",
      () =>
        authorize(ACTORS.COMMUNITY_WORKER, "provider.review", { paths: [at.b1], conflictOfInterest: false }),
    ],
    [
      "a worker suspending a provider in its own community",
      () => authorize(ACTORS.COMMUNITY_WORKER, "provider.suspend", { paths: [at.a1] }),
    ],
    [
      "a member editing its provider's profile",
      () => authorize(ACTORS.MEMBER, "provider.edit", { providerId: PROVIDER.own }),
    ],
  ])("throws FORBIDDEN for %s", (_label, work) => {
    const error = thrownBy(work);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "FORBIDDEN" });
  });

  it("returns quietly when the policy allows", () => {
    expect(
      thrownBy(() => authorize(ACTORS.DISTRICT_ADMIN, "territory.manageSubdistricts", at.district)),
    ).toBe(undefined);
    expect(
      thrownBy(() =>
        authorize(ACTORS.SUBDISTRICT_ADMIN, "staff.create", { role: "COMMUNITY_WORKER", at: at.a2 }),
      ),
    ).toBe(undefined);
  });
});

describe("coveredScope()", () => {
  it("lists the scope ids of each staff role and ignores resident grants", () => {
    const actor = actorWith(
      { role: "RESIDENT", scopeId: ID.b1 },
      { role: "COMMUNITY_WORKER", scopeId: ID.a1 },
      { role: "SUBDISTRICT_ADMIN", scopeId: ID.sdB },
      { role: "DISTRICT_ADMIN", scopeId: ID.otherDistrict },
    );
    expect(coveredScope(actor)).toEqual({
      districtIds: [ID.otherDistrict],
      subdistrictIds: [ID.sdB],
      communityIds: [ID.a1],
    });
    expect(coveredScope(ACTORS.RESIDENT)).toEqual({ districtIds: [], subdistrictIds: [], communityIds: [] });
  });
});
