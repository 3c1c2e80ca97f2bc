import type { Actor } from "../accounts/actor";
import { can, type TerritoryPath } from "../policy";
import type { TerritoryTree } from "../territory/territory.schema";
import { territoryNodes } from "../territory/tree";
import type { Stats, StatsScope } from "./stats.schema";

// The 统计 page's territories: what its picker offers a person, and the territory path of a figure
// or breadcrumb (for the drill-down links a person may follow). Free of server code: the page's
// browser side uses the paths too.

export type TerritoryOption = { scope: StatsScope; id: string; label: string };
export type TerritoryGroup = { label: string | null; options: TerritoryOption[] };

/** What the territory picker offers: every district (their figures are public), and the subdistricts
 * and communities whose figures the actor may read as staff, grouped by subdistrict. */
export function territoryChoices(tree: TerritoryTree, actor: Actor | null): TerritoryGroup[] {
  const districts: TerritoryGroup = { label: null, options: [] };
  const bySubdistrict: TerritoryGroup[] = [];
  for (const node of territoryNodes(tree)) {
    if (node.level === "district") {
      districts.options.push({ scope: "district", id: node.id, label: `${node.name}（全区）` });
      continue;
    }
    if (node.level === "subdistrict") bySubdistrict.push({ label: node.name, options: [] });
    const group = bySubdistrict.at(-1);
    if (!group || !can(actor, "stats.view", node.path)) continue;
    const label = node.level === "subdistrict" ? `${node.name}（全街道）` : node.name;
    group.options.push({ scope: node.level, id: node.id, label });
  }
  return [districts, ...bySubdistrict.filter((group) => group.options.length > 0)];
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
