import { createHash } from "node:crypto";
import { DomainError } from "~/lib/errors";
import { describeError, logger } from "~/lib/logger.server";
import { redis } from "~/lib/redis.server";

// Fixed-window counters in Redis. Keys hold a hash of the phone number, never the number itself.
// When Redis is unreachable the limits fail open (sign-in keeps working; see ADR 0004).

export type Limit = { name: string; max: number; windowSeconds: number };

export const LIMITS = {
  signInPerPhone: { name: "signin:phone", max: 5, windowSeconds: 15 * 60 },
  // Residents of one community centre share an IP, so this is far above the per-phone limit.
  signInPerIp: { name: "signin:ip", max: 100, windowSeconds: 15 * 60 },
  signUpPerIp: { name: "signup:ip", max: 30, windowSeconds: 60 * 60 },
} satisfies Record<string, Limit>;

const keyOf = (limit: Limit, subject: string) =>
  `rl:${limit.name}:${createHash("sha256").update(subject).digest("hex").slice(0, 32)}`;

/** Throws RATE_LIMITED when the subject has used up the limit. */
export async function assertUnderLimit(limit: Limit, subject: string) {
  try {
    const key = keyOf(limit, subject);
    const [count, ttl] = await Promise.all([redis().get(key), redis().ttl(key)]);
    if (Number(count ?? 0) >= limit.max) {
      const retryAfter = ttl > 0 ? ttl : limit.windowSeconds;
      throw new DomainError(
        "RATE_LIMITED",
        `尝试次数过多，请在${Math.ceil(retryAfter / 60)}分钟后再试`,
        undefined,
        retryAfter,
      );
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    logger.warn("rate limiter unavailable, allowing request", { limit: limit.name, ...describeError(error) });
  }
}

/** Counts one use (a failure, or a sign-up) against the subject. */
export async function countAgainstLimit(limit: Limit, subject: string) {
  try {
    const key = keyOf(limit, subject);
    await redis().multi().incr(key).expire(key, limit.windowSeconds, "NX").exec();
  } catch (error) {
    logger.warn("rate limiter unavailable, not counting", { limit: limit.name, ...describeError(error) });
  }
}

export async function resetLimit(limit: Limit, subject: string) {
  try {
    await redis().del(keyOf(limit, subject));
  } catch (error) {
    logger.warn("rate limiter unavailable, not resetting", { limit: limit.name, ...describeError(error) });
  }
}
