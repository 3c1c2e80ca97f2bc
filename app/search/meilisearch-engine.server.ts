import {
  type EnqueuedTaskPromise,
  type FacetDistribution,
  type FederatedMultiSearchParams,
  type Hit,
  Meilisearch,
  type MultiSearchQueryWithFederation,
  type SearchParams,
  type Settings,
} from "meilisearch";
import type {
  DocumentRef,
  FacetCounts,
  FacetField,
  SearchBoost,
  SearchDocument,
  SearchEngine,
  SearchFilters,
  SearchHit,
  SearchRequest,
  SearchResponse,
  SearchType,
} from "./engine";
import { FACET_FIELDS, SEARCH_TYPES } from "./engine";
import { findHighlights, makeSnippet } from "./highlight";
import { highlightTerms, indexTerms, type QueryWord, queryWords, searchWords } from "./segmenter.server";
import { RESIDENT_SYNONYMS } from "./vocabulary";

// The production engine (DESIGN §5): one Meilisearch index per search type. Meilisearch segments
// Chinese itself (charabia, with `cmn` forced by localizedAttributes) but matches a query word only as
// a whole token or a token prefix (its issues #2499, #4874, #4935), so 咨询 would never find
// 心理咨询师. Each document therefore also carries `keywords`: our jieba search-mode terms, sub-words
// included, the same terms the postgres engine indexes. Queries are built from the same query words,
// and highlights are computed by highlight.ts, so both engines answer alike.

type StoredDocument = {
  id: string;
  type: SearchType;
  version: number;
  title: string;
  body: string;
  /** Space-joined jieba terms of title and body (sub-words included). */
  keywords: string;
  /** Epoch milliseconds: a number sorts, an ISO string would not. */
  sortAt: number;
} & Record<FacetField, string[]>;

/** What a search asks Meilisearch to send back; the rest (keywords above all) stays on the server. */
type HitFields = Pick<StoredDocument, "id" | "title" | "body">;
const RETRIEVED: (keyof HitFields)[] = ["id", "title", "body"];

/** Ties on relevance (and the whole order of an empty query) go to the newest, then by id, as in the
 * postgres engine; `sort` is the last ranking rule so it never overrides relevance. */
const SORT = ["sortAt:desc", "id:asc"];

const SETTINGS: Settings = {
  // Title first: the attribute ranking rule prefers a match there over one in the body.
  searchableAttributes: ["title", "keywords", "body"],
  filterableAttributes: [...FACET_FIELDS],
  sortableAttributes: ["sortAt", "id"],
  rankingRules: ["words", "typo", "proximity", "attribute", "exactness", "sort"],
  // Without it a short query of Han characters may be detected as Japanese and cut differently.
  localizedAttributes: [{ attributePatterns: ["*"], locales: ["cmn"] }],
  // Exact facet counts need every value of a facet, not the default 100.
  faceting: { maxValuesPerFacet: 1000 },
  // The default (1000) would cap offset + limit well below what paging through a community needs.
  pagination: { maxTotalHits: 100_000 },
  // An edit distance over Han characters matches a different word, not a misspelling of the same one
  // (and the postgres engine has no typo tolerance either).
  typoTolerance: { enabled: false },
};

/** Meilisearch reads at most ten words of a query and ignores the rest. */
const MAX_QUERY_TERMS = 10;
/** An "any" search sends one query per word; a need's long description is cut to this many words. */
const MAX_ANY_WORDS = 64;
/** In an "any" search a document matching every word outranks one matching a single word. */
const SINGLE_WORD_WEIGHT = 0.5;
/** Boosts combined in one search at most (2^n narrowed copies of each query are sent). */
const MAX_BOOSTS = 3;
/** getDocuments page size for ids(). */
const IDS_PAGE = 1000;

/** The terms that stand for a query word: its parts when it has some. A document has a word's parts
 * whenever it has the word (documents are indexed in search mode), so "all parts" is exactly the
 * postgres engine's "the whole word or all of its parts", and it also finds documents where the
 * parts stand apart (心理…咨询), which charabia alone would not. */
const wordTerms = ({ word, parts }: QueryWord): string[] => (parts.length ? parts : [word]);

