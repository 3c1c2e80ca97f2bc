import type { TerritoryPath } from "../policy";
import type { TerritoryTree } from "./territory.schema";

// The one place that walks the territory tree (district → subdistricts → communities): a node's
// ancestors (its path, what the policy checks), the communities below some nodes, and whether one
// place lies within another. Free of server code, so pages and the domain share it; the tree itself
// comes from getTerritoryTree (kept in memory between changes).

export type TerritoryLevel = "district" | "subdistrict" | "community";
type Named = { id: string; name: string };
/** A node and its path; a community's path names all three levels. */
export type TerritoryNode =
  | (Named & { level: "district" | "subdistrict"; path: TerritoryPath })
  | (Named & { level: "community"; path: Required<TerritoryPath> });

/** Every node, top-down (a district, then each subdistrict followed by its communities). */
export function* territoryNodes(tree: TerritoryTree): Generator<TerritoryNode> {
  for (const district of tree.districts) {
    yield { level: "district", id: district.id, name: district.name, path: { districtId: district.id } };
    for (const subdistrict of district.subdistricts) {
      const path = { districtId: district.id, subdistrictId: subdistrict.id };
      yield { level: "subdistrict", id: subdistrict.id, name: subdistrict.name, path };
      for (const community of subdistrict.communities) {
        yield {
          level: "community",
          id: community.id,
          name: community.name,
          path: { ...path, communityId: community.id },
        };
      }
    }
  }
}

/** The node with this id, with its path (its ancestors and itself); undefined when there is none. */
export function findNode(tree: TerritoryTree, id: string): TerritoryNode | undefined {
  for (const node of territoryNodes(tree)) if (node.id === id) return node;
  return undefined;
}

/** Whether `path` lies at or below `scope` (a community within its subdistrict and district). */
export function isWithin(path: TerritoryPath, scope: TerritoryPath): boolean {
  if (path.districtId !== scope.districtId) return false;
  if (scope.subdistrictId !== undefined && path.subdistrictId !== scope.subdistrictId) return false;
  return scope.communityId === undefined || path.communityId === scope.communityId;
}

/** The nodes at or below any of the given ids, by level (unknown ids are left out). */
export function nodesUnder(tree: TerritoryTree, ids: readonly string[]) {
  const scopes = [...territoryNodes(tree)].filter((node) => ids.includes(node.id)).map((node) => node.path);
  const under: Record<`${TerritoryLevel}Ids`, string[]> = {
    districtIds: [],
    subdistrictIds: [],
    communityIds: [],
  };
  for (const node of territoryNodes(tree)) {
    if (!scopes.some((scope) => isWithin(node.path, scope))) continue;
    under[`${node.level}Ids`].push(node.id);
  }
  return under;
}

/** The path of a community read with its subdistrict's district id (communityPlaceSelect and the
 * like): what the policy checks a row against. */
export const communityPath = (community: {
  id: string;
  subdistrictId: string;
  subdistrict: { districtId: string };
}): Required<TerritoryPath> => ({
  districtId: community.subdistrict.districtId,
  subdistrictId: community.subdistrictId,
  communityId: community.id,
});

type District<S> = { id: string; name: string; subdistricts: readonly S[] };
type Subdistrict<C> = { id: string; name: string; communities: readonly C[] };

/** The subdistricts of a tree (or of the part of it an actor manages), then its communities, each
 * community knowing its subdistrict: what facet and filter lists are built from. */
export function placesOf<C extends Named, S extends Subdistrict<C>>(districts: readonly District<S>[]) {
  const subdistricts = districts.flatMap((district) => district.subdistricts);
  const communities = subdistricts.flatMap((subdistrict) =>
    subdistrict.communities.map((community) => ({ ...community, subdistrictId: subdistrict.id })),
  );
  return { subdistricts, communities };
}

/** A picker's communities under one heading per "district · subdistrict". */
export type CommunityGroup = { id: string; name: string; communities: { id: string; name: string }[] };

/** The communities for which `where` holds, as picker groups; empty groups are left out. */
export function communityGroups(
  tree: TerritoryTree,
  where: (community: TerritoryNode & { level: "community" }) => boolean = () => true,
): CommunityGroup[] {
  return treeWhere(tree, where).districts.flatMap((district) =>
    district.subdistricts.map((subdistrict) => ({
      id: subdistrict.id,
      name: `${district.name} · ${subdistrict.name}`,
      communities: subdistrict.communities.map(({ id, name }) => ({ id, name })),
    })),
  );
}

/** The tree cut down to the communities for which `where` holds (given each with its path), without
 * subdistricts and districts left empty. */
export function treeWhere(
  tree: TerritoryTree,
  where: (community: TerritoryNode & { level: "community" }) => boolean,
): TerritoryTree {
  const districts = tree.districts
    .map((district) => ({
      ...district,
      subdistricts: district.subdistricts
        .map((subdistrict) => ({
          ...subdistrict,
          communities: subdistrict.communities.filter((community) =>
            where({
              level: "community",
              id: community.id,
              name: community.name,
              path: { districtId: district.id, subdistrictId: subdistrict.id, communityId: community.id },
            }),
          ),
        }))
        .filter((subdistrict) => subdistrict.communities.length > 0),
    }))
    .filter((district) => district.subdistricts.length > 0);
  return { districts };
}
