import type { Actor } from "../accounts/actor";
import { can, type TerritoryPath } from "../policy";
import type { TerritoryTree } from "../territory/territory.schema";
import type { Stats, StatsScope } from "./stats.schema";

// The 统计 page's territories: what its picker offers a person, and the territory path of a figure
// or breadcrumb (for the drill-down links a person may follow). Free of server code: the page's
// browser side uses the paths too.

export type TerritoryOption = { scope: StatsScope; id: string; label: string };
export type TerritoryGroup = { label: string | null; options: TerritoryOption[] };

/** What the territory picker offers: every district (their figures are public), and the subdistricts
 * and communities whose figures the actor may read as staff, grouped by subdistrict. */
export function territoryChoices(tree: TerritoryTree, actor: Actor | null): TerritoryGroup[] {
  const groups: TerritoryGroup[] = [
    {
      label: null,
      options: tree.districts.map((d) => ({ scope: "district", id: d.id, label: `${d.name}（全区）` })),
    },
  ];
  for (const district of tree.districts) {
    for (const subdistrict of district.subdistricts) {
      const path = { districtId: district.id, subdistrictId: subdistrict.id };
      const options: TerritoryOption[] = [];
      if (can(actor, "stats.view", path)) {
        options.push({ scope: "subdistrict", id: subdistrict.id, label: `${subdistrict.name}（全街道）` });
      }
      for (const community of subdistrict.communities) {
        if (can(actor, "stats.view", { ...path, communityId: community.id })) {
          options.push({ scope: "community", id: community.id, label: community.name });
        }
      }
      if (options.length > 0) groups.push({ label: subdistrict.name, options });
    }
  }
  return groups;
}

/** The territory of the actor's first staff role the picker offers; "" (the district) for others. */
export function ownTerritory(groups: TerritoryGroup[], actor: Actor | null): string {
  const offered = new Set(groups.slice(1).flatMap((group) => group.options.map((option) => option.id)));
  return actor?.roles.find((grant) => grant.role !== "RESIDENT" && offered.has(grant.scopeId))?.scopeId ?? "";
}

/** The picker submits only the territory's id (a select has one value); its scope is looked up. */
export function scopeOfId(groups: TerritoryGroup[], id: string): StatsScope | undefined {
  for (const group of groups) {
    const found = group.options.find((option) => option.id === id);
    if (found) return found.scope;
  }
  return undefined;
}

/** The territory path of a statistics result, from its breadcrumbs (district, subdistrict, community). */
export function pathOf(stats: Pick<Stats, "path">): TerritoryPath {
  const [district, subdistrict, community] = stats.path;
  return {
    districtId: district?.id ?? "",
    ...(subdistrict ? { subdistrictId: subdistrict.id } : {}),
    ...(community ? { communityId: community.id } : {}),
  };
}

/** The territory path of a breadcrumb or child row of a page whose own path is `page`. */
export function pathOfRef(ref: { scope: StatsScope; id: string }, page: TerritoryPath): TerritoryPath {
  if (ref.scope === "district") return { districtId: ref.id };
  if (ref.scope === "subdistrict") return { districtId: page.districtId, subdistrictId: ref.id };
  // A community is either the page itself or a child row of its subdistrict's page.
  return { districtId: page.districtId, subdistrictId: page.subdistrictId, communityId: ref.id };
}