/** A text as the terms Meilisearch is sent (see wordTerms). */
const phraseTerms = (text: string) => queryWords(text).flatMap(wordTerms).join(" ");

/** The resident synonyms (app/search/synonyms.ts) as Meilisearch one-way synonyms, keyed and valued by
 * the terms actually sent, so they fire for the "all" queries of the search box. */
const meiliSynonyms = (): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(RESIDENT_SYNONYMS).map(([word, synonyms]) => [
      phraseTerms(word),
      synonyms.map(phraseTerms),
    ]),
  );

/** "Any word": one query per word (and per synonym), plus one asking for every word, weighted above
 * the single-word ones so that documents matching them all come first. (matchingStrategy "last" or
 * "frequency" would not do: they keep the first or the rarest word mandatory.) */
function anyQueries(words: readonly QueryWord[]): { q: string; weight: number }[] {
  const singles = [
    ...new Set(words.flatMap((word) => [wordTerms(word).join(" "), ...word.synonyms.map(phraseTerms)])),
  ];
  const queries = singles.map((q) => ({ q, weight: SINGLE_WORD_WEIGHT }));
  const every = words.flatMap(wordTerms);
  // Beyond ten terms Meilisearch would drop some and match more than "every word".
  if (singles.length > 1 && every.length <= MAX_QUERY_TERMS) queries.push({ q: every.join(" "), weight: 1 });
  return queries;
}

/** Every subset of the boosts (the empty one first), the strongest MAX_BOOSTS only. */
function combinations(boosts: readonly SearchBoost[]): SearchBoost[][] {
  const strongest = [...boosts].sort((a, b) => b.weight - a.weight).slice(0, MAX_BOOSTS);
  const subsets: SearchBoost[][] = [[]];
  for (const boost of strongest) {
    for (const subset of [...subsets]) subsets.push([...subset, boost]);
  }
  return subsets;
}

/** Filter values that can equal a stored one. Stored values come from PostgreSQL text, which holds
 * neither NUL nor lone surrogates, and a lone surrogate would make the request's JSON invalid. */
const comparable = (values: readonly string[]) =>
  values.filter((value) => !value.includes("\u0000") && !/\p{Cs}/u.test(value));

/** A filter value as a double-quoted Meilisearch string. Its parser unescapes \" and then standard
 * backslash escapes (\\, \n, \u{…}), so backslashes are doubled first and quotes escaped after. */
const quote = (value: string) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

/** One `field IN [...]` clause per filtered field, all of which must hold (an array filter is AND);
 * null when a field wants nothing that can exist, so that nothing can match. */
function filterExpression(filters: SearchFilters): string[] | null {
  const clauses: string[] = [];
  for (const field of FACET_FIELDS) {
    const wanted = filters[field];
    if (!wanted) continue;
    const values = comparable(wanted);
    // `field IN []` could only match nothing; say so without relying on the parser to agree.
    if (!values.length) return null;
    clauses.push(`${field} IN [${values.map(quote).join(", ")}]`);
  }
  return clauses;
}

function facetCounts(
  requested: readonly FacetField[],
  distribution: FacetDistribution | undefined,
): FacetCounts {
  const facets: FacetCounts = {};
  for (const field of requested) facets[field] = { ...distribution?.[field] };
  return facets;
}

const emptyResponse = (request: SearchRequest): SearchResponse => ({
  hits: [],
  total: 0,
  totalIsExact: true,
  facets: facetCounts(request.facets, undefined),
});

export class MeilisearchEngine implements SearchEngine {
  readonly name = "meilisearch" as const;
  private readonly client: Meilisearch;
  private readonly indexPrefix: string;
  private ready: Promise<void> | undefined;

  constructor(options: { host: string; apiKey?: string; indexPrefix: string }) {
    this.client = new Meilisearch({
      host: options.host,
      apiKey: options.apiKey,
      // The client's default gives up on a task after 5 s; a settings change reindexes everything.
      defaultWaitOptions: { timeout: 300_000, interval: 50 },
    });
    this.indexPrefix = options.indexPrefix;
  }

