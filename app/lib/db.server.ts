import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { sharedEnv } from "./env.server";
import { stopListeningForChanges } from "./public-reads.server";

// One client per process, created on first use. Kept on globalThis so `remix dev` rebuilds reuse it.
const holder = globalThis as typeof globalThis & { __sansheDb?: PrismaClient; __sanshePool?: pg.Pool };

/** The connection pool under the Prisma client, shared with the few statements sent past Prisma. */
function pool(): pg.Pool {
  holder.__sanshePool ??= new pg.Pool({
    connectionString: sharedEnv().DATABASE_URL,
    max: 10,
    // Under a burst (hundreds of registrations at once) requests queue for a connection rather than
    // fail; an unreachable database still fails at once (connection refused).
    connectionTimeoutMillis: 15_000,
  });
  // A connection that fails while idle (the server restarted) is dropped by the pool; the next query
  // reports the trouble. Without a listener the error would end the process.
  holder.__sanshePool.on("error", () => {});
  return holder.__sanshePool;
}

export function db(): PrismaClient {
  holder.__sansheDb ??= new PrismaClient({
    adapter: new PrismaPg(pool()),
  });
  return holder.__sansheDb;
}

/** A statement straight through pg, on the same pool as db(): for hot statements where Prisma's own
 * cost per query matters (ADR 0019: the registration rush; a raw query through Prisma costs several
 * times its plain pg equivalent in CPU). Dates of `timestamp` columns come back as the process's local
 * time: return them `AT TIME ZONE 'UTC'`. */
export function sql<Row extends pg.QueryResultRow>(text: string, values: unknown[]) {
  return pool().query<Row>(text, values);
}

export async function disconnectDb() {
  await stopListeningForChanges();
  await holder.__sansheDb?.$disconnect();
  holder.__sansheDb = undefined;
  await holder.__sanshePool?.end();
  holder.__sanshePool = undefined;
}

export type Db = PrismaClient;
/** What a function writing inside a caller's transaction receives. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
