import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { db, disconnectDb } from "~/lib/db.server";
import { freePort, spawnProcess, stopProcess, waitUntilListening } from "../setup/processes";
import { int, num, type Stats, stats, table } from "./measure";

// npm run bench: throughput and latency of the built app on loopback, measured with autocannon,
// against a bare Node HTTP server returning the same bytes in the same run (the ratio is what to
// compare across machines). The app (scripts/serve.ts) and the baseline each run in a process of
// their own, so the load generator does not share their event loop. Uses the database in
// DATABASE_URL as it is (scripts/bench.sh prepares one with the demo data).

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 200);
const CONNECTIONS = Number(process.env.BENCH_CONCURRENCY ?? 16);

type Figures = { rps: number; latency: Stats; failures: number };

/** `amount` requests over `CONNECTIONS` keep-alive connections. Latencies are kept per response so
 * the percentiles are exact (autocannon's summary has no p95), and the rate is timed here: with
 * `amount` autocannon rounds its duration up to a whole sampling interval (1 s), which caps a fast
 * server's figure at `amount` per second. */
function load(url: string, amount: number): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const started = performance.now();
    let lastAnswer = started;
    const instance = autocannon(
      { url, connections: CONNECTIONS, amount, timeout: 30 },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error);
        resolve({
          rps: (times.length * 1000) / (lastAnswer - started),
          latency: stats(times),
          failures: result.non2xx + result.errors,
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, ms) => {
      times.push(ms);
      lastAnswer = performance.now();
    });
  });
}

/** A process of ours on a free port, once it answers `probe`. */
async function listening(
  script: "scripts/serve.ts" | "tests/bench/bare-server.ts",
  probe: string,
  args: string[] = [],
) {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const proc = spawnProcess(script, { PORT: String(port), LOG_LEVEL: "warn" }, args);
  await waitUntilListening(proc, origin + probe);
  return { proc, origin };
}

// The activity detail page needs an activity of the demo data.
const activity = await db().activity.findFirst({
  where: { status: "PUBLISHED" },
  orderBy: { startsAt: "asc" },
  select: { id: true },
});
await disconnectDb();
if (!activity) throw new Error("no published activity: seed the benchmark database first");

const targets = [
  { name: "home page (SSR)", path: "/" },
  { name: "services page (SSR)", path: "/services" },
  { name: "GET /api/v1/search?q=助餐", path: `/api/v1/search?q=${encodeURIComponent("助餐")}` },
  { name: "activity detail (SSR)", path: `/activities/${activity.id}` },
];

const { proc: app, origin } = await listening("scripts/serve.ts", "/healthz");

// The bytes of each answer, for the baseline to send back.
const dir = await mkdtemp(path.join(os.tmpdir(), "sanshe-bench-"));
const manifest: Record<string, { file: string; contentType: string }> = {};
for (const [i, target] of targets.entries()) {
  const res = await fetch(origin + target.path);
  if (res.status !== 200) throw new Error(`${target.path} answered ${res.status}`);
  const file = path.join(dir, `answer-${i}`);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  manifest[target.path] = {
    file,
    contentType: res.headers.get("content-type") ?? "application/octet-stream",
  };
}
const manifestFile = path.join(dir, "manifest.json");
await writeFile(manifestFile, JSON.stringify(manifest));
const bare = await listening("tests/bench/bare-server.ts", "/", [manifestFile]);

console.log(
  `autocannon, ${int(REQUESTS)} requests per endpoint after ${WARM_UP} to warm up, ${CONNECTIONS} connections, ` +
    `loopback; load average ${os
      .loadavg()
      .map((n) => num(n, 2))
      .join(" ")}\n`,
);
const rows: (string | number)[][] = [];
try {
  for (const target of targets) {
    await load(origin + target.path, WARM_UP); // JIT, connection pools, caches
    const measured = await load(origin + target.path, REQUESTS);
    await load(bare.origin + target.path, WARM_UP);
    const baseline = await load(bare.origin + target.path, REQUESTS);
    rows.push([
      target.name,
      num(measured.rps, 0),
      num(measured.latency.p50),
      num(measured.latency.p95),
      num(measured.latency.p99),
      `${num(measured.rps / baseline.rps, 3)}× of ${int(baseline.rps)}`,
      measured.failures,
    ]);
  }
} finally {
  await Promise.all([stopProcess(app), stopProcess(bare.proc)]);
  await rm(dir, { recursive: true, force: true });
}
table(["endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "vs bare Node (req/s)", "non-2xx"], rows);
console.log(
  `load average after: ${os
    .loadavg()
    .map((n) => num(n, 2))
    .join(" ")}`,
);
