import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { sharedEnv } from "./env.server";
import { stopListeningForChanges } from "./public-reads.server";
import { closeSqlPool } from "./sql.server";

// One client per process, created on first use. Kept on globalThis so `remix dev` rebuilds reuse it.
const holder = globalThis as typeof globalThis & { __sansheDb?: PrismaClient };

/** How long a query or a transaction waits for a free connection. Under a burst (hundreds of
 * registrations at once) requests queue rather than fail; an unreachable database still fails at
 * once (connection refused). */
const CONNECTION_WAIT_MS = 15_000;

export function db(): PrismaClient {
  holder.__sansheDb ??= new PrismaClient({
    adapter: new PrismaPg({
      connectionString: sharedEnv().DATABASE_URL,
      max: 10,
      connectionTimeoutMillis: CONNECTION_WAIT_MS,
    }),
    // Prisma's own default gives a transaction 2 s to get its connection and begin, so on a busy
    // machine a plain write (two admins creating one phone at once) answered 503 where a query
    // would have waited its turn.
    transactionOptions: { maxWait: CONNECTION_WAIT_MS },
  });
  return holder.__sansheDb;
}

export async function disconnectDb() {
  await stopListeningForChanges();
  await holder.__sansheDb?.$disconnect();
  holder.__sansheDb = undefined;
  await closeSqlPool();
}

export type Db = PrismaClient;
/** What a function writing inside a caller's transaction receives. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/** For writes that many people make at once on one row or range (an activity's lock, a venue's slot): each waits
 * longer for a connection, and holds its transaction longer while it waits for the lock, than the
 * defaults (15 s to begin, Prisma's 5 s to finish). */
export const BUSY_TRANSACTION = { maxWait: 20_000, timeout: 20_000 };
