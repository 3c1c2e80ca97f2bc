import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import type { TestProject } from "vitest/node";

// Test files run in parallel. Each vitest worker (VITEST_POOL_ID, 1 to maxWorkers) has a database of
// its own, cloned from the migrated test database, and a Redis key prefix of its own inside the test
// Redis database: rows, PostgreSQL notifications, queues and rate-limit counters of one file never
// meet another's. Both derive from the URLs npm test is given (TEST_DATABASE_URL, TEST_REDIS_URL),
// so people running the suite side by side on one machine stay apart as before.

/** `…/sanshe_test` → `…/sanshe_test_w2`. */
export function workerDatabaseUrl(baseUrl: string, poolId: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname}_w${poolId}`;
  return url.toString();
}

export const workerRedisPrefix = (poolId: string) => `w${poolId}:`;

const run = promisify(execFile);
const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
const MIGRATIONS_DIR = "prisma/migrations";

/** Migration name → checksum (the SHA-256 of its SQL, as Prisma records it). */
async function migrationsOnDisk(): Promise<Map<string, string>> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true });
  const found = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const sql = await readFile(path.join(MIGRATIONS_DIR, entry.name, "migration.sql"));
    found.set(entry.name, createHash("sha256").update(sql).digest("hex"));
  }
  return found;
}

/** Whether every migration on disk is applied, unchanged, to the database. Asking is much cheaper
 * than starting Prisma's migration engine to find out. */
async function migrated(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const table = await client.query(
      "SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present",
    );
    if (!table.rows[0]?.present) return false;
    const applied = await client.query<{ migration_name: string; checksum: string }>(
      "SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const done = new Map(applied.rows.map((row) => [row.migration_name, row.checksum]));
    for (const [name, checksum] of await migrationsOnDisk()) {
      if (done.get(name) !== checksum) return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** The postgres search engine makes its tables on first use. Made once in the template, they are in
 * every clone, and no test pays for (or times out on) making them. */
async function ensureSearchTables(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const found = await client
    .query("SELECT to_regclass('search.document') IS NOT NULL AS present")
    .finally(() => client.end());
  if (found.rows[0]?.present) return;
  // Loaded only now: the engine brings the segmenter and its dictionary.
  const { PostgresSearchEngine } = await import("~/search/postgres-engine.server");
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 1 }) });
  try {
    await new PostgresSearchEngine(prisma).ensureReady();
  } finally {
    await prisma.$disconnect();
  }
}

/** PostgreSQL refuses to copy a database that someone is connected to; the connections of the
 * migration that just ran may take a moment to go away. */
async function cloneWithRetry(admin: pg.Client, clone: string, template: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE "${clone}" TEMPLATE "${template}"`);
      return;
    } catch (error) {
      const busy = error instanceof Error && /being accessed by other users/.test(error.message);
      if (!busy || attempt === 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** vitest globalSetup: the test database created and migrated when it is not, then a fresh clone of
 * it for every worker. Both projects that use the database name this file; it runs once per run. */
export async function setup(project: TestProject) {
  if (process.env.SANSHE_WORKER_DATABASES === "ready") return;
  const baseUrl = project.config.env.DATABASE_URL;
  if (!baseUrl) throw new Error("DATABASE_URL is not set for the tests");
  const template = databaseOf(baseUrl);
  if (!/^[A-Za-z0-9_]+_test$/.test(template)) {
    throw new Error(
      `Refusing to run: DATABASE_URL names "${template}", not a *_test database. Use npm test.`,
    );
  }
  const adminUrl = new URL(baseUrl);
  adminUrl.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [template]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${template}"`);
    if (!(await migrated(baseUrl))) {
      console.log(`[sanshe] migrating ${template}`);
      await run(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], {
        env: { ...process.env, DATABASE_URL: baseUrl },
      });
    }
    await ensureSearchTables(baseUrl);
    for (let poolId = 1; poolId <= project.globalConfig.maxWorkers; poolId++) {
      const clone = databaseOf(workerDatabaseUrl(baseUrl, String(poolId)));
      await admin.query(`DROP DATABASE IF EXISTS "${clone}" WITH (FORCE)`);
      await cloneWithRetry(admin, clone, template);
    }
  } finally {
    await admin.end();
  }
  process.env.SANSHE_WORKER_DATABASES = "ready";
}
