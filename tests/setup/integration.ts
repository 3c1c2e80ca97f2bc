import { afterAll, afterEach, beforeAll } from "vitest";
import { db, disconnectDb } from "~/lib/db.server";
import { sharedEnv } from "~/lib/env.server";
import { PUBLIC_DATA_CHANNEL } from "~/lib/public-reads.server";
import { disconnectRedis, redis } from "~/lib/redis.server";

// Integration tests run with their worker's own database and Redis key prefix (worker-env.ts); each
// test starts from empty tables (emptied after every test) and no Redis keys of its worker.

beforeAll(() => {
  const name = new URL(process.env.DATABASE_URL ?? "").pathname.slice(1);
  if (!/_test_w\d+$/.test(name)) {
    throw new Error(
      `Refusing to run: DATABASE_URL names "${name}", not a worker's *_test database. Use npm test.`,
    );
  }
  if (!/\/([1-9]|1[0-5])$/.test(process.env.REDIS_URL ?? "")) {
    throw new Error("Refusing to run: REDIS_URL must name a Redis database other than 0 for tests.");
  }
  if (!sharedEnv().REDIS_KEY_PREFIX) throw new Error("Refusing to run: REDIS_KEY_PREFIX is not set.");
});

/** Empties every table in one round trip: a DO block deletes from each (the search schema is the
 * postgres engine's own storage, created on first use). DELETE with foreign-key triggers off is
 * several times faster than TRUNCATE on tables this small, which matters when it runs after every
 * test. With the triggers off, the deletes are announced to the processes keeping public reads by
 * hand (an empty table name: all). */
const EMPTY_TABLES = `DO $$
DECLARE t record;
BEGIN
  PERFORM set_config('session_replication_role', 'replica', true);
  FOR t IN SELECT schemaname, tablename FROM pg_tables
    WHERE schemaname IN ('public', 'search') AND tablename <> '_prisma_migrations'
  LOOP
    EXECUTE format('DELETE FROM %I.%I', t.schemaname, t.tablename);
  END LOOP;
  PERFORM pg_notify('${PUBLIC_DATA_CHANNEL}', '');
END $$`;

/** Deletes this worker's keys (the pattern of KEYS is not prefixed by the client; the keys are). */
const DELETE_WORKER_KEYS = `for _, key in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', key) end`;

// One after the other: the database client's first use loads Prisma's engine, which can hold the
// event loop past the Redis client's one-second command timeout.
export async function resetState() {
  await db().$executeRawUnsafe(EMPTY_TABLES);
  await emptyWorkerKeys();
}

/** This worker's Redis keys only (rate limits, queues), for a test keeping its tables. */
export async function emptyWorkerKeys() {
  await redis().eval(DELETE_WORKER_KEYS, 0, `${sharedEnv().REDIS_KEY_PREFIX}*`);
}

let resetAfterEachTest = true;
/** For a file that empties the tables itself when its tests have changed them (the fuzz suite keeps
 * its fixture while no request wrote anything): no reset after each test, one after the file. */
export function resetOnlyWhenAsked() {
  resetAfterEachTest = false;
}

beforeAll(resetState);
afterEach(async () => {
  if (resetAfterEachTest) await resetState();
});

/** A file that wrote and deleted many rows (the seat rush makes 100,000 people) leaves their dead
 * tuples behind, and autovacuum comes too late for the next file of the worker: every count and
 * DELETE there would scan them (the fuzz suite took four times as long after the seat rush). So a
 * file vacuums the tables it left bloated: after the reset they hold no rows, and a heap past 1 MB
 * is nothing but dead tuples. */
async function vacuumBloatedTables() {
  const bloated = await db().$queryRaw<{ name: string }[]>`
    SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables
    WHERE pg_relation_size(relid) > 1024 * 1024`;
  for (const { name } of bloated) await db().$executeRawUnsafe(`VACUUM ${name}`);
}

afterAll(async () => {
  if (!resetAfterEachTest) await resetState();
  await vacuumBloatedTables();
  await disconnectDb();
  await disconnectRedis();
});
