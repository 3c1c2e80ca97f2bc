import { setMaxListeners } from "node:events";
import { createServer } from "node:http";
import { availableParallelism, loadavg } from "node:os";
import { Prisma } from "@prisma/client";
import pg from "pg";
import { rankedNeedSelect, rankServicesForNeed } from "~/domain/matching/suggestions.server";
import { recordOutbox } from "~/domain/outbox.server";
import { createExpressApp } from "~/http/express.server";
import { loadServerBuild } from "~/http/load-build.server";
import { db, disconnectDb } from "~/lib/db.server";
import { sharedEnv } from "~/lib/env.server";
import { disconnectRedis } from "~/lib/redis.server";
import { runOutboxRelay } from "~/outbox/relay.server";
import type { SearchRequest } from "~/search/engine";
import { PostgresSearchEngine } from "~/search/postgres-engine.server";
import { matchCondition, type StatementOptions } from "~/search/postgres-statement.server";
import { reindex } from "~/search/reindex.server";
import { searchWords } from "~/search/segmenter.server";
import { countDocuments, generateCorpus, planCorpus, prng, resetCorpus } from "./corpus";
import { int, listen, type Stats, stats } from "./measure";
import { type BenchQuery, buildQueries, engineRequest } from "./search-queries";

// npm run bench, second part: search and matching at 10k and 100k documents (tests/bench/corpus.ts
// generates them). For each size: reindex throughput; ~200 realistic queries through the API
// (sequential and 8 at a time), through the engine in-process, and as the engine's own SQL sent
// straight to PostgreSQL in the same run (API ÷ SQL is our overhead); rankServicesForNeed for 200 open
// needs; and the outbox-to-searchable lag with the relay running in-process. Uses the database in
// DATABASE_URL (scripts/bench.sh prepares sanshe_bench_search with the demo data) and replaces any
// corpus an earlier run left there.

/** BENCH_DOCS=1000000: one size, a million documents (the city-scale run of #16). */
const SIZES = (process.env.BENCH_DOCS ?? process.env.BENCH_SEARCH_SIZES ?? "10000,100000")
  .split(",")
  .map((s) => Number(s.trim().replaceAll("_", "")))
  .filter((n) => Number.isFinite(n) && n > 0);
const MATCH_NEEDS = Number(process.env.BENCH_MATCH_NEEDS ?? 200);
const LAG_UPDATES = Number(process.env.BENCH_LAG_UPDATES ?? 200);
const CONCURRENCY = 8;
/** Documents generated per call of generateCorpus. */
const GENERATE_SLICE = 100_000;
const ROUNDS = Number(process.env.BENCH_SEARCH_ROUNDS ?? 2);
/** BENCH_PHASE=prepare generates and indexes the corpus and stops; BENCH_PHASE=measure measures the
 * corpus a prepare run left (no reset, no generation, no reindex). A million documents take an hour
 * to prepare but ten minutes to measure, so the measuring can wait for a quiet machine.
 * BENCH_PHASE=generate only generates: `npm run reindex` then indexes it as an operator would. */
