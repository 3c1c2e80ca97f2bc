import type { MatchSide, Role } from "@prisma/client";
import { forbidden, unauthenticated } from "~/lib/errors";
import type { Actor, RoleGrant } from "./accounts/actor";

// The one place that says who may do what where. Domain functions load the resource's place in the
// territory tree and ask `authorize`; list queries are narrowed with `reachableTerritory`
// (territory/territory.server.ts), which resolves `coveredScope` below into the tree's ids.

/** Where a thing sits in the territory tree (a community has all three ids, a subdistrict two). */
export type TerritoryPath = { districtId: string; subdistrictId?: string; communityId?: string };

type Resources = {
  "workbench.open": null;
  "territory.view": TerritoryPath;
  "territory.manageSubdistricts": { districtId: string };
  "territory.manageCommunities": TerritoryPath;
  "staff.list": TerritoryPath;
  /** Keep a community's public service phone (社区服务电话) up to date: staff whose scope covers it. */
  "community.editServicePhone": TerritoryPath;
  /** Issue a one-time password reset code to a resident verified in person (ADR 0028): staff whose
   * scope covers the resident's community. (The domain never lets it reach a staff account.) */
  "account.issueResetCode": { residentPath: TerritoryPath };
  "staff.create": { role: Role; at: TerritoryPath };
  /** Take a staff role away (someone leaves the job): whoever could have given it. */
  "staff.remove": { role: Role; at: TerritoryPath };
  /** Any signed-in person may apply to onboard a provider (入驻). */
  "provider.apply": null;
  /** Review (approve / reject) an application: staff whose scope covers one of its communities. A
   * member of the provider has a conflict of interest: only an admin (subdistrict or district) may
   * then act, and the audit entry says so (ADR 0017); `conflictOfInterest` is whether the actor is a
   * member. */
  "provider.review": { paths: TerritoryPath[]; conflictOfInterest: boolean };
  /** Suspend or restore an approved provider: admins whose scope covers one of its communities, even
   * when they are its members (the audit entry then records the conflict), so that no provider can
   * make itself unsuspendable. */
  "provider.suspend": { paths: TerritoryPath[] };
  /** Review an approved provider's change of name, USCC, kind or area: staff whose scope covers every
   * community it adds, or (adding none) one of its communities; the conflict rule of review applies. */
  "provider.reviewChange": {
    paths: TerritoryPath[];
    addedPaths: TerritoryPath[];
    conflictOfInterest: boolean;
  };
  /** See a provider whatever its status, with contact details: its members and staff in scope. */
  "provider.viewPrivate": { providerId: string; paths: TerritoryPath[] };
  /** Edit the profile, re-apply after a rejection, remove members: the owner. */
  "provider.edit": { providerId: string };
  /** Invite people to join: an owner of an approved provider (ADR 0017). */
  "provider.invite": { providerId: string };
  /** Leave a provider: any member; the domain keeps at least one owner. */
  "provider.leave": { providerId: string };
  /** Accept or decline a co-organiser invitation for an activity: an owner of the invited provider,
   * which must be approved. */
  "provider.coOrganise": { providerId: string };
  /** Create, edit, publish and archive the provider's services: its owner and members. */
  "service.manage": { providerId: string };
  /** Archive a service: its provider's people, or staff whose scope covers one of its communities. */
  "service.archive": { providerId: string; paths: TerritoryPath[] };
  /** Post a need for oneself: a resident of that community. */
  "need.post": { communityPath: TerritoryPath };
  /** Post a need on a resident's behalf (代办): staff whose scope covers the community. */
  "need.postOnBehalf": { communityPath: TerritoryPath };
  /** See a need's contact details (unmasked phone): the requester, staff in scope and the members of
   * a provider whose match for it was accepted. */
  "need.viewContact": { requesterId: string; communityPath: TerritoryPath; matchedProviderIds: string[] };
  /** Cancel a need: the requester. */
  "need.cancel": { requesterId: string };
  /** Close a need with a reason: staff in scope. */
  "need.close": { communityPath: TerritoryPath };
  /** Confirm fulfilment (and rate it): the requester or staff in scope. */
  "need.fulfil": { requesterId: string; communityPath: TerritoryPath };
  /** Open the triage list (narrowed to the actor's reach): staff. */
  "need.triage": null;
  /** Suggested services for a need: its requester and staff in scope. */
  "match.suggestForNeed": { requesterId: string; communityPath: TerritoryPath };
  /** Suggested needs for a service or provider: its people, and staff whose scope covers one of its
   * communities. */
  "match.suggestForProvider": { providerId: string; paths: TerritoryPath[] };
  /** Propose a service for a need: staff in scope of the need, or the service's provider (an offer). */
  "match.propose": { communityPath: TerritoryPath; providerId: string; side: MatchSide };
  /** Accept or decline a proposal: the side that did not propose it (ADR 0009), and never the person
   * who proposed it, even when they belong to both sides (ADR 0017). */
  "match.decide": {
    communityPath: TerritoryPath;
    providerId: string;
    proposedBy: MatchSide;
    proposedById: string;
  };
  /** Withdraw a proposal: the side that made it. */
  "match.withdraw": { communityPath: TerritoryPath; providerId: string; proposedBy: MatchSide };
  /** See a match: both sides and the requester. */
  "match.view": { communityPath: TerritoryPath; providerId: string; requesterId: string };
  /** A match's note: staff's words to the provider about the person (her age, that she lives alone),
   * never shown to the resident herself. */
  "match.readNote": { communityPath: TerritoryPath; providerId: string };
  /** Search needs (never their personal data): staff, and people acting for a provider. */
  "search.needs": null;
  /** The outbox's dead rows and the queues: district admins. */
  "operations.view": null;
  /** A subdistrict's or community's statistics, and any territory's underlying lists: staff whose
   * scope covers it. (The district's figures are public: the statistics domain asks nobody.) */
  "stats.view": TerritoryPath;
  /** Create an activity in a community: staff in scope, or a member of a provider (which must be
   * approved and serve the community: checked by the domain) organising it. */
  "activity.create": { communityPath: TerritoryPath; providerId: string | null };
  /** Edit, publish, cancel, see the registrations, run the check-in desk: staff in scope of the
   * activity's community and the members of its organising provider. */
  "activity.manage": { communityPath: TerritoryPath; providerId: string | null };
  /** The registration list with full phone numbers (报名名单), to call registrants about this activity,
   * and its download (audited): the activity's organisers, as for activity.manage (#15 item 11). */
  "activity.registrants": { communityPath: TerritoryPath; providerId: string | null };
  /** Register a resident on their behalf (代办): staff in scope of the activity's community. */
  "activity.registerOnBehalf": { communityPath: TerritoryPath };
  /** Correct a finished activity's attendance once the organiser's window has passed: an admin above
   * the community (subdistrict or district), never its workers or the organising provider. */
  "activity.correctAttendance": { communityPath: TerritoryPath };
  /** Create a government-purchased project (ADR 0026), edit it while it runs, end it early: staff
   * whose scope covers the purchaser (a district, subdistrict or community), never a member of the
   * provider it buys from (nobody sets the targets or budget their own organisation is measured
   * by). `providerId` null: no provider chosen yet (the 新建 form's purchaser picker). */
  "project.manage": { purchaserPath: TerritoryPath; providerId: string | null };
  /** Record a mid-term or final evaluation: staff in the purchaser's scope who are not members of the
   * provider evaluated (the provider cannot evaluate itself). Also what lets them see the 回访 sample
   * of check-ins with masked phones. */
  "project.evaluate": { purchaserPath: TerritoryPath; providerId: string };
  /** The 结项 report, declared figures and their attachments: staff in the purchaser's scope and the
   * provider's people. */
  "project.viewPrivate": { purchaserPath: TerritoryPath; providerId: string };
  /** Count an activity toward a project: the project's (approved) provider, or staff in the
   * purchaser's scope. */
  "project.linkActivity": { purchaserPath: TerritoryPath; providerId: string };
  /** Declare a figure the platform cannot count, with a note and evidence files: the provider's
   * (approved) people, or staff in the purchaser's scope (an outreach they ran together). */
  "project.declare": { purchaserPath: TerritoryPath; providerId: string };
  /** Keep the district's default evaluation indicator set: its district admins. */
  "project.keepIndicators": { districtId: string };
  /** Create and edit a venue (阵地) and close it for a time: staff whose scope covers its place (its
   * community, or its subdistrict for a subdistrict's venue). */
  "venue.manage": TerritoryPath;
  /** Enter a phone or paper-form booking (代订) for a group without an account: staff in scope. */
  "booking.enterOnBehalf": TerritoryPath;
  /** Work the venue's bookings: see them all, confirm or decline, record attendance: staff in scope. */
  "booking.review": TerritoryPath;
  /** Cancel a booking: its booker, or staff in scope. */
  "booking.cancel": { bookerId: string | null; venuePath: TerritoryPath };
  /** See a booking's contact phone unmasked: its booker and staff in scope. */
  "booking.viewContact": { bookerId: string | null; venuePath: TerritoryPath };
};
export type Action = keyof Resources;

