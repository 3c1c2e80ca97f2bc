import path from "node:path";
import { defineConfig } from "vitest/config";

// The projects: unit (no services), integration (real PostgreSQL and Redis; the few files testing
// process-wide state in integration-own-process), e2e (the built app in Debian's Chromium). Files of
// all of them run in parallel: each worker has its own clone of the test database and its own Redis
// key prefix (tests/setup/worker-databases.ts). scripts/test.sh prepares the database, the build and
// the browser, then runs them all.

/** Under test:full (CI) every browser file runs; npm test runs the smoke journey alone (a resident's
 * first visit: register, sign in, 适老化, the form without JavaScript), which takes the browser, the
 * built bundles and hydration end to end. The other journeys cost two fifths of the suite's CPU
 * (ADR 0020); a browser file named on the command line runs whole (scripts/test.sh). */
const BROWSER_FILES =
  process.env.TEST_FULL === "1" ? ["tests/e2e/**/*.test.ts"] : ["tests/e2e/journey.test.ts"];

/** Integration files that test process-wide state themselves (the listening connection of the
 * public reads), so they get a process of their own. */
const OWN_PROCESS = ["tests/integration/public-reads.test.ts"];
// Generous: a test that starts two or three processes waits for each on two shared cores.
const integrationTimeouts = { testTimeout: 120_000, hookTimeout: 60_000 };

const services = {
  globalSetup: ["tests/setup/worker-databases.ts"],
  setupFiles: ["tests/setup/worker-env.ts", "tests/setup/integration.ts"],
};

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    // The files wait on PostgreSQL, HTTP, spawned processes and the clock: with three at a time a
    // third of two cores sat idle (ADR 0020).
    maxWorkers: 4,
    env: {
      NODE_ENV: "test",
      DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/sanshe_test",
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1",
      SESSION_SECRET: process.env.SESSION_SECRET ?? "test-secret-test-secret-test-secret-0000",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          // Pure functions: the files share a module graph (ADR 0020).
          isolate: false,
          // Whichever test first segments a word loads jieba's dictionaries: well under a second
          // alone, past the default 5 s on a busy machine.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          exclude: OWN_PROCESS,
          ...services,
          // A worker's files share one module graph: importing the app and its Remix build again for
          // every file cost 45% of the integration files' CPU time (ADR 0020). Each file still starts
          // from empty tables and keys, and the setup files run again for each file.
          isolate: false,
          ...integrationTimeouts,
        },
      },
      {
        extends: true,
        test: { name: "integration-own-process", include: OWN_PROCESS, ...services, ...integrationTimeouts },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: BROWSER_FILES,
          ...services,
          // As for integration: the app's modules shared; the web server and Chromium per test process too.
          isolate: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