const PHASE = process.env.BENCH_PHASE ?? "all";
/** p95 targets: up to 100k documents (ADR 0010), and at a million (#16). */
const targetsFor = (size: number) =>
  size >= 1_000_000
    ? { searchP95: 100, matchP95: 150, lagP95: 1000 }
    : { searchP95: 50, matchP95: 100, lagP95: 1000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (n: number) => n.toFixed(1).padStart(8);

function apiPath(query: BenchQuery) {
  const params = new URLSearchParams({ q: query.q, type: query.type });
  for (const key of ["category", "communityId", "subdistrictId"] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  return `/api/v1/search?${params}`;
}

// The engine's own statement (the one PostgresSearchEngine.search runs, with the scan it chooses), sent
// with node-postgres so that neither Prisma nor the segmenter's time counts.

async function engineSql(
  engine: PostgresSearchEngine,
  request: SearchRequest,
  options: StatementOptions = {},
) {
  const words = searchWords(request.text, request.match);
  const where = matchCondition(request, words, options);
  return {
    search: await engine.statement(request, words, options),
    /** Untimed: how many documents really match, to sort queries by kind. */
    matches: Prisma.sql`SELECT count(*) AS n FROM search.document d WHERE ${where}`,
  };
}

// Measurements.

/** Runs `task` once per item, `concurrency` at a time, and returns each run's milliseconds. */
async function timeAll<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const t0 = performance.now();
        await task(item);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { ...stats(latencies), perSecond: items.length / ((performance.now() - started) / 1000) };
}

type Timed = {
  query: BenchQuery;
  api: number;
  engine: number;
  sql: number;
  sqlBefore: number;
  total: number;
};
type SearchFigures = {
  apiSequential: Stats;
  apiConcurrent: Stats & { perSecond: number };
  engine: Stats;
  sql: Stats;
  /** The same statements without the title character pairs (sub-word search), as before #16. */
  sqlBefore: Stats;
  /** Per query: API ÷ SQL and API − SQL, medians (robust to other load, unlike a ratio of percentiles). */
  overheadRatio: number;
  overheadMs: number;
  medianTotal: number;
  byLabel: { label: string; api: Stats; medianTotal: number }[];
  slowest: Timed[];
};

/** Each query through the three layers one after the other (so that a busy moment of the machine
 * weighs on all three alike), ROUNDS times; then the API again, 8 at a time. */
async function measureSearch(
  origin: string,
  engine: PostgresSearchEngine,
  queries: BenchQuery[],
  pool: pg.Pool,
): Promise<SearchFigures> {
  let failures = 0;
  const api = async (query: BenchQuery) => {
    const response = await fetch(origin + apiPath(query));
    await response.arrayBuffer();
    if (response.status !== 200) failures += 1;
  };
  // Warm-up: JIT, connection pools, the segmenter's dictionary, PostgreSQL's caches.
  await timeAll(queries, CONCURRENCY, api);

  const timed: Timed[] = [];
  const client = await pool.connect();
  try {
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const query of queries) {
        let t0 = performance.now();
        await api(query);
        const apiMs = performance.now() - t0;
        t0 = performance.now();
        await engine.search(engineRequest(query));
        const engineMs = performance.now() - t0;
        const { search, matches } = await engineSql(engine, engineRequest(query));
        t0 = performance.now();
        await client.query(search.text, search.values);
        const sqlMs = performance.now() - t0;
        const before = (await engineSql(engine, engineRequest(query), { subwords: false })).search;
        t0 = performance.now();
        await client.query(before.text, before.values);
        const sqlBeforeMs = performance.now() - t0;
        const all = await client.query<{ n: string }>(matches.text, matches.values);
        const total = Number(all.rows[0]?.n ?? 0);
        timed.push({ query, api: apiMs, engine: engineMs, sql: sqlMs, sqlBefore: sqlBeforeMs, total });
      }
    }
  } finally {
    client.release();
  }
  const apiConcurrent = await timeAll(queries, CONCURRENCY, api);
  if (failures) console.log(`  warning: ${failures} API searches did not answer 200`);

  const labels = [...new Set(queries.map((q) => q.label))];
  return {
    apiSequential: stats(timed.map((t) => t.api)),
    apiConcurrent,
    engine: stats(timed.map((t) => t.engine)),
    sql: stats(timed.map((t) => t.sql)),
    sqlBefore: stats(timed.map((t) => t.sqlBefore)),
    overheadRatio: stats(timed.map((t) => t.api / Math.max(t.sql, 0.001))).p50,
    overheadMs: stats(timed.map((t) => t.api - t.sql)).p50,
    medianTotal: stats(timed.map((t) => t.total)).p50,
    byLabel: labels.map((label) => {
      const mine = timed.filter((t) => t.query.label === label);
      return { label, api: stats(mine.map((t) => t.api)), medianTotal: stats(mine.map((t) => t.total)).p50 };
    }),
    slowest: [...timed].sort((a, b) => b.sql - a.sql).slice(0, 5),
  };
}

