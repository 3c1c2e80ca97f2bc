import { type Actor, residentCommunities } from "../accounts/actor";
import type { TerritoryTree } from "./territory.schema";
import { findNode } from "./tree";

// Issue #15: a resident looking for 活动 or 需求 cares about her own community first, so the public
// lists start there for a signed-in resident, with one tap to widen to her subdistrict or the whole
// district. An address that names a place at all (even 全部, an empty value) is a choice and wins, so
// a shared link or a submitted filter form shows what it says. Free of server code: pages use it.

type Place = { id: string; name: string };
/** Where she lives: her community and its subdistrict. */
export type HomeArea = { community: Place; subdistrict: Place };
/** A place filter as the address carries it; "" means not narrowed at that level. */
export type PlaceChoice = { subdistrictId: string; communityId: string };

const PLACE_KEYS = ["subdistrictId", "communityId"] as const;

/** The community a person lives in (the one registered, else the first RESIDENT grant); null for
 * visitors and for staff who live in none. */
export function homeCommunityOf(actor: Pick<Actor, "communityId" | "roles"> | null): string | null {
  if (!actor) return null;
  const homes = residentCommunities(actor.roles);
  if (actor.communityId && homes.includes(actor.communityId)) return actor.communityId;
  return homes[0] ?? null;
}

/** Her community and subdistrict by name; null when she has none or the tree no longer has it. */
export function homeArea(tree: TerritoryTree, communityId: string | null): HomeArea | null {
  const community = communityId ? findNode(tree, communityId) : undefined;
  if (community?.level !== "community") return null;
  const subdistrict = findNode(tree, community.path.subdistrictId);
  if (!subdistrict) return null;
  return {
    community: { id: community.id, name: community.name },
    subdistrict: { id: subdistrict.id, name: subdistrict.name },
  };
}

/** The address with her community filled in when it names no place; otherwise unchanged. */
export function withHomeDefault(url: URL, home: HomeArea | null): { url: URL; defaulted: boolean } {
  if (!home || PLACE_KEYS.some((key) => url.searchParams.has(key))) return { url, defaulted: false };
  const adjusted = new URL(url);
  adjusted.searchParams.set("communityId", home.community.id);
  return { url: adjusted, defaulted: true };
}

export type AreaChoice = { label: string; params: Record<string, string>; current: boolean };

/** The three widenings offered to a resident, each with the address values that choose it and
 * whether it is the current choice. 全区 is an explicit empty community, so it is not defaulted. */
export function areaChoices(home: HomeArea, current: PlaceChoice): AreaChoice[] {
  return [
    {
      label: `本社区（${home.community.name}）`,
      params: { communityId: home.community.id },
      current: current.communityId === home.community.id && current.subdistrictId === "",
    },
    {
      label: `本街道（${home.subdistrict.name}）`,
      params: { subdistrictId: home.subdistrict.id },
      current: current.subdistrictId === home.subdistrict.id && current.communityId === "",
    },
    {
      label: "全区",
      params: { communityId: "" },
      current: current.subdistrictId === "" && current.communityId === "",
    },
  ];
}
