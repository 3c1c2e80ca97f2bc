import type { Role } from "@prisma/client";
import { forbidden, unauthenticated } from "~/lib/errors";
import type { Actor, RoleGrant } from "./accounts/actor";

// The one place that says who may do what where. Domain functions load the resource's place in the
// territory tree and ask `authorize`; queries are narrowed with `coveredScope`.

/** Where a thing sits in the territory tree (a community has all three ids, a subdistrict two). */
export type TerritoryPath = { districtId: string; subdistrictId?: string; communityId?: string };

type Resources = {
  "workbench.open": null;
  "territory.view": TerritoryPath;
  "territory.manageSubdistricts": { districtId: string };
  "territory.manageCommunities": TerritoryPath;
  "staff.list": TerritoryPath;
  "staff.create": { role: Role; at: TerritoryPath };
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

const rules: { [A in Action]: (actor: Actor, resource: Resources[A]) => boolean } = {
  "workbench.open": (actor) => actor.roles.some((grant) => grant.role !== "RESIDENT"),
  "territory.manageSubdistricts": (actor, { districtId }) => holds(actor, "DISTRICT_ADMIN", { districtId }),
  "territory.manageCommunities": (actor, path) =>
    holds(actor, "DISTRICT_ADMIN", path) ||
    (path.subdistrictId !== undefined && holds(actor, "SUBDISTRICT_ADMIN", path)),
  "territory.view": (actor, path) => actor.roles.some((grant) => grantCovers(grant, path)),
  "staff.list": (actor, path) => actor.roles.some((grant) => grantCovers(grant, path)),
  "staff.create": (actor, { role, at }) => {
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
  },
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
