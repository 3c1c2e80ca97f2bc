import { Prisma, type PrismaClient } from "@prisma/client";
import type {
  DocumentRef,
  FacetCounts,
  FacetField,
  SearchBoost,
  SearchDocument,
  SearchEngine,
  SearchHit,
  SearchRequest,
  SearchResponse,
  SearchType,
} from "./engine";
import { FACET_FIELDS, SEARCH_TYPES } from "./engine";
import { findHighlights, makeSnippet } from "./highlight";
import {
  characterPairs,
  hanRuns,
  highlightTerms,
  indexTerms,
  type QueryWord,
  searchWords,
  titlePairs,
} from "./segmenter.server";

// The embedded engine: documents in a table of their own schema (`search`, outside Prisma's
// migrations: the engine owns its storage as Meilisearch owns its index), a tsvector over
// jieba-segmented terms with the `simple` configuration, GIN indexes, and one statement per search
// that ranks (ts_rank_cd) and counts a bounded set of the newest matches.

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
/** In an "any" query, how much ts_rank adds to the share of words matched: less than one word of a
 * query of eight, so it orders documents that matched as much of the query, never more. */
const ANY_RANK_SHARE = 0.1;

const COLUMN: Record<FacetField, string> = {
  category: "category",
  subdistrictId: "subdistrict_id",
  communityId: "community_id",
  funding: "funding",
  providerKind: "provider_kind",
  status: "status",
  providerId: "provider_id",
};
const column = (field: FacetField) => Prisma.raw(`d.${COLUMN[field]}`);

const STORED_COLUMNS = [
  "type",
  "id",
  "version",
  "title",
  "body",
  ...FACET_FIELDS.map((field) => COLUMN[field]),
  "sort_at",
  "tsv",
].join(", ");

/** Kept as the table's comment: ensureReady rebuilds a table of an older layout. */
const SCHEMA_VERSION = "sanshe search 4";

// The tsvector is computed on the way in and kept in the row, uncompressed (STORAGE MAIN, rows up to a
// page before anything is compressed or moved out): a query for a common word tests it on thousands of
// rows, and fetching each from the TOAST table made that twice as slow. Segmented terms are not stored.
const TABLE_SQL = [
  `CREATE TABLE search.document (
    type text NOT NULL,
    id text NOT NULL,
    version integer NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    ${FACET_FIELDS.map((field) => `${COLUMN[field]} text[] NOT NULL DEFAULT '{}'`).join(",\n    ")},
    sort_at timestamptz NOT NULL,
    tsv tsvector NOT NULL,
    PRIMARY KEY (type, id)
  ) WITH (toast_tuple_target = 8160)`,
  "ALTER TABLE search.document ALTER COLUMN tsv SET STORAGE MAIN",
];
// One text index per type: a query for one type then needs no second index to leave the others out.
// The filters the site offers have theirs: without them, an empty box with a filter reads the newest
// documents until enough pass it.
const GIN_INDEXES: Record<string, string> = {
  ...Object.fromEntries(
    SEARCH_TYPES.map((type) => [`document_${type}_tsv_idx`, `USING gin (tsv) WHERE type = '${type}'`]),
  ),
  document_community_idx: "USING gin (community_id)",
  document_subdistrict_idx: "USING gin (subdistrict_id)",
  document_category_idx: "USING gin (category)",
};
const INDEXES: Record<string, string> = {
  ...GIN_INDEXES,
  document_type_sort_idx: "(type, sort_at DESC)",
};
const createIndex = (name: string) =>
  `CREATE INDEX IF NOT EXISTS ${name} ON search.document ${INDEXES[name] ?? ""}`;
const TYPE_INDEX_SQL = SEARCH_TYPES.map((type) => createIndex(`document_${type}_tsv_idx`));
const INDEX_SQL = [
  ...Object.keys(INDEXES).map(createIndex),
  `COMMENT ON TABLE search.document IS '${SCHEMA_VERSION}'`,
];
/** A reindex that writes many more documents than the table holds (a first build) builds the GIN
 * indexes once at the end, several times faster than keeping them up to date row by row; from this
 * many documents on. */
