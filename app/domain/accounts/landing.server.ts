import { db } from "~/lib/db.server";
import { STAFF_ROLES } from "./actor";

// Where a person lands after signing in when no page asked for them (ADR 0030): staff on their
// workbench, a person who belongs to exactly one provider on its workspace, everyone else on the
// home page. A provider found through several memberships would be a guess, so they get the home
// page and its 我的机构 link.

export async function landingPathFor(userId: string): Promise<string> {
  const [staffGrants, memberships] = await Promise.all([
    db().roleAssignment.count({ where: { userId, role: { in: [...STAFF_ROLES] } } }),
    db().providerMember.findMany({ where: { userId }, select: { providerId: true }, take: 2 }),
  ]);
  if (staffGrants > 0) return "/workbench";
  const [only, other] = memberships;
  if (only && !other) return `/me/providers/${only.providerId}`;
  return "/";
}