/** Does this staff grant reach the given place? Residents' grants reach nothing administratively. */
export function grantCovers(grant: RoleGrant, path: TerritoryPath): boolean {
  switch (grant.role) {
    case "DISTRICT_ADMIN":
      return grant.scopeId === path.districtId;
    case "SUBDISTRICT_ADMIN":
      return grant.scopeId === path.subdistrictId;
    case "COMMUNITY_WORKER":
      return grant.scopeId === path.communityId;
    case "RESIDENT":
      return false;
  }
}

const holds = (actor: Actor, role: Role, path: TerritoryPath) =>
  actor.roles.some((grant) => grant.role === role && grantCovers(grant, path));

const isStaffAt = (actor: Actor, path: TerritoryPath) =>
  actor.roles.some((grant) => grantCovers(grant, path));
const isStaffAtAny = (actor: Actor, paths: TerritoryPath[]) => paths.some((path) => isStaffAt(actor, path));

/** District admins give and take the roles of subdistrict admins and community workers in their
 * district; subdistrict admins those of community workers in their subdistrict. */
function managesStaffRole(actor: Actor, { role, at }: { role: Role; at: TerritoryPath }) {
  if (role === "SUBDISTRICT_ADMIN") {
    // Held at a subdistrict: not at a community, and not at the district itself.
    return (
      at.subdistrictId !== undefined && at.communityId === undefined && holds(actor, "DISTRICT_ADMIN", at)
    );
  }
  if (role === "COMMUNITY_WORKER") {
    return (
      at.communityId !== undefined &&
      (holds(actor, "DISTRICT_ADMIN", at) || holds(actor, "SUBDISTRICT_ADMIN", at))
    );
  }
  return false;
}
const isAdminAtAny = (actor: Actor, paths: TerritoryPath[]) =>
  paths.some((path) => holds(actor, "DISTRICT_ADMIN", path) || holds(actor, "SUBDISTRICT_ADMIN", path));
