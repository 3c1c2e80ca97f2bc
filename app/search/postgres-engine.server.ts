import { Prisma, type PrismaClient } from "@prisma/client";
import type {
  DocumentRef,
  FacetCounts,
  FacetField,
  SearchDocument,
  SearchEngine,
  SearchHit,
  SearchRequest,
  SearchResponse,
  SearchType,
} from "./engine";
import { FACET_FIELDS } from "./engine";
import { findHighlights, makeSnippet } from "./highlight";
import { highlightTerms, indexTerms, type QueryWord, searchWords } from "./segmenter.server";

// The embedded engine: documents in a table of their own schema (`search`, outside Prisma's
// migrations: the engine owns its storage as Meilisearch owns its index), a tsvector over
// jieba-segmented terms with the `simple` configuration, a GIN index, and ts_rank_cd ranking over a
// bounded candidate set.

/** How many text matches are ranked at most; beyond it the newest matches are ranked. Keeps a query
 * for a very common word fast at 100k documents. */
export const CANDIDATE_LIMIT = 2000;
/** Totals and facets are exact up to this many matches; beyond, they describe the newest ones and the
 * total is a lower bound. Counting 55,000 matches of 服务 exactly cost 750 ms at 100k documents. */
export const COUNT_LIMIT = 2000;

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

const SCHEMA_SQL = [
  "CREATE SCHEMA IF NOT EXISTS search",
  `CREATE TABLE IF NOT EXISTS search.document (
    type text NOT NULL,
    id text NOT NULL,
    version integer NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    title_terms text NOT NULL,
    body_terms text NOT NULL,
    ${FACET_FIELDS.map((field) => `${COLUMN[field]} text[] NOT NULL DEFAULT '{}'`).join(",\n    ")},
    sort_at timestamptz NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', body_terms), 'B')
    ) STORED,
    PRIMARY KEY (type, id)
  )`,
  "CREATE INDEX IF NOT EXISTS document_tsv_idx ON search.document USING gin (tsv)",
  "CREATE INDEX IF NOT EXISTS document_type_sort_idx ON search.document (type, sort_at DESC)",
  "CREATE INDEX IF NOT EXISTS document_community_idx ON search.document USING gin (community_id)",
];

/** to_tsquery text for the query words: every word (all) or any word (any); a word matches as a
 * whole, through all of its parts, or through one of its synonyms. Words hold letters and digits only
 * (the segmenter's cleaning), and so do the synonyms once cleaned the same way. */
export function tsQuery(words: readonly QueryWord[], match: "all" | "any"): string {
  const quote = (w: string) => `'${w}'`;
  const clauses = words.map(({ word, parts, synonyms }) => {
    const ways = [quote(word)];
    if (parts.length) ways.push(`(${parts.map(quote).join(" & ")})`);
    for (const synonym of synonyms) {
      const terms = indexTerms(synonym);
      if (terms.length) ways.push(`(${[...new Set(terms)].map(quote).join(" & ")})`);
    }
    return ways.length > 1 ? `(${ways.join(" | ")})` : ways[0];
  });
  return clauses.join(match === "all" ? " & " : " | ");
}

/** Filter values PostgreSQL can compare. One holding a lone surrogate (which Prisma cannot serialise)
 * or a NUL (which text cannot hold) equals no stored value, so it is left out instead of failing. */
const comparable = (values: readonly string[]) =>
  values.filter((value) => !value.includes("\u0000") && !/\p{Cs}/u.test(value));

type HitRow = { type: SearchType; id: string; title: string; body: string; score: number };
type CountRow = { field: string; value: string; n: bigint };
const isFacetField = (field: string): field is FacetField =>
  (FACET_FIELDS as readonly string[]).includes(field);

export class PostgresSearchEngine implements SearchEngine {
  readonly name = "postgres" as const;
  private ready: Promise<void> | undefined;

  constructor(private readonly db: PrismaClient) {}

  ensureReady(): Promise<void> {
    this.ready ??= this.db
      .$transaction(async (tx) => {
        // Two processes starting at once would race on CREATE … IF NOT EXISTS.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('sanshe.search.schema'))`;
        for (const statement of SCHEMA_SQL) await tx.$executeRawUnsafe(statement);
      })
      .catch((error: unknown) => {
        this.ready = undefined;
        throw error;
      });
    return this.ready;
  }