async function measureMatching(engine: PostgresSearchEngine) {
  const ids = await db().$queryRaw<{ id: string }[]>`
    SELECT id FROM "Need" WHERE status = 'OPEN' ORDER BY md5(id) LIMIT ${MATCH_NEEDS}`;
  const needs = await db().need.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    select: rankedNeedSelect,
  });
  let suggestions = 0;
  for (const need of needs.slice(0, 10)) await rankServicesForNeed(need, 10, engine); // warm-up
  const times = await timeAll(needs, 1, async (need) => {
    suggestions += (await rankServicesForNeed(need, 10, engine)).length;
  });
  return { ...times, averageSuggestions: needs.length ? suggestions / needs.length : 0 };
}

/** Updates a service's title in a transaction with its outbox row, as the domain does, then polls the
 * engine every 20 ms until the new title is found: the time from commit to the first hit. */
async function measureLag(engine: PostgresSearchEngine, size: number) {
  const services = await db().$queryRaw<{ id: string; title: string }[]>`
    SELECT s.id, s.title FROM "Service" s JOIN "Provider" p ON p.id = s."providerId"
    WHERE s.id LIKE 'bx%' AND s.status = 'PUBLISHED' AND p.status = 'APPROVED'
    ORDER BY md5(s.id || ${String(size)}) LIMIT ${LAG_UPDATES}`;
  const random = prng(size);
  // Tokens of their own each run: a run on a corpus an earlier one measured would otherwise find the
  // earlier run's tokens already indexed (a lag of 2 ms).
  const tokens = prng(Date.now() % 2_147_483_647);
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const controller = new AbortController();
  // runOutboxRelay adds an abort listener per idle pause and never removes it (see the report).
  setMaxListeners(0, controller.signal);
  const relay = runOutboxRelay(engine, { idleMs: 250, signal: controller.signal });
  const lags: number[] = [];
  let timeouts = 0;
  try {
    for (const service of services) {
      // Changes arrive at any moment of the relay's cycle, not just after it has drained.
      await sleep(random.int(0, 300));
      const token = `lag${Array.from({ length: 10 }, () => tokens.pick([...letters])).join("")}`;
      await db().$transaction(async (tx) => {
        const { version } = await tx.service.update({
          where: { id: service.id },
          data: { title: `${service.title} ${token}`, version: { increment: 1 } },
          select: { version: true },
        });
        await recordOutbox(tx, "Service", service.id, version);
      });
      const committed = performance.now();
      for (;;) {
        const found = await engine.search({
          type: "service",
          text: token,
          match: "all",
          filters: {},
          facets: [],
          offset: 0,
          limit: 1,
        });
        if (found.hits.length) {
          lags.push(performance.now() - committed);
          break;
        }
        if (performance.now() - committed > 10_000) {
          timeouts += 1;
          lags.push(performance.now() - committed);
          break;
        }
        await sleep(20);
      }
    }
  } finally {
    controller.abort();
    await relay;
  }
  return { ...stats(lags), timeouts };
}

// The run.

if (sharedEnv().SEARCH_ENGINE !== "postgres") {
  console.error(
    "tests/bench/search.ts measures the PostgreSQL engine: unset MEILI_URL or set SEARCH_ENGINE=postgres.",
  );
  process.exit(1);
}
const prisma = db();
const engine = new PostgresSearchEngine(prisma);
const pool = new pg.Pool({ connectionString: sharedEnv().DATABASE_URL, max: 2 });
const build = await loadServerBuild();
const app = createServer(createExpressApp({ build, trustProxy: false }));
const origin = await listen(app);

