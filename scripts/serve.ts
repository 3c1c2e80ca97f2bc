import { createExpressApp, keepIdleSocketsOpen } from "~/http/express.server";
import { loadServerBuild } from "~/http/load-build.server";
import { disconnectDb } from "~/lib/db.server";
import { loadEnvOrExit, webEnv } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { disconnectRedis } from "~/lib/redis.server";

// The web process: parse env (fail fast with a clear message), load the Remix build, listen,
// and close connections on SIGTERM/SIGINT.

const env = loadEnvOrExit(webEnv);
const build = await loadServerBuild();
const app = createExpressApp({ build, trustProxy: env.TRUST_PROXY });
const server = app.listen(env.PORT, () => {
  logger.info("web listening", { url: `http://localhost:${env.PORT}` });
});
keepIdleSocketsOpen(server);

let closing = false;
function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info("web shutting down", { signal });
  server.close(async () => {
    await Promise.allSettled([disconnectDb(), disconnectRedis()]);
    process.exit(0);
  });
  // Keep-alive connections would hold close() open; give in-flight requests a moment, then go.
  setTimeout(() => server.closeAllConnections(), 5000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
