import { db } from "~/lib/db.server";
import { forbidden, unauthenticated } from "~/lib/errors";
import type { SearchBoost, SearchFilters, SearchRequest } from "~/search/engine";
import { searchEngine } from "~/search/engines.server";
import { queryCategory } from "~/search/segmenter.server";
import { publicServices } from "~/search/visibility";
import type { Actor } from "../accounts/actor";
import { isCategoryCode } from "../catalog/categories";
import { can } from "../policy";
import { priceLabel } from "../services/services.schema";
import { reachableTerritory } from "../territory/territory.server";
import { SEARCH_FILTERS, type SearchQuery, type SearchResult, type ServiceCard } from "./search.schema";

// Site search (搜索): services, providers and activities for everyone; needs for staff (within their
// reach) and for people acting for an approved provider (open needs in the communities it serves).
// Needs are indexed without any personal data (app/search/documents.server.ts).

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

/** Near me first: added to the text score (0…1) of what serves the signed-in person's community, and
 * of what serves her subdistrict (so her own community's services get both). A text match has to be
 * much better to rank a farther service above a nearer one. */
export const NEAR_ME_WEIGHTS = { COMMUNITY: 0.3, SUBDISTRICT: 0.15 } as const;
/** Added to the text score of what is in the category the query names (头晕 → 医疗健康). */
export const INFERRED_CATEGORY_WEIGHT = 0.1;
/** With fewer "all words" matches than this, the box takes what matches part of the query, ranked by
 * how much of it matched (修一下 水管 老伴 …). */
export const FEW_RESULTS = 3;

async function nearMe(actor: Actor | null): Promise<SearchBoost[]> {
  if (!actor?.communityId) return [];
  const community = await db().community.findUnique({
    where: { id: actor.communityId },
    select: { subdistrictId: true },
  });
  if (!community) return [];
  return [
    { field: "communityId", values: [actor.communityId], weight: NEAR_ME_WEIGHTS.COMMUNITY },
    { field: "subdistrictId", values: [community.subdistrictId], weight: NEAR_ME_WEIGHTS.SUBDISTRICT },
  ];
}

/** All words if enough match; else any word, ranked by how much of the query matched; else, when
 * nothing matched and the query names a category, that category's newest. */
async function searchLeniently(request: SearchRequest, inferred: string | null) {
  const engine = searchEngine();
  const all = await engine.search(request);
  if (!request.text || all.total >= FEW_RESULTS) return { found: all, matchedBy: "all" as const };
  const some = await engine.search({ ...request, match: "any" });
  if (some.total > all.total) return { found: some, matchedBy: "some" as const };
  if (all.total > 0 || !inferred || request.filters.category)
    return { found: all, matchedBy: "all" as const };
  const category = await engine.search({
    ...request,
    text: "",
    filters: { ...request.filters, category: [inferred] },
  });
  return { found: category, matchedBy: "category" as const };
}

/** What a service card shows beyond the hit (funding, price, provider), and the hits of one provider's
 * identical services (same title) folded into the first, with the communities they serve together. */
async function serviceCards(hits: readonly { id: string }[]) {
  const rows = await db().service.findMany({
    where: { id: { in: hits.map((h) => h.id) } },
    select: {
      id: true,
      title: true,
      funding: true,
      priceFen: true,
      providerId: true,
      provider: { select: { name: true } },
    },
  });
  const same = rows.length
    ? await db().service.findMany({
        where: publicServices({
          OR: rows.map((row) => ({ providerId: row.providerId, title: row.title })),
        }),
        select: { providerId: true, title: true, communities: { select: { communityId: true } } },
      })
    : [];
  const key = (row: { providerId: string; title: string }) => `${row.providerId}\u0000${row.title}`;
  const communities = new Map<string, Set<string>>();
  for (const row of same) {
    const set = communities.get(key(row)) ?? new Set<string>();
    for (const c of row.communities) set.add(c.communityId);
    communities.set(key(row), set);
  }
  const cards = new Map<string, ServiceCard & { key: string }>();
  for (const row of rows) {
    cards.set(row.id, {
      key: key(row),
      funding: row.funding,
      priceLabel: priceLabel(row.funding, row.priceFen),
      priceFen: row.priceFen,
      providerName: row.provider.name,
      communityCount: communities.get(key(row))?.size ?? 0,
    });
  }
  return cards;
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
  const named = query.q ? queryCategory(query.q) : null;
  const inferred = isCategoryCode(named) ? named : null;
  const boosts = [
    ...(await nearMe(actor)),
    ...(inferred
      ? [{ field: "category" as const, values: [inferred], weight: INFERRED_CATEGORY_WEIGHT }]
      : []),
  ];
  const { found, matchedBy } = await searchLeniently(
    {
      type: query.type,
      text: query.q,
      match: "all",
      filters,
      facets: SEARCH_FILTERS[query.type],
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
      boosts,
    },
    inferred,
  );
  let items: SearchResult["items"] = found.hits;
  if (query.type === "service") {
    const cards = await serviceCards(found.hits);
    const shown = new Set<string>();
    items = [];
    for (const hit of found.hits) {
      const card = cards.get(hit.id);
      if (!card) continue;
      if (shown.has(card.key)) continue;
      shown.add(card.key);
      const { key: _, ...service } = card;
      items.push({ ...hit, service });
    }
  }
  return {
    items,
    total: found.total,
    totalIsExact: found.totalIsExact,
    page: query.page,
    pageSize: query.pageSize,
    facets: found.facets,
    engine: searchEngine().name,
    matchedBy,
    inferredCategory: inferred,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
