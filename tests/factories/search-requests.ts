import type { SearchRequest } from "~/search/engine";

/** A search engine request for services, every word required, no filter or facet, first page:
 * what the engine tests start from and override. */
export const searchRequest = (text: string, overrides: Partial<SearchRequest> = {}): SearchRequest => ({
  type: "service",
  text,
  match: "all",
  filters: {},
  facets: [],
  offset: 0,
  limit: 20,
  ...overrides,
});
