import { Redis } from "ioredis";
import { sharedEnv } from "./env.server";

// The web process's Redis client fails fast (one retry, 1 s per command) so a Redis outage never
// stalls a request; callers treat Redis as optional (rate limits fail open, see ADR 0004).
const holder = globalThis as typeof globalThis & { __sansheRedis?: Redis };

export function redis(): Redis {
  if (!holder.__sansheRedis) {
    holder.__sansheRedis = new Redis(sharedEnv().REDIS_URL, {
      keyPrefix: sharedEnv().REDIS_KEY_PREFIX,
      maxRetriesPerRequest: 1,
      commandTimeout: 1000,
      connectTimeout: 2000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Connection errors surface through failing commands; without a listener ioredis prints each one.
    // Attached once, when the client is made (one per call would pile up listeners without end).
    holder.__sansheRedis.on("error", () => undefined);
  }
  return holder.__sansheRedis;
}

export async function disconnectRedis() {
  holder.__sansheRedis?.disconnect();
  holder.__sansheRedis = undefined;
}