const BULK_MIN = 50_000;
/** Memory for building those indexes (the server's default, 64 MB, makes a million documents' text
 * index in many small passes). */
const BULK_INDEX_MEMORY = "256MB";

/** Version 1 (no comment) stored the segmented terms and generated the same tsvector from them: its
 * documents carry over unchanged, so no reindex is needed. */
const FROM_VERSION_1 = [
  "ALTER TABLE search.document RENAME TO document_v1",
  "ALTER TABLE search.document_v1 DROP CONSTRAINT document_pkey",
  "DROP INDEX search.document_tsv_idx, search.document_type_sort_idx, search.document_community_idx",
  ...TABLE_SQL,
  `INSERT INTO search.document (${STORED_COLUMNS}) SELECT ${STORED_COLUMNS} FROM search.document_v1`,
  "DROP TABLE search.document_v1",
  ...INDEX_SQL,
  "ANALYZE search.document",
];

/** Version 2 had no title character pairs: its documents stay searchable by their words, and gain
 * the pairs (sub-word search) as they are written again, at the latest by `npm run reindex`.
 * Versions 2 and 3 had no venues: their text index is added (the relay or `npm run reindex` fills
 * them in). */
const FROM_VERSION_2_OR_3 = [...TYPE_INDEX_SQL, `COMMENT ON TABLE search.document IS '${SCHEMA_VERSION}'`];

/** The indexes an interrupted bulk load (or anything else) left out. */
async function missingIndexes(tx: Prisma.TransactionClient): Promise<string[]> {
  const present = await tx.$queryRaw<{ name: string }[]>`
    SELECT indexname::text AS name FROM pg_indexes WHERE schemaname = 'search' AND tablename = 'document'`;
  const names = new Set(present.map((row) => row.name));
  return Object.keys(INDEXES)
    .filter((name) => !names.has(name))
    .map(createIndex);
}

/** to_tsquery text for one query word: the whole word, all of its parts, or one of its synonyms. */
function wordQuery({ word, parts, synonyms }: QueryWord): string {
  const ways = [quote(word)];
  if (parts.length) ways.push(`(${parts.map(quote).join(" & ")})`);
  for (const synonym of synonyms) {
    const terms = indexTerms(synonym);
    if (terms.length) ways.push(`(${[...new Set(terms)].map(quote).join(" & ")})`);
  }
  return ways.length > 1 ? `(${ways.join(" | ")})` : (ways[0] ?? "");
}
const quote = (w: string) => `'${w}'`;

/** to_tsquery text for the query words: every word (all) or any word (any). An "all" query also
 * matches a title holding each run of Han characters of the text as it was typed (its character
 * pairs next to each other), so that any part of a title is found even when jieba cuts it into words
 * the title does not have (适老 of 居家适老化改造, 本共 of 绘本共读). Pairs per word as well cost 48%
 * on the search p95 at 100k and found nothing more in the relevance sets. Words hold letters and digits only (the segmenter's cleaning), and so do the synonyms
 * once cleaned the same way. */
export function tsQuery(
  words: readonly QueryWord[],
  match: "all" | "any",
  runs: readonly string[] = [],
): string {
  const clauses = words.map(wordQuery);
  if (match === "any") return clauses.join(" | ");
  const byWords = clauses.join(" & ");
  if (!runs.length) return byWords;
  const byRuns = runs.map((run) => `(${characterPairs(run).map(quote).join(" <-> ")})`).join(" & ");
  return clauses.length ? `(${byWords}) | (${byRuns})` : byRuns;
}

/** How much of an "any" query a document matched (0…1): the share of the query's words it has, each
 * as tsQuery would accept it. */
function coverage(words: readonly QueryWord[]): Prisma.Sql {
  const each = words.map((word) => Prisma.sql`(d.tsv @@ to_tsquery('simple', ${wordQuery(word)}))::int`);
  return Prisma.sql`((${Prisma.join(each, " + ")})::float8 / ${words.length})`;
}