/** A resident's own community (RESIDENT grants cover nothing administratively, see grantCovers). */
const residentOf = (actor: Actor, path: TerritoryPath) =>
  actor.roles.some((grant) => grant.role === "RESIDENT" && grant.scopeId === path.communityId);
const memberRole = (actor: Actor, providerId: string) =>
  actor.memberships.find((membership) => membership.providerId === providerId)?.role;
/** Acting for a provider towards residents, needs, matches and activities: only while it is approved
 * (a pending, rejected or suspended provider's people may still see and edit its own record). */
export const actsFor = (actor: Actor, providerId: string) =>
  actor.memberships.some((m) => m.providerId === providerId && m.providerStatus === "APPROVED");
/** A member who is also staff may decide about their own provider only from an admin's scope. */
const decidesDespiteConflict = (actor: Actor, paths: TerritoryPath[], conflictOfInterest: boolean) =>
  conflictOfInterest ? isAdminAtAny(actor, paths) : isStaffAtAny(actor, paths);

const rules: { [A in Action]: (actor: Actor, resource: Resources[A]) => boolean } = {
  "workbench.open": (actor) => actor.roles.some((grant) => grant.role !== "RESIDENT"),
  "territory.manageSubdistricts": (actor, { districtId }) => holds(actor, "DISTRICT_ADMIN", { districtId }),
  "territory.manageCommunities": (actor, path) =>
    holds(actor, "DISTRICT_ADMIN", path) ||
    (path.subdistrictId !== undefined && holds(actor, "SUBDISTRICT_ADMIN", path)),
  "territory.view": isStaffAt,
  "staff.list": isStaffAt,
  "community.editServicePhone": isStaffAt,
  "account.issueResetCode": (actor, { residentPath }) => isStaffAt(actor, residentPath),
  "staff.create": managesStaffRole,
  "staff.remove": managesStaffRole,
  "provider.apply": () => true,
  "provider.review": (actor, { paths, conflictOfInterest }) =>
    decidesDespiteConflict(actor, paths, conflictOfInterest),
  "provider.suspend": (actor, { paths }) => isAdminAtAny(actor, paths),
  "provider.reviewChange": (actor, { paths, addedPaths, conflictOfInterest }) =>
    addedPaths.length > 0
      ? addedPaths.every((path) => decidesDespiteConflict(actor, [path], conflictOfInterest))
      : decidesDespiteConflict(actor, paths, conflictOfInterest),
  "provider.viewPrivate": (actor, { providerId, paths }) =>
    memberRole(actor, providerId) !== undefined || isStaffAtAny(actor, paths),
  "provider.edit": (actor, { providerId }) => memberRole(actor, providerId) === "OWNER",
  "provider.invite": (actor, { providerId }) =>
    actsFor(actor, providerId) && memberRole(actor, providerId) === "OWNER",
  "provider.leave": (actor, { providerId }) => memberRole(actor, providerId) !== undefined,
  "provider.coOrganise": (actor, { providerId }) =>
    actsFor(actor, providerId) && memberRole(actor, providerId) === "OWNER",
  "service.manage": (actor, { providerId }) => memberRole(actor, providerId) !== undefined,
  "service.archive": (actor, { providerId, paths }) =>
    memberRole(actor, providerId) !== undefined || isStaffAtAny(actor, paths),
  "need.post": (actor, { communityPath }) => residentOf(actor, communityPath),
  "need.postOnBehalf": (actor, { communityPath }) => isStaffAt(actor, communityPath),
  "need.viewContact": (actor, { requesterId, communityPath, matchedProviderIds }) =>
    actor.userId === requesterId ||
    isStaffAt(actor, communityPath) ||
    matchedProviderIds.some((providerId) => actsFor(actor, providerId)),
  "need.cancel": (actor, { requesterId }) => actor.userId === requesterId,
  "need.close": (actor, { communityPath }) => isStaffAt(actor, communityPath),
  "need.fulfil": (actor, { requesterId, communityPath }) =>
    actor.userId === requesterId || isStaffAt(actor, communityPath),
  "need.triage": (actor) => actor.roles.some((grant) => grant.role !== "RESIDENT"),
  "match.suggestForNeed": (actor, { requesterId, communityPath }) =>
    actor.userId === requesterId || isStaffAt(actor, communityPath),
  "match.suggestForProvider": (actor, { providerId, paths }) =>
    actsFor(actor, providerId) || isStaffAtAny(actor, paths),
  "match.propose": (actor, { communityPath, providerId, side }) =>
    side === "STAFF" ? isStaffAt(actor, communityPath) : actsFor(actor, providerId),
  "match.decide": (actor, { communityPath, providerId, proposedBy, proposedById }) =>
    actor.userId !== proposedById &&
    (proposedBy === "STAFF" ? actsFor(actor, providerId) : isStaffAt(actor, communityPath)),
  "match.withdraw": (actor, { communityPath, providerId, proposedBy }) =>
    proposedBy === "STAFF" ? isStaffAt(actor, communityPath) : actsFor(actor, providerId),
  "match.view": (actor, { communityPath, providerId, requesterId }) =>
    actor.userId === requesterId || isStaffAt(actor, communityPath) || actsFor(actor, providerId),
  "match.readNote": (actor, { communityPath, providerId }) =>
    isStaffAt(actor, communityPath) || actsFor(actor, providerId),
  "search.needs": (actor) =>
    actor.roles.some((grant) => grant.role !== "RESIDENT") ||
    actor.memberships.some((m) => m.providerStatus === "APPROVED"),
  "operations.view": (actor) => actor.roles.some((grant) => grant.role === "DISTRICT_ADMIN"),
  "stats.view": isStaffAt,
  "activity.create": (actor, { communityPath, providerId }) =>
    isStaffAt(actor, communityPath) || (providerId !== null && actsFor(actor, providerId)),
  "activity.manage": (actor, { communityPath, providerId }) =>
    isStaffAt(actor, communityPath) || (providerId !== null && actsFor(actor, providerId)),
  "activity.registrants": (actor, { communityPath, providerId }) =>
    isStaffAt(actor, communityPath) || (providerId !== null && actsFor(actor, providerId)),
  "activity.registerOnBehalf": (actor, { communityPath }) => isStaffAt(actor, communityPath),
  "activity.correctAttendance": (actor, { communityPath }) => isAdminAtAny(actor, [communityPath]),
  "project.manage": (actor, { purchaserPath, providerId }) =>
    isStaffAt(actor, purchaserPath) && (providerId === null || memberRole(actor, providerId) === undefined),
  "project.evaluate": (actor, { purchaserPath, providerId }) =>
    isStaffAt(actor, purchaserPath) && memberRole(actor, providerId) === undefined,
  "project.viewPrivate": (actor, { purchaserPath, providerId }) =>
    isStaffAt(actor, purchaserPath) || memberRole(actor, providerId) !== undefined,
  "project.linkActivity": (actor, { purchaserPath, providerId }) =>
    isStaffAt(actor, purchaserPath) || actsFor(actor, providerId),
  "project.declare": (actor, { purchaserPath, providerId }) =>
    isStaffAt(actor, purchaserPath) || actsFor(actor, providerId),
  "project.keepIndicators": (actor, { districtId }) => holds(actor, "DISTRICT_ADMIN", { districtId }),
  "venue.manage": isStaffAt,
  "booking.enterOnBehalf": isStaffAt,
  "booking.review": isStaffAt,
  "booking.cancel": (actor, { bookerId, venuePath }) =>
    (bookerId !== null && actor.userId === bookerId) || isStaffAt(actor, venuePath),
  "booking.viewContact": (actor, { bookerId, venuePath }) =>
    (bookerId !== null && actor.userId === bookerId) || isStaffAt(actor, venuePath),
};

export function can<A extends Action>(actor: Actor | null, action: A, resource: Resources[A]): boolean {
  return actor !== null && rules[action](actor, resource);
}

/** Throws UNAUTHENTICATED without an actor and FORBIDDEN when the policy says no. */
export function authorize<A extends Action>(
  actor: Actor | null,
  action: A,
  resource: Resources[A],
): asserts actor is Actor {
  if (actor === null) throw unauthenticated();
  if (!rules[action](actor, resource)) throw forbidden();
}

/** The territory nodes an actor's staff roles reach, for narrowing list queries. */
export function coveredScope(actor: Actor) {
  const ids = (role: Role) =>
    actor.roles.filter((grant) => grant.role === role).map((grant) => grant.scopeId);
  return {
    districtIds: ids("DISTRICT_ADMIN"),
    subdistrictIds: ids("SUBDISTRICT_ADMIN"),
    communityIds: ids("COMMUNITY_WORKER"),
  };
}
