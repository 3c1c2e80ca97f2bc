import type { FacetField, SearchRequest } from "./engine";

// What the PostgreSQL engine's statement builder and its pg_stats estimate both need to know about
// search.document: the column each facet field is stored in, and how many matches a statement reads.

/** The text[] column of search.document that holds each facet field. */
export const COLUMN: Record<FacetField, string> = {
  category: "category",
  subdistrictId: "subdistrict_id",
  communityId: "community_id",
  funding: "funding",
  providerKind: "provider_kind",
  status: "status",
  providerId: "provider_id",
};

/** How many text matches are ranked at most; beyond it the newest matches are ranked. Finding them
 * costs in proportion (a word in 4% of a million documents: 54,000 rows read, newest first, for
 * 2,000 matches), so at a million 1,000 is the bound (ADR 0023). */
const CANDIDATE_LIMIT = 1000;
/** The same for an "any word" query (matching): a need's words are found in most services of its
 * subdistrict, and finding and ranking the newest 2,000 of them took most of matching's time at 100k. */
const ANY_CANDIDATE_LIMIT = 500;
/** Totals and facets are exact up to this many matches; beyond, they describe the newest ones and the
 * total is a lower bound (the page says 「超过 1000 条」). Counting 55,000 matches of 服务 exactly
 * cost 750 ms at 100k documents; the bound was 2,000 until the million-document run (ADR 0023). */
export const COUNT_LIMIT = 1000;

/** How many matches a statement ranks, and how many it finds (one more than it counts, to know
 * whether there are more). */
export function statementBounds(request: SearchRequest) {
  const candidates = request.match === "any" ? ANY_CANDIDATE_LIMIT : CANDIDATE_LIMIT;
  return { candidates, bound: request.count !== false ? Math.max(candidates, COUNT_LIMIT + 1) : candidates };
}
