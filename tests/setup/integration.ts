import { afterAll, afterEach, beforeAll } from "vitest";
import { db, disconnectDb } from "~/lib/db.server";
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

export async function resetState() {
  const tables = await db().$queryRaw<{ tablename: string }[]>`
    SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
  if (tables.length > 0) {
    const list = tables.map((t) => `"public"."${t.tablename}"`).join(", ");
    await db().$executeRawUnsafe(`TRUNCATE ${list} RESTART IDENTITY CASCADE`);
  }
  await redis().flushdb();
}

beforeAll(resetState);
afterEach(resetState);

afterAll(async () => {
  await disconnectDb();
  await disconnectRedis();
});
