import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { sharedEnv } from "./env.server";
import { stopListeningForChanges } from "./public-reads.server";
import { closeSqlPool } from "./sql.server";

// One client per process, created on first use. Kept on globalThis so `remix dev` rebuilds reuse it.
const holder = globalThis as typeof globalThis & { __sansheDb?: PrismaClient };

export function db(): PrismaClient {
  holder.__sansheDb ??= new PrismaClient({
    adapter: new PrismaPg({
      connectionString: sharedEnv().DATABASE_URL,
      max: 10,
      // Under a burst (hundreds of registrations at once) requests queue for a connection rather than
      // fail; an unreachable database still fails at once (connection refused).
      connectionTimeoutMillis: 15_000,
    }),
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
 * its turn for a connection and the lock instead of failing after Prisma's default 2 s wait. */
export const BUSY_TRANSACTION = { maxWait: 20_000, timeout: 20_000 };
