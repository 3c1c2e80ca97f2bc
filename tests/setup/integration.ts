import { afterAll, afterEach, beforeAll } from "vitest";
import { db, disconnectDb } from "~/lib/db.server";
import { PUBLIC_DATA_CHANNEL } from "~/lib/public-reads.server";
import { disconnectRedis, redis } from "~/lib/redis.server";

// Integration tests share one test database and one Redis database; each test starts from empty
// tables (truncated after every test) and an empty Redis database.

beforeAll(() => {
  const name = new URL(process.env.DATABASE_URL ?? "").pathname.slice(1);
  if (!name.endsWith("_test")) {
    throw new Error(`Refusing to run: DATABASE_URL names "${name}", not a *_test database. Use npm test.`);
  }
  if (!/\/([1-9]|1[0-5])$/.test(process.env.REDIS_URL ?? "")) {
    throw new Error("Refusing to run: REDIS_URL must name a Redis database other than 0 for tests.");
  }
});

/** Empties every table. DELETE with foreign-key triggers off is several times faster than TRUNCATE
 * on tables this small, which matters when it runs after every test. With the triggers off, the
 * deletes are announced to the processes keeping public reads by hand (an empty table name: all). */
export async function resetState() {
  // The search schema is the postgres engine's own storage (created on first use).
  const tables = await db().$queryRaw<{ schemaname: string; tablename: string }[]>`
    SELECT schemaname::text AS schemaname, tablename::text AS tablename FROM pg_tables
    WHERE schemaname IN ('public', 'search') AND tablename <> '_prisma_migrations'`;
  await db().$transaction([
    db().$executeRawUnsafe("SET LOCAL session_replication_role = replica"),
    ...tables.map((t) => db().$executeRawUnsafe(`DELETE FROM "${t.schemaname}"."${t.tablename}"`)),
    db().$executeRawUnsafe(`SELECT pg_notify('${PUBLIC_DATA_CHANNEL}', '')`),
  ]);
  await redis().flushdb();
}

beforeAll(resetState);
afterEach(resetState);

afterAll(async () => {
  await disconnectDb();
  await disconnectRedis();
});
