import { db } from "~/lib/db.server";
import { conflict, forbidden, notFound } from "~/lib/errors";
import { ID_PATTERN } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { CATEGORY_CODES, type CategoryCode } from "../catalog/categories";
import { can } from "../policy";
import { communityPlaceSelect, placeOf } from "../territory/places";
import { getTerritoryTree } from "../territory/territory.server";
import { communityGroups } from "../territory/tree";

// The 新建活动 form: where the actor may organise, and the suggestions taken from an accepted match.

/** What the 新建活动 form offers: the communities the actor may organise in (staff: their reach; a
 * provider's people: the communities of the approved providers they act for) and those providers. */
export async function activityFormOptions(actor: Actor) {
  const [tree, providers] = await Promise.all([
    getTerritoryTree(),
    db().provider.findMany({
      where: { status: "APPROVED", members: { some: { userId: actor.userId } } },
      orderBy: { name: "asc" },
      select: { id: true, name: true, communities: { select: { communityId: true } } },
    }),
  ]);
  const served = new Set(providers.flatMap((p) => p.communities.map((c) => c.communityId)));
  let asStaff = false;
  const groups = communityGroups(tree, (community) => {
    const staff = can(actor, "activity.create", { communityPath: community.path, providerId: null });
    asStaff ||= staff;
    return staff || served.has(community.id);
  });
  if (groups.length === 0) throw forbidden("只有社区工作人员和已入驻机构的人员可以发布活动");
  return { groups, asStaff, providers: providers.map((p) => ({ id: p.id, name: p.name })) };
}

export type ActivityDraft = {
  needId: string;
  needTitle: string;
  title: string;
  category: CategoryCode;
  communityId: string;
  /** The accepted match's service, when it is still published (createActivity requires that). */
  serviceId: string | null;
  providerIds: string[];
  /** The matched provider, when the actor acts for it rather than as staff in scope. */
  organiserProviderId: string | null;
};

/** 安排活动 from a MATCHED need: suggested values for the 新建活动 form, for staff in scope of the need
 * and the people of the provider whose match was accepted. */
export async function activityDraftFromNeed(actor: Actor, needId: string): Promise<ActivityDraft> {
  const need = ID_PATTERN.test(needId)
    ? await db().need.findUnique({
        where: { id: needId },
        select: {
          id: true,
          title: true,
          category: true,
          status: true,
          communityId: true,
          community: communityPlaceSelect,
          matches: {
            where: { status: "ACCEPTED" },
            orderBy: [{ decidedAt: "desc" }, { id: "asc" }],
            take: 1,
            select: { serviceId: true, providerId: true, service: { select: { status: true } } },
          },
        },
      })
    : null;
  if (!need) throw notFound("该需求不存在或已被删除");
  const communityPath = placeOf(need);
  const match = need.matches[0];
  const asStaff = can(actor, "activity.create", { communityPath, providerId: null });
  const asProvider =
    match !== undefined && can(actor, "activity.create", { communityPath, providerId: match.providerId });
  if (!asStaff && !asProvider) throw forbidden("只有辖区工作人员和承接机构可以为这条需求安排活动");
  if (need.status !== "MATCHED") throw conflict("只有“已对接”的需求可以安排活动");
  return {
    needId: need.id,
    needTitle: need.title,
    title: need.title,
    category: CATEGORY_CODES.find((code) => code === need.category) ?? "other",
    communityId: need.communityId,
    serviceId: match?.service.status === "PUBLISHED" ? match.serviceId : null,
    providerIds: match ? [match.providerId] : [],
    organiserProviderId: !asStaff && match ? match.providerId : null,
  };
}