  async upsert(documents: readonly SearchDocument[]): Promise<void> {
    if (!documents.length) return;
    await this.ensureReady();
    const rows = documents.map((doc) => {
      const facetValues = FACET_FIELDS.map((field) => Prisma.sql`${doc.fields[field]}::text[]`);
      return Prisma.sql`(${doc.type}, ${doc.id}, ${doc.version}, ${doc.title}, ${doc.body},
        ${indexTerms(doc.title).join(" ")}, ${indexTerms(doc.body).join(" ")},
        ${Prisma.join(facetValues)}, ${doc.sortAt})`;
    });
    const columns = Prisma.raw(FACET_FIELDS.map((field) => COLUMN[field]).join(", "));
    const updates = Prisma.raw(
      [
        "version",
        "title",
        "body",
        "title_terms",
        "body_terms",
        ...FACET_FIELDS.map((f) => COLUMN[f]),
        "sort_at",
      ]
        .map((c) => `${c} = EXCLUDED.${c}`)
        .join(", "),
    );
    await this.db.$executeRaw`
      INSERT INTO search.document (type, id, version, title, body, title_terms, body_terms, ${columns}, sort_at)
      VALUES ${Prisma.join(rows)}
      ON CONFLICT (type, id) DO UPDATE SET ${updates}`;
  }

  async remove(refs: readonly DocumentRef[]): Promise<void> {
    if (!refs.length) return;
    await this.ensureReady();
    const keys = refs.map((ref) => Prisma.sql`(${ref.type}, ${ref.id})`);
    await this.db.$executeRaw`DELETE FROM search.document WHERE (type, id) IN (${Prisma.join(keys)})`;
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    await this.ensureReady();
    const words = searchWords(request.text, request.match);
    const conditions = [Prisma.sql`d.type = ${request.type}`];
    for (const field of FACET_FIELDS) {
      const wanted = request.filters[field];
      if (wanted) conditions.push(Prisma.sql`${column(field)} && ${comparable(wanted)}::text[]`);
    }
    const query = words.length ? tsQuery(words, request.match) : null;
    if (query) conditions.push(Prisma.sql`d.tsv @@ to_tsquery('simple', ${query})`);
    const where = Prisma.join(conditions, " AND ");

    // Cover density rewards words close together, which is what a typed query means; a need's long
    // text as "any word" has no such order, and ts_rank is several times cheaper on it.
    const rank = Prisma.raw(request.match === "any" ? "ts_rank" : "ts_rank_cd");
    const hits = query
      ? await this.db.$queryRaw<HitRow[]>`
          WITH candidates AS (
            SELECT d.type, d.id, d.title, d.body, d.tsv, d.sort_at FROM search.document d
            WHERE ${where} ORDER BY d.sort_at DESC LIMIT ${CANDIDATE_LIMIT}
          )
          SELECT type, id, title, body, ${rank}(tsv, to_tsquery('simple', ${query}))::float8 AS score
          FROM candidates ORDER BY score DESC, sort_at DESC, id
          LIMIT ${request.limit} OFFSET ${request.offset}`
      : await this.db.$queryRaw<HitRow[]>`
          SELECT d.type, d.id, d.title, d.body, 0::float8 AS score FROM search.document d
          WHERE ${where} ORDER BY d.sort_at DESC, d.id LIMIT ${request.limit} OFFSET ${request.offset}`;

    const terms = highlightTerms(words);
    const result = (total: number, totalIsExact: boolean, facets: FacetCounts): SearchResponse => {
      for (const field of request.facets) facets[field] ??= {};
      return { total, totalIsExact, facets, hits: hits.map((row) => this.toHit(row, terms)) };
    };
    if (request.count === false) return result(hits.length, false, {});

    const [bounded] = await this.db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (SELECT 1 FROM search.document d WHERE ${where} LIMIT ${COUNT_LIMIT + 1}) m`;
    const exact = Number(bounded?.n ?? 0) <= COUNT_LIMIT;
    // The total and every facet in one pass over the matches (the newest COUNT_LIMIT when there are
    // more): each match yields a '_total' row and a row per facet value, all counted by one GROUP BY.
    const matched = exact
      ? Prisma.sql`(SELECT * FROM search.document d WHERE ${where}) d`
      : Prisma.sql`(SELECT * FROM search.document d WHERE ${where} ORDER BY d.sort_at DESC LIMIT ${COUNT_LIMIT}) d`;
    const facetValues = request.facets.map(
      (field) => Prisma.sql`UNION ALL SELECT ${field}, unnest(${column(field)})`,
    );
    const counted = await this.db.$queryRaw<CountRow[]>`
      SELECT f.field, f.value, count(*) AS n FROM ${matched}
      CROSS JOIN LATERAL (SELECT '_total'::text AS field, ''::text AS value
        ${facetValues.length ? Prisma.join(facetValues, " ") : Prisma.empty}) f
      GROUP BY f.field, f.value`;

    let total = 0;
    const facets: FacetCounts = {};
    for (const row of counted) {
      if (!isFacetField(row.field)) {
        total = Number(row.n);
        continue;
      }
      const counts = facets[row.field] ?? {};
      counts[row.value] = Number(row.n);
      facets[row.field] = counts;
    }
    return result(total, exact, facets);
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
