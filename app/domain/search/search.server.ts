import { db } from "~/lib/db.server";
import { forbidden, unauthenticated } from "~/lib/errors";
import type { FacetField, SearchFilters, SearchType } from "~/search/engine";
import { searchEngine } from "~/search/engines.server";
import type { Actor } from "../accounts/actor";
import { can } from "../policy";
import { reachableTerritory } from "../territory/territory.server";
import type { SearchQuery, SearchResult } from "./search.schema";

// Site search (搜索): services, providers and activities for everyone; needs for staff (within their
// reach) and for people acting for an approved provider (open needs in the communities it serves).
// Needs are indexed without any personal data (app/search/documents.server.ts).

const FACETS: Record<SearchType, readonly FacetField[]> = {
  service: ["category", "subdistrictId", "communityId", "funding", "providerKind"],
  provider: ["category", "subdistrictId", "communityId", "providerKind"],
  need: ["category", "subdistrictId", "communityId", "status"],
  activity: ["category", "subdistrictId", "communityId"],
};

/** Where an actor may search needs, and whether only open ones: null means nowhere. */
async function needReach(actor: Actor): Promise<{ communityIds: string[]; statuses?: string[] } | null> {
  if (!can(actor, "search.needs", null)) return null;
  const staff = await reachableTerritory(actor);
  if (staff.communityIds.length) return { communityIds: staff.communityIds };
  const served = await db().providerCommunity.findMany({
    where: { provider: { status: "APPROVED", members: { some: { userId: actor.userId } } } },
    select: { communityId: true },
  });
  return { communityIds: [...new Set(served.map((s) => s.communityId))], statuses: ["OPEN"] };
}

const narrow = (wanted: string | undefined, allowed: readonly string[] | undefined) => {
  if (!allowed) return wanted ? [wanted] : undefined;
  return wanted ? allowed.filter((id) => id === wanted) : [...allowed];
};

export async function searchSite(actor: Actor | null, query: SearchQuery): Promise<SearchResult> {
  const started = performance.now();
  const filters: SearchFilters = {
    category: query.category ? [query.category] : undefined,
    subdistrictId: query.subdistrictId ? [query.subdistrictId] : undefined,
    communityId: query.communityId ? [query.communityId] : undefined,
    funding: query.type === "service" && query.funding ? [query.funding] : undefined,
    providerKind: query.type !== "need" && query.providerKind ? [query.providerKind] : undefined,
  };
  if (query.type === "need") {
    if (!actor) throw unauthenticated("登录后才能搜索需求");
    const reach = await needReach(actor);
    if (!reach) throw forbidden("只有工作人员和服务机构可以搜索需求");
    filters.communityId = narrow(query.communityId, reach.communityIds);
    filters.status = narrow(query.status, reach.statuses);
  }
  const engine = searchEngine();
  const result = await engine.search({
    type: query.type,
    text: query.q,
    match: "all",
    filters,
    facets: FACETS[query.type],
    offset: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
  });
  return {
    items: result.hits,
    total: result.total,
    totalIsExact: result.totalIsExact,
    page: query.page,
    pageSize: query.pageSize,
    facets: result.facets,
    engine: engine.name,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