const runStarted = performance.now();
// Other work on the machine skews every figure: say how busy it was.
const load = () => `load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`;
console.log(
  `\nsearch and matching benchmark: sizes ${SIZES.map(int).join(", ")} documents, PostgreSQL engine (${load()})`,
);
await engine.ensureReady();
let started = performance.now();
if (PHASE !== "measure") {
  await resetCorpus(prisma);
  console.log(`removed an earlier run's corpus in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

type SizeFigures = {
  size: number;
  documents: number;
  search: SearchFigures;
  matching: Awaited<ReturnType<typeof measureMatching>>;
  lag: Awaited<ReturnType<typeof measureLag>>;
  reindexPerSecond: number;
};
/** Queries, matching and lag over the corpus in the database: the figures of one size. */
async function measureSize(size: number, documents: number, reindexPerSecond: number): Promise<SizeFigures> {
  const territory = await prisma.community.findMany({
    orderBy: { id: "asc" },
    select: { id: true, subdistrictId: true },
  });
  const queries = buildQueries(territory);
  const search = await measureSearch(origin, engine, queries, pool);
  const matching = await measureMatching(engine);
  const lag = await measureLag(engine, size);
  const ratio = (a: Stats, b: Stats, key: "p50" | "p95" | "p99") =>
    `${(a[key] / Math.max(b[key], 0.001)).toFixed(1)}×`.padStart(8);

  console.log(
    `\n${queries.length} queries × ${ROUNDS} (median ${int(search.medianTotal)} matches)`.padEnd(48) +
      "  p50 ms  p95 ms  p99 ms  max ms",
  );
  const row = (name: string, s: Stats, extra = "") =>
    console.log(`${name.padEnd(48)}${ms(s.p50)}${ms(s.p95)}${ms(s.p99)}${ms(s.max)}${extra}`);
  row("search GET /api/v1/search, sequential", search.apiSequential);
  row(
    `search GET /api/v1/search, ${CONCURRENCY} concurrent`,
    search.apiConcurrent,
    `  ${search.apiConcurrent.perSecond.toFixed(0)} req/s`,
  );
  row("search engine.search() in-process", search.engine);
  row("search raw SQL: hits, total and facets", search.sql);
  row(
    "  the same without sub-words (before #16)",
    search.sqlBefore,
    `  p95 ${((search.sql.p95 / Math.max(search.sqlBefore.p95, 0.001) - 1) * 100).toFixed(0)}% higher with them`,
  );
  console.log(
    `${"API (sequential) ÷ raw SQL".padEnd(48)}${ratio(search.apiSequential, search.sql, "p50")}` +
      `${ratio(search.apiSequential, search.sql, "p95")}${ratio(search.apiSequential, search.sql, "p99")}` +
      `  per query: median ${search.overheadRatio.toFixed(1)}×, +${search.overheadMs.toFixed(1)} ms`,
  );
  row(
    `matching rankServicesForNeed, ${matching.n} open needs`,
    matching,
    `  ${matching.averageSuggestions.toFixed(1)} suggestions on average`,
  );
  row(`outbox → searchable lag, ${lag.n} updates`, lag, lag.timeouts ? `  ${lag.timeouts} over 10 s` : "");
  console.log("search API by kind of query (sequential):");
  for (const { label, api, medianTotal } of search.byLabel) {
    row(`  ${label} (${api.n / ROUNDS}, median ${int(medianTotal)} matches)`, api);
  }
  console.log("slowest queries as raw SQL:");
  for (const slow of search.slowest) {
    const filters = [
      slow.query.category,
      slow.query.communityId && "community",
      slow.query.subdistrictId && "subdistrict",
    ]
      .filter(Boolean)
      .join(", ");
    console.log(
      `  ${slow.sql.toFixed(1).padStart(7)} ms  ` +
        `${slow.query.type} "${slow.query.q}"${filters ? ` [${filters}]` : ""} → ${int(slow.total)} matches`,
    );
  }
  return { size, documents, search, matching, lag, reindexPerSecond };
}

const results: SizeFigures[] = [];
let batch = 1;
for (const size of SIZES) {
  const before = await countDocuments(prisma);
  if (PHASE === "measure") {
    const documents = before;
    if (documents < size * 0.9) {
      console.log(
        `\n${int(size)} documents: the database holds ${int(documents)}; run BENCH_PHASE=prepare first`,
      );
      continue;
    }
    console.log(`\n━━ ${int(size)} documents ━━ (measuring the prepared corpus: ${int(documents)})`);
    results.push(await measureSize(size, documents, Number.NaN));
    continue;
  }
  if (before >= size) {
    console.log(
      `\n${int(size)} documents: the database already holds ${int(before)}; skipped (sizes must grow)`,
    );
    continue;
  }
  started = performance.now();
  // In slices, so that a million documents never sit in memory at once; each slice has its own ids.
  const added = { providers: 0, services: 0, needs: 0, residents: 0 };
  for (let missing = size - before; missing > 0; missing -= GENERATE_SLICE) {
    const slice = await generateCorpus(prisma, planCorpus(Math.min(missing, GENERATE_SLICE)), batch);
    batch += 1;
    for (const key of Object.keys(added) as (keyof typeof added)[]) added[key] += slice[key];
  }
  const generatedIn = (performance.now() - started) / 1000;
  await prisma.$executeRawUnsafe(
    `ANALYZE "Provider", "ProviderCommunity", "Service", "ServiceCommunity", "Need", "User"`,
  );
  const documents = await countDocuments(prisma);
  if (PHASE === "generate") {
    console.log(
      `\n${int(size)} documents: generated ${int(documents)} rows in ${generatedIn.toFixed(1)} s; not indexed`,
    );
    continue;
  }

  started = performance.now();
  const report = await reindex(engine);
  const reindexSeconds = (performance.now() - started) / 1000;
  // What autovacuum does shortly after a bulk load: merge the GIN pending list, refresh statistics.
  await prisma.$executeRawUnsafe("VACUUM ANALYZE search.document");
  const indexed = report.service.indexed + report.need.indexed + report.provider.indexed;
  const [sizes] = await prisma.$queryRaw<{ table: bigint; indexes: bigint }[]>`
    SELECT pg_table_size('search.document') AS "table", pg_indexes_size('search.document') AS indexes`;
  const mb = (bytes: bigint | undefined) => `${int(Number(bytes ?? 0n) / 1024 / 1024)} MB`;

  console.log(
    `\n━━ ${int(size)} documents ━━ (providers + services + needs in PostgreSQL: ${int(documents)})`,
  );
  console.log(
    `corpus   +${int(added.providers)} providers, +${int(added.services)} services, +${int(added.needs)} needs, ` +
      `+${int(added.residents)} residents in ${generatedIn.toFixed(1)} s`,
  );
  console.log(
    `reindex  ${int(documents)} checked, ${int(indexed)} indexed (${int(report.service.indexed)} services, ` +
      `${int(report.need.indexed)} needs, ${int(report.provider.indexed)} providers) in ${reindexSeconds.toFixed(1)} s ` +
      `= ${int(documents / reindexSeconds)} documents/s`,
  );
  console.log(`index    search.document ${mb(sizes?.table)} (with TOAST), its indexes ${mb(sizes?.indexes)}`);

  if (PHASE === "prepare") continue;
  results.push(await measureSize(size, documents, documents / reindexSeconds));
}

const verdict = (value: number, target: number) =>
  `${value.toFixed(1)} ms ${value <= target ? "✓ met" : "✗ NOT met"}`;
console.log("\ntargets (p95)".padEnd(20) + results.map((r) => `${int(r.size)} docs`.padStart(24)).join(""));
for (const [name, pick, target] of [
  ["search", (r: SizeFigures) => r.search.apiSequential.p95, "searchP95"],
  ["matching", (r: SizeFigures) => r.matching.p95, "matchP95"],
  ["lag", (r: SizeFigures) => r.lag.p95, "lagP95"],
] as const) {
  console.log(
    name.padEnd(20) +
      results
        .map((r) =>
          `${verdict(pick(r), targetsFor(r.size)[target])} (≤ ${targetsFor(r.size)[target]})`.padStart(32),
        )
        .join(""),
  );
}
console.log(
  `(search: the API, sequential; whole run ${((performance.now() - runStarted) / 60_000).toFixed(1)} min; ${load()} at the end)`,
);

app.close();
await pool.end();
await Promise.allSettled([disconnectDb(), disconnectRedis()]);