/** The boosts' sum for a document: each boost whose field shares a value with it adds its weight. */
function boostScore(boosts: readonly SearchBoost[]): Prisma.Sql {
  const each = boosts.map(
    ({ field, values, weight }) =>
      Prisma.sql`CASE WHEN ${column(field)} && ${comparable(values)}::text[] THEN ${weight}::float8 ELSE 0 END`,
  );
  return each.length ? Prisma.sql`(${Prisma.join(each, " + ")})` : Prisma.sql`0::float8`;
}

/** Filter values PostgreSQL can compare. One holding a lone surrogate (which Prisma cannot serialise)
 * or a NUL (which text cannot hold) equals no stored value, so it is left out instead of failing. */
const comparable = (values: readonly string[]) =>
  values.filter((value) => !value.includes("\u0000") && !/\p{Cs}/u.test(value));

type HitRow = { type: SearchType; id: string; title: string; body: string; score: number };
/** searchStatement's one row: how many matches it saw (up to the bound), the page of hits, and
 * [field, value, count] per facet value. */
type FoundRow = { matched: bigint | null; hits: HitRow[] | null; facets: [string, string, number][] | null };
const isFacetField = (field: string): field is FacetField =>
  (FACET_FIELDS as readonly string[]).includes(field);

/** How a statement is built. PostgreSQL finds the newest matches of a text query one of two ways:
 * it reads the type's documents newest first through the sort_at index and tests each (cheap when matches are common: 1,001
 * matches of 老人 in 3,300 rows), or it takes every match from the GIN indexes and sorts them (cheap
 * when they are rare). It misjudges words of 1–5%: it counts the sub-word pairs as matches of their
 * own (义诊 | 义诊ng), doubles its estimate, and reads 63,000 rows newest first for 1,001 of 8,000
 * matches. `allMatches` makes it take every match; the engine asks for that when its own estimate
 * (prefersAllMatches) says so, and otherwise leaves the choice to PostgreSQL, which judges common
 * words and filters well.
 *
 * `subwords: false` leaves title character pairs out, as before #16 (the benchmark compares the two
 * in one run). */
export type StatementOptions = { subwords?: boolean; allMatches?: boolean };

/** The engine estimates a query's share from PostgreSQL's own statistics (pg_stats), read again this
 * often. */
const STATISTICS_MAX_AGE_MS = 10 * 60_000;

/** pg_stats of search.document: how common each frequent value of each column is. */
type ColumnStatistics = { frequency: Map<string, number>; rare: number };
export type Statistics = { rows: number; columns: Map<string, ColumnStatistics>; types: Map<string, number> };

/** PostgreSQL's own rule for a value outside the most common ones: half the rarest listed, at most
 * 0.5% (ts_selfuncs.c, array_selfuncs.c). */
const RARE_DEFAULT = 0.005;
const share = (column: ColumnStatistics, value: string) => column.frequency.get(value) ?? column.rare;
/** At least one of several independent events. */
const anyOf = (shares: readonly number[]) => 1 - shares.reduce((none, p) => none * (1 - p), 1);

/** The estimated share of the type's documents that match the request's words and filters, or null
 * when there are no statistics to go by. The sub-word pairs are left out: a title with the pairs of
 * a word almost always has the word. */
export function matchShare(
  statistics: Statistics,
  request: SearchRequest,
  words: readonly QueryWord[],
): number | null {
  const tsv = statistics.columns.get("tsv");
  if (!tsv) return null;
  const all = (terms: readonly string[]) => terms.reduce((p, term) => p * share(tsv, term), 1);
  const wordShares = words.map(({ word, parts, synonyms }) =>
    anyOf([
      share(tsv, word),
      ...(parts.length ? [all(parts)] : []),
      ...synonyms.map((synonym) => all([...new Set(indexTerms(synonym))])),
    ]),
  );
  let result = request.match === "any" ? anyOf(wordShares) : wordShares.reduce((p, w) => p * w, 1);
  for (const field of FACET_FIELDS) {
    const wanted = request.filters[field];
    if (!wanted) continue;
    const values = statistics.columns.get(COLUMN[field]);
    if (!values) return null;
    result *= anyOf(wanted.map((value) => share(values, value)));
  }
  return result;
}

/** How many matches a statement ranks, and how many it finds (one more than it counts, to know
 * whether there are more). */
