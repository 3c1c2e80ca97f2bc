import { db } from "~/lib/db.server";
import { sharedEnv } from "~/lib/env.server";
import { PUBLIC_DATA_CHANNEL } from "~/lib/public-reads.server";
import { redis } from "~/lib/redis.server";

// A fixture that many tests of a file start from (an authorization matrix's world) is built through
// the factories once, and then put back from a copy of the rows it wrote: one statement instead of a
// few dozen Prisma calls, each compiled by Prisma's query compiler (most of such a file's CPU time).
// The rows come back exactly: the same ids, timestamps and columns, so what the build returned
// (ids, phone numbers) still names them.

type Table = { name: string; columns: string };

/** Every table the tests write, with the columns an INSERT may set (not the generated ones). */
async function tablesOfTheApp(): Promise<Table[]> {
  return db().$queryRaw<Table[]>`
    SELECT format('%I.%I', c.relnamespace::regnamespace::text, c.relname::text) AS name,
           string_agg(format('%I', a.attname::text), ', ' ORDER BY a.attnum) AS columns
    FROM pg_class c
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    WHERE c.relkind = 'r' AND c.relnamespace::regnamespace::text IN ('public', 'search')
      AND c.relname <> '_prisma_migrations'
    GROUP BY c.oid`;
}

const workerKeys = () => redis().keys(`${sharedEnv().REDIS_KEY_PREFIX}*`);

/** The statement that writes the rows the tables hold now back into the same, emptied, tables. */
async function restoreStatement(): Promise<string> {
  const tables = await tablesOfTheApp();
  const copies = await db().$queryRawUnsafe<{ table: number; rows: string | null }[]>(
    tables
      .map(({ name }, i) => `SELECT ${i} AS "table", (SELECT json_agg(t)::text FROM ${name} t) AS rows`)
      .join(" UNION ALL "),
  );
  const tag = "$kept$";
  const inserts = copies.flatMap(({ table, rows }) => {
    const { name, columns } = tables[Number(table)] ?? {};
    if (rows === null || !name) return [];
    if (rows.includes(tag)) throw new Error(`a row of ${name} holds ${tag}: cannot quote it`);
    return [
      `INSERT INTO ${name} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${name}, ${tag}${rows}${tag}::json);`,
    ];
  });
  // Foreign keys and triggers off while the rows go in (any order; what the triggers keep is in
  // the copy already), then the processes keeping public reads are told, as after a reset.
  return `DO $restore$
BEGIN
  PERFORM set_config('session_replication_role', 'replica', true);
  ${inserts.join("\n  ")}
  PERFORM pg_notify('${PUBLIC_DATA_CHANNEL}', '');
END $restore$`;
}

/**
 * `build` made once per argument (compared as JSON) and put back from its rows on every later call.
 * Call it only on emptied tables (after the reset that follows every test, or after resetState());
 * the build must write to the database alone, not to Redis (checked at the first build).
 */
export function keptFixtures<A, T>(build: (arg: A) => Promise<T>): (arg: A) => Promise<T> {
  const kept = new Map<string, { value: T; restore: string }>();
  return async (arg) => {
    const key = JSON.stringify(arg) ?? "";
    const copy = kept.get(key);
    if (copy) {
      await db().$executeRawUnsafe(copy.restore);
      return structuredClone(copy.value);
    }
    const keysBefore = (await workerKeys()).length;
    const value = await build(arg);
    if ((await workerKeys()).length !== keysBefore) {
      throw new Error("keptFixtures: the build wrote to Redis, which a copy of the tables cannot put back");
    }
    kept.set(key, { value, restore: await restoreStatement() });
    return structuredClone(value);
  };
}

/** keptFixtures for a build without an argument. */
export function keptFixture<T>(build: () => Promise<T>): () => Promise<T> {
  const withArg = keptFixtures((_: null) => build());
  return () => withArg(null);
}
