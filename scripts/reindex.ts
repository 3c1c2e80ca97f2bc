import { SingleBar } from "cli-progress";
import { disconnectDb } from "~/lib/db.server";
import { loadEnvOrExit, sharedEnv } from "~/lib/env.server";
import { ENGINE_NAMES, type EngineName } from "~/search/engine";
import { createEngine } from "~/search/engines.server";
import { countIndexable, reindex } from "~/search/reindex.server";

// npm run reindex [-- --engine postgres|meilisearch]: rebuilds a search index from PostgreSQL.

function engineFromArgs(fallback: EngineName): EngineName {
  const at = process.argv.indexOf("--engine");
  if (at === -1) return fallback;
  const wanted = process.argv[at + 1];
  const known = ENGINE_NAMES.find((name) => name === wanted);
  if (!known) {
    console.error(`--engine must be one of: ${ENGINE_NAMES.join(", ")}`);
    process.exit(2);
  }
  return known;
}

const env = loadEnvOrExit(sharedEnv);
const engine = createEngine(engineFromArgs(env.SEARCH_ENGINE));
const total = await countIndexable();
console.log(`Rebuilding the ${engine.name} index from PostgreSQL (${total} rows to check)…`);
const bar = new SingleBar({
  format: "  [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left",
  hideCursor: true,
});
bar.start(total, 0);
const started = Date.now();
const report = await reindex(engine, (checked) => bar.update(Math.min(checked, total)));
bar.update(total);
bar.stop();
const seconds = (Date.now() - started) / 1000;
const indexed = Object.values(report).reduce((sum, r) => sum + r.indexed, 0);
for (const [type, r] of Object.entries(report))
  console.log(`  ${type}: ${r.indexed} indexed, ${r.removed} removed`);
console.log(
  `Done: ${indexed} documents in the ${engine.name} index, ${seconds.toFixed(1)} s (${Math.round(total / Math.max(seconds, 0.001))} rows/s).`,
);
await disconnectDb();
