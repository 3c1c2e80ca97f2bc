import { forbidden } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { authorize, can, type TerritoryPath } from "../policy";
import type { TerritoryTree } from "../territory/territory.schema";
import { getTerritoryTree, reachableTerritory } from "../territory/territory.server";

// The community pickers of the need forms: posting (own community, or those of a 代办) and the staff
// triage list's filter.

/** The tree cut down to the communities that pass `keep`, for community pickers. */
function treeWhere(tree: TerritoryTree, keep: (path: Required<TerritoryPath>) => boolean): TerritoryTree {
  return {
    districts: tree.districts
      .map((district) => ({
        ...district,
        subdistricts: district.subdistricts
          .map((subdistrict) => ({
            ...subdistrict,
            communities: subdistrict.communities.filter((community) =>
              keep({ districtId: district.id, subdistrictId: subdistrict.id, communityId: community.id }),
            ),
          }))
          .filter((subdistrict) => subdistrict.communities.length > 0),
      }))
      .filter((district) => district.subdistricts.length > 0),
  };
}

const communitiesOf = (tree: TerritoryTree) =>
  tree.districts.flatMap((d) => d.subdistricts.flatMap((s) => s.communities));

/** What the "post a need" form offers this actor: their own community (residents) and the
 * communities they may post for on a resident's behalf (staff; the only one preselected). */
export async function needFormOptions(actor: Actor) {
  const tree = await getTerritoryTree();
  const [ownCommunity] = communitiesOf(
    treeWhere(
      tree,
      (path) => path.communityId === actor.communityId && can(actor, "need.post", { communityPath: path }),
    ),
  );
  const onBehalf = treeWhere(tree, (path) => can(actor, "need.postOnBehalf", { communityPath: path }));
  const behalfCommunities = communitiesOf(onBehalf);
  if (!ownCommunity && behalfCommunities.length === 0) {
    throw forbidden("只有居民和社区工作人员可以提交需求");
  }
  return {
    ownCommunity: ownCommunity ? { id: ownCommunity.id, name: ownCommunity.name } : null,
    onBehalf: behalfCommunities.length > 0 ? onBehalf : null,
    defaultBehalfCommunityId: behalfCommunities.length === 1 ? (behalfCommunities[0]?.id ?? "") : "",
  };
}

/** The communities of the triage list's filter: those in the actor's reach. */
export async function triageCommunities(actor: Actor) {
  authorize(actor, "need.triage", null);
  const [tree, reach] = await Promise.all([getTerritoryTree(), reachableTerritory(actor)]);
  return treeWhere(tree, (path) => reach.communityIds.includes(path.communityId));
}
