import type { PrismaClient } from "@prisma/client";
import { FACET_FIELDS, type SearchRequest } from "./engine";
import { COLUMN, statementBounds } from "./postgres-document";
import { indexTerms, type QueryWord } from "./segmenter.server";

// The PostgreSQL engine's own estimate of how many documents a query matches, from PostgreSQL's
// statistics of search.document (pg_stats): it decides whether a statement asks for every match
// (ADR 0023; StatementOptions in postgres-statement.server.ts says why).

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
  return statementBounds(request).bound / matched > 4 * statistics.rows * typeShare * matched;
}

/** search.document's statistics as the engine last read them. */
export class DocumentStatistics {
  private cached: { statistics: Promise<Statistics | null>; at: number } | undefined;

  constructor(private readonly db: PrismaClient) {}

  /** search.document's pg_stats, read again every STATISTICS_MAX_AGE_MS (ANALYZE and autovacuum
   * renew them); null before the table was first analysed. */
  current(): Promise<Statistics | null> {
    if (!this.cached || Date.now() - this.cached.at > STATISTICS_MAX_AGE_MS) {
      // Without statistics PostgreSQL chooses, as it did before: a failure here fails no search.
      this.cached = { statistics: this.read().catch(() => null), at: Date.now() };
    }
    return this.cached.statistics;
  }

  private async read(): Promise<Statistics | null> {
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
}
