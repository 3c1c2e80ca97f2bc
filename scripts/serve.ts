import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { createExpressApp, keepIdleSocketsOpen } from "~/http/express.server";
import { loadServerBuild } from "~/http/load-build.server";
import { disconnectDb } from "~/lib/db.server";
import { loadEnvOrExit, type WebEnv, webEnv } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { disconnectRedis } from "~/lib/redis.server";

// The web process: parse env (fail fast with a clear message), then either serve, or, with more than
// one WEB_PROCESSES (by default one per core), start that many serving processes with node:cluster
// on the one PORT and start a new one whenever one dies. Node runs JavaScript on one core per
// process; a rush of registrations (ADR 0019) is CPU-bound in the app, not in PostgreSQL.
// SIGTERM/SIGINT close connections and exit.

const env = loadEnvOrExit(webEnv);
const processes = env.WEB_PROCESSES ?? availableParallelism();

/** A process dying this soon after it started is failing at start: wait before the next one. */
const QUICK_DEATH_MS = 5000;
const RESPAWN_DELAY_MS = 1000;
/** How long a shutdown waits for the serving processes before it gives up on them. */
const SHUTDOWN_WAIT_MS = 10_000;

function runPrimary(count: number, scheduling: WebEnv["WEB_CLUSTER_SCHEDULING"]) {
  cluster.schedulingPolicy = scheduling === "rr" ? cluster.SCHED_RR : cluster.SCHED_NONE;
  const startedAt = new Map<Worker, number>();
  let closing = false;
  const start = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
  };
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (closing) {
      if (startedAt.size === 0) process.exit(0);
      return;
    }
    logger.warn("web process died, starting another", { pid: worker.process.pid, code, signal });
    if (lived < QUICK_DEATH_MS) setTimeout(start, RESPAWN_DELAY_MS);
    else start();
  });
  for (let i = 0; i < count; i++) start();
  logger.info("web processes starting", { processes: count, port: env.PORT, scheduling });

  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info("web shutting down", { signal, processes: startedAt.size });
    if (startedAt.size === 0) process.exit(0);
    // A terminal's Ctrl-C reaches every process of the group already; a second signal is harmless.
    for (const worker of startedAt.keys()) worker.process.kill("SIGTERM");
    setTimeout(() => process.exit(1), SHUTDOWN_WAIT_MS).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

async function serve() {
  const build = await loadServerBuild();
  const app = createExpressApp({ build, trustProxy: env.TRUST_PROXY });
  const server = app.listen(env.PORT, () => {
    logger.info("web listening", { url: `http://localhost:${env.PORT}` });
  });
  keepIdleSocketsOpen(server);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info("web shutting down", { signal });
    server.close(async () => {
      await Promise.allSettled([disconnectDb(), disconnectRedis()]);
      process.exit(0);
    });
    // Keep-alive connections would hold close() open; give in-flight requests a moment, then go.
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

if (cluster.isPrimary && processes > 1) runPrimary(processes, env.WEB_CLUSTER_SCHEDULING);
else await serve();