function bounds(request: SearchRequest) {
  const candidates = request.match === "any" ? ANY_CANDIDATE_LIMIT : CANDIDATE_LIMIT;
  return { candidates, bound: request.count !== false ? Math.max(candidates, COUNT_LIMIT + 1) : candidates };
}

/** Whether reading every match (share × the type's documents) costs clearly less (a quarter) than
 * reading bound ÷ share documents newest first. Only for unfiltered queries, and with that margin:
 * the estimate takes words and filters as independent, and a category filter with the words of its
 * own services (换药 in 养老服务), or a word with synonyms that are its neighbours (上门换药), has far
 * more matches than that, which the newest-first scan finds at once. False (PostgreSQL chooses)
 * without statistics or text. */
export function prefersAllMatches(
  statistics: Statistics,
  request: SearchRequest,
  words: readonly QueryWord[],
): boolean {
  if (FACET_FIELDS.some((field) => request.filters[field])) return false;
  const matched = words.length ? matchShare(statistics, request, words) : null;
  const typeShare = statistics.types.get(request.type);
  if (matched === null || typeShare === undefined || matched <= 0) return false;
  return bounds(request).bound / matched > 4 * statistics.rows * typeShare * matched;
}

/** The conditions a document must meet: its type (a literal, so the planner picks that type's text
 * index), the filters, and the query words. */
export function matchCondition(
  request: SearchRequest,
  words: readonly QueryWord[],
  { subwords = true }: StatementOptions = {},
): Prisma.Sql {
  if (!SEARCH_TYPES.includes(request.type)) throw new Error(`unknown search type ${request.type}`);
  const conditions = [Prisma.raw(`d.type = '${request.type}'`)];
  for (const field of FACET_FIELDS) {
    const wanted = request.filters[field];
    if (wanted) conditions.push(Prisma.sql`${column(field)} && ${comparable(wanted)}::text[]`);
  }
  const runs = request.match === "all" && subwords ? hanRuns(request.text) : [];
  if (words.length || runs.length) {
    conditions.push(Prisma.sql`d.tsv @@ to_tsquery('simple', ${tsQuery(words, request.match, runs)})`);
  }
  return Prisma.join(conditions, " AND ");
}

/** The whole search in one statement and one pass over the matches: the newest matches up to a
 * bound, of which the newest CANDIDATE_LIMIT are ranked for the page of hits and the newest
 * COUNT_LIMIT counted for the total and the facets. Without text the page is read on its own, newest
 * first, so that any page can be reached. */