  private uid(type: SearchType): string {
    return `${this.indexPrefix}_${type}`;
  }

  private index(type: SearchType) {
    return this.client.index<StoredDocument>(this.uid(type));
  }

  /** Waits for a task and turns a failed or canceled one into an error (waitTask itself only throws
   * on a timeout or a request error). */
  private async settle(task: EnqueuedTaskPromise, what: string): Promise<void> {
    const done = await task.waitTask();
    if (done.status !== "succeeded") {
      throw new Error(`Meilisearch ${what} ${done.status}: ${done.error?.message ?? "no reason given"}`);
    }
  }

  ensureReady(): Promise<void> {
    this.ready ??= this.prepare().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async prepare(): Promise<void> {
    const settings: Settings = { ...SETTINGS, synonyms: meiliSynonyms() };
    await Promise.all(
      SEARCH_TYPES.map(async (type) => {
        const uid = this.uid(type);
        const created = await this.client.createIndex(uid, { primaryKey: "id" }).waitTask();
        // Another process (or an earlier start) made it first: that is the state we want.
        if (created.status !== "succeeded" && created.error?.code !== "index_already_exists") {
          throw new Error(
            `Meilisearch could not create index ${uid}: ${created.error?.message ?? created.status}`,
          );
        }
        await this.settle(this.index(type).updateSettings(settings), `settings of ${uid}`);
      }),
    );
  }

  async upsert(documents: readonly SearchDocument[]): Promise<void> {
    if (!documents.length) return;
    await this.ensureReady();
    const byType = new Map<SearchType, StoredDocument[]>();
    for (const doc of documents) {
      const stored: StoredDocument = {
        id: doc.id,
        type: doc.type,
        version: doc.version,
        title: doc.title,
        body: doc.body,
        keywords: [...indexTerms(doc.title), ...indexTerms(doc.body)].join(" "),
        sortAt: doc.sortAt.getTime(),
        category: doc.fields.category,
        subdistrictId: doc.fields.subdistrictId,
        communityId: doc.fields.communityId,
        funding: doc.fields.funding,
        providerKind: doc.fields.providerKind,
        status: doc.fields.status,
        providerId: doc.fields.providerId,
      };
      const list = byType.get(doc.type);
      if (list) list.push(stored);
      else byType.set(doc.type, [stored]);
    }
    // addDocuments replaces a document with the same id as a whole (updateDocuments would merge).
    await Promise.all(
      [...byType].map(([type, docs]) =>
        this.settle(
          this.index(type).addDocuments(docs, { primaryKey: "id" }),
          `indexing into ${this.uid(type)}`,
        ),
      ),
    );
  }

  async remove(refs: readonly DocumentRef[]): Promise<void> {
    if (!refs.length) return;
    await this.ensureReady();
    const byType = new Map<SearchType, string[]>();
    for (const ref of refs) {
      const list = byType.get(ref.type);
      if (list) list.push(ref.id);
      else byType.set(ref.type, [ref.id]);
    }
    // Deleting an id the index does not have succeeds with deletedDocuments = 0.
    await Promise.all(
      [...byType].map(([type, ids]) =>
        this.settle(this.index(type).deleteDocuments(ids), `deletion from ${this.uid(type)}`),
      ),
    );
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    await this.ensureReady();
    const filter = filterExpression(request.filters);
    if (!filter) return emptyResponse(request);

    const words = searchWords(request.text, request.match);
    const common = {
      filter: filter.length ? filter : undefined,
      attributesToRetrieve: RETRIEVED,
      showRankingScore: true,
      sort: SORT,
      locales: ["cmn"],
    } satisfies SearchParams;

    type Found = { hits: Hit<HitFields>[]; total: number; distribution: FacetDistribution | undefined };
    let found: Found;
    const boosts = (request.boosts ?? []).filter(
      (boost) => boost.weight > 0 && comparable(boost.values).length,
    );
    if (request.match === "any" && words.length > 1) {
      found = await this.federated(request, anyQueries(words.slice(0, MAX_ANY_WORDS)), common, boosts);
    } else if (boosts.length) {
      found = await this.federated(
        request,
        [{ q: words.flatMap(wordTerms).join(" ") || null, weight: 1 }],
        common,
        boosts,
      );
    } else {
      // Meilisearch reads the first ten terms only, so a longer "all" query is looser than postgres's.
      const terms = words.flatMap(wordTerms);
      const response = await this.index(request.type).search<HitFields>(
        terms.length ? terms.join(" ") : null,
        {
          ...common,
          matchingStrategy: "all",
          facets: request.facets.length ? [...request.facets] : undefined,
          offset: request.offset,
          limit: request.limit,
        },
      );
      found = {
        hits: response.hits,
        total: response.estimatedTotalHits,
        distribution: response.facetDistribution,
      };
    }

    const terms = highlightTerms(words);
    return {
      total: found.total,
      // Meilisearch counts every candidate up to pagination.maxTotalHits (set to 100,000 above).
      totalIsExact: found.total < (SETTINGS.pagination?.maxTotalHits ?? 1000),
      facets: facetCounts(request.facets, found.distribution),
      hits: found.hits.map((hit): SearchHit => {
        const { snippet, highlights } = makeSnippet(hit.body, terms);
        return {
          type: request.type,
          id: hit.id,
          title: hit.title,
          snippet,
          // An empty query ranks by recency only; report 0 like the postgres engine.
          score: words.length ? (hit._federation?.weightedRankingScore ?? hit._rankingScore ?? 0) : 0,
          titleHighlights: findHighlights(hit.title, terms),
          snippetHighlights: highlights,
        };
      }),
    };
  }

  /** Several queries over one index as one federated search: Meilisearch deduplicates a document
   * found by several of them (keeping its best weighted score), counts the union of their candidates
   * as the total and computes facets over that union. Near-me boosts ride on the same mechanism: each
   * query is sent again narrowed to every combination of the boosted values, weighted up by their
   * sum, so a document in the resident's community scores (1 + 0.3 + 0.15) × its text score. The
   * narrowed queries find subsets of the plain one, so totals and facets are unchanged. */
  private async federated(
    request: SearchRequest,
    texts: readonly { q: string | null; weight: number }[],
    common: Omit<SearchParams, "matchingStrategy">,
    boosts: readonly SearchBoost[],
  ): Promise<{ hits: Hit<HitFields>[]; total: number; distribution: FacetDistribution | undefined }> {
    const indexUid = this.uid(request.type);
    const queries: MultiSearchQueryWithFederation[] = [];
    for (const combination of combinations(boosts)) {
      const narrowed = combination.map(
        (boost) => `${boost.field} IN [${comparable(boost.values).map(quote).join(", ")}]`,
      );
      const filter = [...(common.filter ?? []), ...narrowed];
      const lift = 1 + combination.reduce((sum, boost) => sum + boost.weight, 0);
      for (const { q, weight } of texts) {
        queries.push({
          ...common,
          filter: filter.length ? filter : undefined,
          indexUid,
          q,
          matchingStrategy: "all",
          federationOptions: { weight: weight * lift },
        });
      }
    }

    const params: FederatedMultiSearchParams = {
      federation: {
        offset: request.offset,
        limit: request.limit,
        ...(request.facets.length ? { facetsByIndex: { [indexUid]: [...request.facets] } } : {}),
      },
      queries,
    };
    const response = await this.client.multiSearch<FederatedMultiSearchParams, HitFields>(params);
    return {
      hits: response.hits,
      total: response.estimatedTotalHits ?? response.totalHits ?? 0,
      distribution: response.facetsByIndex?.[indexUid]?.distribution,
    };
  }

  async ids(type: SearchType): Promise<string[]> {
    await this.ensureReady();
    const ids: string[] = [];
    for (let offset = 0; ; offset += IDS_PAGE) {
      const page = await this.index(type).getDocuments<Pick<StoredDocument, "id">>({
        fields: ["id"],
        offset,
        limit: IDS_PAGE,
      });
      for (const doc of page.results) ids.push(doc.id);
      if (page.results.length < IDS_PAGE) return ids;
    }
  }

  healthy(): Promise<boolean> {
    return this.client.isHealthy();
  }
}
