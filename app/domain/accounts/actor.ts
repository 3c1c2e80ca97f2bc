import type { ProviderMemberRole, ProviderStatus, Role, ScopeType } from "@prisma/client";

export type RoleGrant = { role: Role; scopeType: ScopeType; scopeId: string };
/** Membership of a provider (社会组织 / 特色商家): its owner or a member acting for it. The provider's
 * status decides whether the membership lets the person act for it (only an approved one, ADR 0017). */
export type Membership = { providerId: string; role: ProviderMemberRole; providerStatus: ProviderStatus };

/** Who is acting: the signed-in user with the roles they hold and the session they act through. */
export type Actor = {
  userId: string;
  sessionId: string;
  name: string;
  communityId: string | null;
  roles: RoleGrant[];
  memberships: Membership[];
  /** The version of the privacy notice the person agreed to, null if never (ADR 0013). */
  privacyNoticeVersion: string | null;
};

export const STAFF_ROLES: readonly Role[] = ["COMMUNITY_WORKER", "SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"];

export const isStaff = (actor: Pick<Actor, "roles"> | null | undefined) =>
  Boolean(actor?.roles.some((grant) => STAFF_ROLES.includes(grant.role)));

export const ROLE_LABELS: Record<Role, string> = {
  RESIDENT: "居民",
  COMMUNITY_WORKER: "社区工作者",
  SUBDISTRICT_ADMIN: "街道管理员",
  DISTRICT_ADMIN: "区管理员",
};

/** The scope type each role is held in. */
export const SCOPE_OF_ROLE: Record<Role, ScopeType> = {
  RESIDENT: "COMMUNITY",
  COMMUNITY_WORKER: "COMMUNITY",
  SUBDISTRICT_ADMIN: "SUBDISTRICT",
  DISTRICT_ADMIN: "DISTRICT",
};

/** The communities a person lives in, from their RESIDENT grants. */
export const residentCommunities = (roles: { role: string; scopeId: string }[]) =>
  roles.filter((grant) => grant.role === "RESIDENT").map((grant) => grant.scopeId);
