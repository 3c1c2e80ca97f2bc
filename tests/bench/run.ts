import { createServer } from "node:http";
import { createExpressApp } from "~/http/express.server";
import { loadServerBuild } from "~/http/load-build.server";
import { disconnectDb } from "~/lib/db.server";
import { disconnectRedis } from "~/lib/redis.server";

// npm run bench: request latency and throughput of the built app on loopback, against a bare Node
// HTTP server returning the same bytes in the same run (the ratio is what to compare across machines).
// Uses the database in DATABASE_URL as it is (scripts/bench.sh prepares one with the demo data).

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

type Figures = { rps: number; p50: number; p95: number; p99: number; failures: number };

async function load(url: string): Promise<Figures> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  async function client() {
    while (next < REQUESTS) {
      next += 1;
      const t0 = performance.now();
      const response = await fetch(url);
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (response.status !== 200) failures += 1;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / seconds, p50: at(0.5), p95: at(0.95), p99: at(0.99), failures };
}

async function listen(server: ReturnType<typeof createServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  return `http://127.0.0.1:${address.port}`;
}

const build = await loadServerBuild();
const app = createServer(createExpressApp({ build, trustProxy: false }));
const origin = await listen(app);

const targets = [
  { name: "home page (SSR)", path: "/" },
  { name: "services page (SSR)", path: "/services" },
  { name: "GET /api/v1/services", path: "/api/v1/services" },
  { name: "GET /api/v1/territory", path: "/api/v1/territory" },
  { name: "GET /healthz", path: "/healthz" },
];

const fmt = (n: number) => n.toFixed(1).padStart(8);
console.log(`${REQUESTS} requests per endpoint, ${CONCURRENCY} concurrent, loopback\n`);
console.log(
  `${"endpoint".padEnd(26)}${"req/s".padStart(8)}${"p50 ms".padStart(8)}${"p95 ms".padStart(8)}${"p99 ms".padStart(8)}  vs bare node (req/s)`,
);
for (const target of targets) {
  await load(origin + target.path); // warm-up: JIT, connection pools, caches
  const measured = await load(origin + target.path);
  // The baseline: a bare Node server answering with exactly the bytes the app sent.
  const sample = await fetch(origin + target.path);
  const bytes = Buffer.from(await sample.arrayBuffer());
  const contentType = sample.headers.get("content-type") ?? "application/octet-stream";
  const bare = createServer((_req, res) => {
    res.writeHead(200, { "content-type": contentType, "content-length": bytes.length });
    res.end(bytes);
  });
  const bareOrigin = await listen(bare);
  await load(bareOrigin + target.path);
  const baseline = await load(bareOrigin + target.path);
  bare.close();
  console.log(
    `${target.name.padEnd(26)}${fmt(measured.rps)}${fmt(measured.p50)}${fmt(measured.p95)}${fmt(measured.p99)}  ` +
      `${(measured.rps / baseline.rps).toFixed(2)}× of ${baseline.rps.toFixed(0)}` +
      (measured.failures ? `  (${measured.failures} non-200)` : ""),
  );
}
app.close();
await Promise.allSettled([disconnectDb(), disconnectRedis()]);
