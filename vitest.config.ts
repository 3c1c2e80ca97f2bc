import path from "node:path";
import { defineConfig } from "vitest/config";

// Three projects: unit (no services), integration (real PostgreSQL and Redis, one file at a time
// because they share the test database), e2e (the built app in Debian's Chromium).
// scripts/test.sh prepares the database, the build and the browser, then runs all three.

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    env: {
      NODE_ENV: "test",
      DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/sanshe_test",
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/1",
      SESSION_SECRET: process.env.SESSION_SECRET ?? "test-secret-test-secret-test-secret-0000",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    },
    projects: [
      { extends: true, test: { name: "unit", include: ["tests/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          setupFiles: ["tests/setup/integration.ts"],
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          setupFiles: ["tests/setup/integration.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
