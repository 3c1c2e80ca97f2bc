import { db } from "~/lib/db.server";
import { can, type TerritoryPath } from "../policy";
import { findCommunityPath } from "../territory/territory.server";
import { type Actor, residentCommunities } from "./actor";
import { LIMITS, spendAttempt } from "./throttle.server";

// The one rule of 代办 (a staff member acting for a person found by phone: 代办需求 and 代办报名,
// ADR 0018, 0028). A phone number never tells the desk whose it is: a resident of the staff member's
// scope is theirs to serve, and every other number, whether nobody holds it or someone outside the
// scope does, gets one and the same answer, first asking for the person's name and then going ahead
// with it either way. Afterwards both are known to the scope alike, under the name the desk typed.

/** The field error for a number that is no resident of the scope, without the name that lets the
 * desk go on: the same for a number nobody holds and one held outside the scope. */
export const NO_RESIDENT_IN_SCOPE = "您的辖区内没有使用该手机号的居民；新居民请同时填写姓名，将为其开通账号";

export type OnBehalfAction = "need.postOnBehalf" | "activity.registerOnBehalf";

type Home = Required<TerritoryPath>;

/** Who holds the number, as far as the desk may know:
 * - `self`: the staff member's own number;
 * - `resident`: someone the scope knows, with the communities of the scope they are known in: a
 *   resident of it, or a holder from outside it whom a desk of the scope served before under a name
 *   it typed (`nameGiven`, which `name` then is: their account's name is none of the desk's business,
 *   and whatever is written for them must keep showing the typed name instead);
 * - `outside`: a number nobody holds (`userId` null) or one held outside the scope (`userId` set).
 *   Callers answer those two alike and never show anything of the account. */
export type OnBehalfHolder =
  | { kind: "self" }
  | { kind: "resident"; userId: string; name: string; nameGiven: string | null; homes: [Home, ...Home[]] }
  | { kind: "outside"; userId: string | null };

/** Looks the number up for a 代办, counting the lookup against the staff account's limit (60 an
 * hour) first, so that nobody sweeps numbers whatever the answers say. */
export async function findOnBehalfHolder(
  actor: Actor,
  phone: string,
  action: OnBehalfAction,
): Promise<OnBehalfHolder> {
  await spendAttempt(LIMITS.onBehalfPerStaff, actor.userId);
  const user = await db().user.findUnique({
    where: { phone },
    select: { id: true, name: true, roles: { select: { role: true, scopeId: true } } },
  });
  if (user?.id === actor.userId) return { kind: "self" };
  const inScope = (path: Home) => can(actor, action, { communityPath: path });
  const [home, ...more] = (await pathsOf(residentCommunities(user?.roles ?? []))).filter(inScope);
  if (user && home) {
    return { kind: "resident", userId: user.id, name: user.name, nameGiven: null, homes: [home, ...more] };
  }
  // Read for a number nobody holds too (matching nothing), so the time taken does not tell it from
  // one held elsewhere.
  const [latest, ...earlier] = await servedInScope(user?.id ?? "", inScope);
  if (!user || !latest) return { kind: "outside", userId: user?.id ?? null };
  const homes: [Home, ...Home[]] = [latest.path, ...earlier.map((record) => record.path)];
  return { kind: "resident", userId: user.id, name: latest.name, nameGiven: latest.name, homes };
}

async function pathsOf(communityIds: string[]) {
  return (await Promise.all(communityIds.map(findCommunityPath))).filter((path) => path !== null);
}

/** How many of a holder's earlier 代办 records are read: the latest few tell the name and places. */
const SERVED_RECORDS = 20;

/** The needs filed and the places taken for a holder from outside the scope under a name a desk
 * typed (`requesterNameGiven`, `nameGiven`), in communities of the scope, latest first: where and as
 * whom the scope served them. A number nobody held is known to the scope once a desk opened its
 * account there; these make a number held elsewhere known the same way, so that a second 代办
 * cannot tell the two apart either. */
async function servedInScope(userId: string, inScope: (path: Home) => boolean) {
  const [needs, registrations] = await Promise.all([
    db().need.findMany({
      where: { requesterId: userId, requesterNameGiven: { not: null } },
      select: { requesterNameGiven: true, communityId: true, createdAt: true },
      orderBy: { createdAt: "desc" },
      take: SERVED_RECORDS,
    }),
    db().registration.findMany({
      where: { userId, nameGiven: { not: null } },
      select: { nameGiven: true, createdAt: true, activity: { select: { communityId: true } } },
      orderBy: { createdAt: "desc" },
      take: SERVED_RECORDS,
    }),
  ]);
  const records = [
    ...needs.map((need) => ({
      name: need.requesterNameGiven,
      communityId: need.communityId,
      at: need.createdAt,
    })),
    ...registrations.map((place) => ({
      name: place.nameGiven,
      communityId: place.activity.communityId,
      at: place.createdAt,
    })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime());
  const served: { name: string; path: Home }[] = [];
  for (const { name, communityId } of records) {
    const path = await findCommunityPath(communityId);
    if (name !== null && path !== null && inScope(path)) served.push({ name, path });
  }
  return served;
}
