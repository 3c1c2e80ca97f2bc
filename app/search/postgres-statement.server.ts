import { Prisma } from "@prisma/client";
import {
  FACET_FIELDS,
  type FacetField,
  SEARCH_TYPES,
  type SearchBoost,
  type SearchRequest,
  type SearchType,
} from "./engine";
import { COLUMN, COUNT_LIMIT, statementBounds } from "./postgres-document";
import { characterPairs, hanRuns, indexTerms, type QueryWord, searchWords } from "./segmenter.server";

// The PostgreSQL engine's one statement per search: the to_tsquery text of the query words, the
// conditions a document must meet, and the statement that ranks and counts a bounded set of the
// newest matches (the engine, postgres-engine.server.ts, runs it).

/** In an "any" query, how much ts_rank adds to the share of words matched: less than one word of a
 * query of eight, so it orders documents that matched as much of the query, never more. */
const ANY_RANK_SHARE = 0.1;

const column = (field: FacetField) => Prisma.raw(`d.${COLUMN[field]}`);

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

export type HitRow = { type: SearchType; id: string; title: string; body: string; score: number };
/** searchStatement's one row: how many matches it saw (up to the bound), the page of hits, and
 * [field, value, count] per facet value. */
export type FoundRow = {
  matched: bigint | null;
  hits: HitRow[] | null;
  facets: [string, string, number][] | null;
};
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
  const { candidates, bound } = statementBounds(request);
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