export function searchStatement(
  request: SearchRequest,
  words: readonly QueryWord[] = searchWords(request.text, request.match),
  { subwords = true, allMatches = false }: StatementOptions = {},
): Prisma.Sql {
  const where = matchCondition(request, words, { subwords });
  const counting = request.count !== false;
  const runs = request.match === "all" && subwords ? hanRuns(request.text) : [];
  const query = words.length || runs.length ? tsQuery(words, request.match, runs) : null;
  // Ranked by the words alone: a title that has the text only inside other words (through the
  // typed runs' pairs) scores 0 and comes after every whole-word match, and ranking stays as cheap
  // as before sub-words (they cost 27% on the p95 at 100k when the pairs were ranked too).
  const rankQuery = words.length ? tsQuery(words, request.match) : query;
  const boosts = request.boosts ?? [];
  const page = Prisma.sql`LIMIT ${request.limit} OFFSET ${request.offset}`;
  const { candidates, bound } = bounds(request);
  // Narrow rows: sorting thousands of matches with their tsvectors spilled to disk. The candidates
  // are read again by their row address (ctid, stable within one statement), from pages the scan has
  // just brought in.
  const ranked = Boolean(query) || boosts.length > 0;
  // All matches: ordered by an expression no index holds, so PostgreSQL takes the matches from the GIN
  // indexes and sorts them instead of reading the sort_at index newest first.
  const newest = allMatches ? Prisma.sql`d.sort_at + interval '0 seconds' DESC` : Prisma.sql`d.sort_at DESC`;
  const matched =
    ranked || counting
      ? Prisma.sql`matched AS MATERIALIZED (
          SELECT ${Prisma.join([Prisma.raw("d.ctid AS row, d.sort_at"), ...request.facets.map(column)])}
          FROM search.document d WHERE ${where} ORDER BY ${newest} LIMIT ${bound}
        ),`
      : Prisma.empty;
  // Text relevance in 0…1 (rank / (rank + 1)). Cover density rewards words close together, which is
  // what a typed query means. An "any" query ranks first by how much of it a document matched, then
  // by ts_rank, several times cheaper than cover density on a need's long text.
  // In an "any" query the boosts (near me, the inferred category) count in proportion to how much of
  // the query a document matched: nearness orders equally fitting results but never makes up for a
  // word the document lacks (带孩子读绘本: the one 绘本 service across the district before nearby
  // childcare that matched 带孩子 alone). Written as coverage × (1 + boosts), so coverage is computed once.
  // (An "any" query has text only through its words: it has no typed runs.)
  const score = !query
    ? boostScore(boosts)
    : request.match === "any"
      ? Prisma.sql`${coverage(words)} * (1 + ${boostScore(boosts)}) + ${ANY_RANK_SHARE}::float8 * ts_rank(d.tsv, to_tsquery('simple', ${rankQuery}), 32)`
      : Prisma.sql`ts_rank_cd(d.tsv, to_tsquery('simple', ${rankQuery}), 32) + ${boostScore(boosts)}`;
  const hits = ranked
    ? Prisma.sql`SELECT d.type, d.id, d.title, d.body, m.sort_at, (${score})::float8 AS score
        FROM (SELECT row, sort_at FROM matched ORDER BY sort_at DESC LIMIT ${candidates}) m
        JOIN search.document d ON d.ctid = m.row
        ORDER BY score DESC, m.sort_at DESC, d.id ${page}`
    : Prisma.sql`SELECT d.type, d.id, d.title, d.body, d.sort_at, 0::float8 AS score
        FROM search.document d WHERE ${where} ORDER BY d.sort_at DESC, d.id ${page}`;
  const facetValues = request.facets.map(
    (field) => Prisma.sql`SELECT ${field}::text, unnest(${Prisma.raw(`m.${COLUMN[field]}`)})`,
  );
  const facets =
    counting && facetValues.length
      ? Prisma.sql`(SELECT json_agg(json_build_array(field, value, n)) FROM (
          SELECT f.field, f.value, count(*) AS n
          FROM (SELECT * FROM matched ORDER BY sort_at DESC LIMIT ${COUNT_LIMIT}) m
          CROSS JOIN LATERAL (${Prisma.join(facetValues, " UNION ALL ")}) f(field, value)
          GROUP BY f.field, f.value) c)`
      : Prisma.sql`NULL::json`;
  return Prisma.sql`
    WITH ${matched} hits AS (${hits})
    SELECT ${counting ? Prisma.sql`(SELECT count(*) FROM matched)` : Prisma.sql`NULL::bigint`} AS matched,
      (SELECT json_agg(json_build_object('type', type, 'id', id, 'title', title, 'body', body,
          'score', score) ORDER BY score DESC, sort_at DESC, id) FROM hits) AS hits,
      ${facets} AS facets`;
}

export class PostgresSearchEngine implements SearchEngine {
  readonly name = "postgres" as const;
  private ready: Promise<void> | undefined;

  constructor(private readonly db: PrismaClient) {}

  ensureReady(): Promise<void> {
    this.ready ??= this.db
      .$transaction(
        async (tx) => {
          // Two processes starting at once would race on creating or rebuilding the table.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sanshe.search.schema'))`;
          await tx.$executeRawUnsafe("CREATE SCHEMA IF NOT EXISTS search");
          const [table] = await tx.$queryRaw<{ present: boolean; version: string | null }[]>`
            SELECT to_regclass('search.document') IS NOT NULL AS present,
              obj_description(to_regclass('search.document'), 'pg_class') AS version`;
          const steps = !table?.present
            ? [...TABLE_SQL, ...INDEX_SQL]
            : table.version === null
              ? FROM_VERSION_1
              : table.version === "sanshe search 2" || table.version === "sanshe search 3"
                ? FROM_VERSION_2_OR_3
                : table.version === SCHEMA_VERSION
                  ? await missingIndexes(tx)
                  : null;
          if (!steps) {
            throw new Error(`search.document is "${table?.version}", this code expects "${SCHEMA_VERSION}"`);
          }
          for (const statement of steps) await tx.$executeRawUnsafe(statement);
        },
        // Rebuilding 100,000 documents of the previous layout takes a few seconds; the indexes of a
        // million, a few minutes.
        { timeout: 30 * 60_000 },
      )
      .catch((error: unknown) => {
        this.ready = undefined;
        throw error;
      });
    return this.ready;
  }

