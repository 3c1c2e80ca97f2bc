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
import { FACET_FIELDS, SEARCH_TYPES } from "./engine";
import { findHighlights, makeSnippet } from "./highlight";
import { COLUMN, COUNT_LIMIT } from "./postgres-document";
import {
  type FoundRow,
  type HitRow,
  type StatementOptions,
  searchStatement,
} from "./postgres-statement.server";
import { DocumentStatistics, prefersAllMatches } from "./postgres-statistics.server";
import { highlightTerms, indexTerms, type QueryWord, searchWords, titlePairs } from "./segmenter.server";

// The embedded engine: documents in a table of their own schema (`search`, outside Prisma's
// migrations: the engine owns its storage as Meilisearch owns its index), a tsvector over
// jieba-segmented terms with the `simple` configuration, GIN indexes, and one statement per search
// that ranks (ts_rank_cd) and counts a bounded set of the newest matches. This module owns the table
// (its layout, upgrades, indexes and writes); the statement is built in postgres-statement.server.ts,
// the choice of scan is estimated from pg_stats in postgres-statistics.server.ts, and what both share
// about the table (facet columns, bounds) is postgres-document.ts.

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

const isFacetField = (field: string): field is FacetField =>
  (FACET_FIELDS as readonly string[]).includes(field);

export class PostgresSearchEngine implements SearchEngine {
  readonly name = "postgres" as const;
  private ready: Promise<void> | undefined;

  /** pg_stats of the table, for the choice of scan (prefersAllMatches). */
  private readonly statistics: DocumentStatistics;

  constructor(private readonly db: PrismaClient) {
    this.statistics = new DocumentStatistics(db);
  }

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
    const statistics = await this.statistics.current();
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
