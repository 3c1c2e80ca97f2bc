import { forbidden } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { authorize, can } from "../policy";
import type { TerritoryTree } from "../territory/territory.schema";
import { getTerritoryTree, reachableTerritory } from "../territory/territory.server";
import { placesOf, treeWhere } from "../territory/tree";

// The community pickers of the need forms: posting (own community, or those of a 代办) and the staff
// triage list's filter.

const communitiesOf = (tree: TerritoryTree) => placesOf(tree.districts).communities;

/** What the "post a need" form offers this actor: their own community (residents) and the
 * communities they may post for on a resident's behalf (staff; the only one preselected). */
export async function needFormOptions(actor: Actor) {
  const tree = await getTerritoryTree();
  const [ownCommunity] = communitiesOf(
    treeWhere(
      tree,
      ({ id, path }) => id === actor.communityId && can(actor, "need.post", { communityPath: path }),
    ),
  );
  const onBehalf = treeWhere(tree, ({ path }) => can(actor, "need.postOnBehalf", { communityPath: path }));
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
  return treeWhere(tree, ({ id }) => reach.communityIds.includes(id));
}