  /** Without its GIN indexes while `load` runs, when `load` writes many more documents than the table
   * holds: searches meanwhile read the table through (correct, slower), and the indexes are built
   * afterwards in one pass each, even if `load` fails. A process that starts meanwhile builds them at
   * once (ensureReady), which only makes the rest of the load slower. */
  async bulkLoad<T>(documents: number, load: () => Promise<T>): Promise<T> {
    await this.ensureReady();
    const [held] = await this.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM search.document`;
    if (documents < BULK_MIN || Number(held?.n ?? 0) * 2 > documents) return load();
    const names = Object.keys(GIN_INDEXES).map((name) => `search.${name}`);
    await this.db.$executeRawUnsafe(`DROP INDEX IF EXISTS ${names.join(", ")}`);
    try {
      return await load();
    } finally {
      await this.db.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL maintenance_work_mem = '${BULK_INDEX_MEMORY}'`);
          for (const name of Object.keys(GIN_INDEXES)) await tx.$executeRawUnsafe(createIndex(name));
          // The planner's statistics for the new rows (which words are common decides the plan).
          await tx.$executeRawUnsafe("ANALYZE search.document");
        },
        { timeout: 30 * 60_000 },
      );
    }
  }

  async upsert(documents: readonly SearchDocument[]): Promise<void> {
    if (!documents.length) return;
    await this.ensureReady();
    const rows = documents.map((doc) => {
      const facetValues = FACET_FIELDS.map((field) => Prisma.sql`${doc.fields[field]}::text[]`);
      return Prisma.sql`(${doc.type}, ${doc.id}, ${doc.version}, ${doc.title}, ${doc.body},
        ${Prisma.join(facetValues)}, ${doc.sortAt},
        setweight(to_tsvector('simple', ${indexTerms(doc.title).join(" ")}), 'A') ||
        setweight(to_tsvector('simple', ${indexTerms(doc.body).join(" ")}), 'B') ||
        setweight(to_tsvector('simple', ${titlePairs(doc.title).join(" ")}), 'D'))`;
    });
    const columns = ["version", "title", "body", ...FACET_FIELDS.map((f) => COLUMN[f]), "sort_at", "tsv"];
    const updates = Prisma.raw(columns.map((c) => `${c} = EXCLUDED.${c}`).join(", "));
    // A document that is already what it should be is left alone: a reindex of an index that is up
    // to date writes nothing (no dead row, no index entry).
    const stored = Prisma.raw(columns.map((c) => `d.${c}`).join(", "));
    const incoming = Prisma.raw(columns.map((c) => `EXCLUDED.${c}`).join(", "));
    await this.db.$executeRaw`
      INSERT INTO search.document AS d (${Prisma.raw(STORED_COLUMNS)}) VALUES ${Prisma.join(rows)}
      ON CONFLICT (type, id) DO UPDATE SET ${updates}
      WHERE (${stored}) IS DISTINCT FROM (${incoming})`;
  }

  async remove(refs: readonly DocumentRef[]): Promise<void> {
    if (!refs.length) return;
    await this.ensureReady();
    const keys = refs.map((ref) => Prisma.sql`(${ref.type}, ${ref.id})`);
    await this.db.$executeRaw`DELETE FROM search.document WHERE (type, id) IN (${Prisma.join(keys)})`;
  }

  /** The statement search runs for a request (the benchmark times it on its own too). */
  async statement(request: SearchRequest, words: readonly QueryWord[], options: StatementOptions = {}) {
    const statistics = await this.statistics();
    const allMatches = statistics ? prefersAllMatches(statistics, request, words) : false;
    return searchStatement(request, words, { allMatches, ...options });
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    await this.ensureReady();
    const words = searchWords(request.text, request.match);
    const [found] = await this.db.$queryRaw<FoundRow[]>(await this.statement(request, words));
    const terms = highlightTerms(words);
    const hits = (found?.hits ?? []).map((row) => this.toHit(row, terms));
    const facets: FacetCounts = {};
    for (const field of request.facets) facets[field] = {};
    for (const [field, value, n] of found?.facets ?? []) {
      const counts = isFacetField(field) ? facets[field] : undefined;
      if (counts) counts[value] = n;
    }
    if (request.count === false) return { hits, total: hits.length, totalIsExact: false, facets };
    const matched = Number(found?.matched ?? 0);
    return { hits, total: Math.min(matched, COUNT_LIMIT), totalIsExact: matched <= COUNT_LIMIT, facets };
  }

  private cached: { statistics: Promise<Statistics | null>; at: number } | undefined;

  /** search.document's pg_stats, read again every STATISTICS_MAX_AGE_MS (ANALYZE and autovacuum
   * renew them); null before the table was first analysed. */
  private statistics(): Promise<Statistics | null> {
    if (!this.cached || Date.now() - this.cached.at > STATISTICS_MAX_AGE_MS) {
      // Without statistics PostgreSQL chooses, as it did before: a failure here fails no search.
      this.cached = { statistics: this.readStatistics().catch(() => null), at: Date.now() };
    }
    return this.cached.statistics;
  }

  private async readStatistics(): Promise<Statistics | null> {
    const rows = await this.db.$queryRaw<
      {
        column: string;
        elements: string[] | null;
        frequencies: number[] | null;
        values: string[] | null;
        valueFrequencies: number[] | null;
      }[]
    >`
      SELECT attname::text AS column, most_common_elems::text::text[] AS elements,
        most_common_elem_freqs::float8[] AS frequencies, most_common_vals::text::text[] AS values,
        most_common_freqs::float8[] AS "valueFrequencies"
      FROM pg_stats WHERE schemaname = 'search' AND tablename = 'document'`;
    const [table] = await this.db.$queryRaw<{ rows: number }[]>`
      SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = 'search.document'::regclass`;
    const columns = new Map<string, ColumnStatistics>();
    let types = new Map<string, number>();
    for (const row of rows) {
      if (row.column === "type" && row.values && row.valueFrequencies) {
        const frequencies = row.valueFrequencies;
        types = new Map(row.values.map((value, i) => [value, frequencies[i] ?? 0]));
      }
      if (!row.elements || !row.frequencies) continue;
      // most_common_elem_freqs ends with the minimum, the maximum and the share of empty arrays.
      const frequencies = row.frequencies;
      const minimum = frequencies[row.elements.length] ?? RARE_DEFAULT * 2;
      columns.set(row.column, {
        frequency: new Map(row.elements.map((element, i) => [element, frequencies[i] ?? 0])),
        rare: Math.min(RARE_DEFAULT, minimum / 2),
      });
    }
    if (!table || table.rows <= 0 || !columns.has("tsv") || !types.size) return null;
    return { rows: table.rows, columns, types };
  }

  private toHit(row: HitRow, terms: string[]): SearchHit {
    const { snippet, highlights } = makeSnippet(row.body, terms);
    return {
      type: row.type,
      id: row.id,
      title: row.title,
      snippet,
      score: row.score,
      titleHighlights: findHighlights(row.title, terms),
      snippetHighlights: highlights,
    };
  }

  async ids(type: SearchType): Promise<string[]> {
    await this.ensureReady();
    const rows = await this.db.$queryRaw<
      { id: string }[]
    >`SELECT id FROM search.document WHERE type = ${type}`;
    return rows.map((row) => row.id);
  }

  async healthy(): Promise<boolean> {
    try {
      await this.ensureReady();
      await this.db.$queryRaw`SELECT 1 FROM search.document LIMIT 1`;
      return true;
    } catch {
      return false;
    }
  }
}
