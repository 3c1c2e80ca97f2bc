// The one contract both search engines implement (DESIGN §5). PostgreSQL stays the source of truth:
// an engine holds derived documents only, written by the outbox relay and by `npm run reindex`.

export const SEARCH_TYPES = ["service", "need", "provider", "activity", "venue"] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

export const ENGINE_NAMES = ["postgres", "meilisearch"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The filterable fields, which are also the facets. Multi-valued fields match when any value does. */
export const FACET_FIELDS = [
  "category",
  "subdistrictId",
  "communityId",
  "funding",
  "providerKind",
  "status",
  "providerId",
] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

export type SearchDocument = {
  type: SearchType;
  id: string;
  /** The entity's version when the document was built (for inspection; ordering is the relay's job). */
  version: number;
  title: string;
  body: string;
  /** Filter values: a document matches a filter when one of its values is among the wanted ones. */
  fields: Record<FacetField, string[]>;
  /** Newest first when no text decides the order. */
  sortAt: Date;
};

export type DocumentRef = { type: SearchType; id: string };

export type SearchFilters = Partial<Record<FacetField, readonly string[]>>;

export type SearchRequest = {
  type: SearchType;
  /** Free text; empty lists everything that passes the filters, newest first. */
  text: string;
  /** "all": every query word must match (the search box); "any": one is enough, and documents that
   * matched more of the words rank first (matching, and the search box when "all" finds little). */
  match: "all" | "any";
  filters: SearchFilters;
  facets: readonly FacetField[];
  offset: number;
  limit: number;
  /** false: the caller needs no total or facets (matching), so the engine does not count. */
  count?: boolean;
  /** Added to the text score of documents that share a value with each boost (near me first). */
  boosts?: readonly SearchBoost[];
};

/** A document whose `field` has one of `values` scores `weight` more. Text scores lie in 0…1. */
export type SearchBoost = { field: FacetField; values: readonly string[]; weight: number };

/** [start, end) character ranges of matched words. */
export type Highlight = [number, number];

export type SearchHit = {
  type: SearchType;
  id: string;
  title: string;
  snippet: string;
  score: number;
  titleHighlights: Highlight[];
  snippetHighlights: Highlight[];
};

export type FacetCounts = Partial<Record<FacetField, Record<string, number>>>;

/** `total` and the facets are exact unless `totalIsExact` is false: then they cover only the newest
 * COUNT_LIMIT matches and `total` is a lower bound (shown as "超过 N 条"). */
export type SearchResponse = { hits: SearchHit[]; total: number; totalIsExact: boolean; facets: FacetCounts };

export interface SearchEngine {
  readonly name: EngineName;
  /** Creates the index, its settings and storage if missing; safe to call repeatedly. */
  ensureReady(): Promise<void>;
  /** Inserts or replaces documents by (type, id). Visible to search when the promise resolves. */
  upsert(documents: readonly SearchDocument[]): Promise<void>;
  /** Removes documents; removing an absent one is not an error. */
  remove(refs: readonly DocumentRef[]): Promise<void>;
  search(request: SearchRequest): Promise<SearchResponse>;
  /** The ids of every document of a type (reindex uses it to drop what PostgreSQL no longer has). */
  ids(type: SearchType): Promise<string[]>;
  /** Runs `load`, which writes about `documents` documents: an engine whose index then holds far
   * fewer may build its lookup structures once, after `load`, instead of document by document. */
  bulkLoad?<T>(documents: number, load: () => Promise<T>): Promise<T>;
  healthy(): Promise<boolean>;
}
