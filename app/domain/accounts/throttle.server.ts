import { createHash } from "node:crypto";
import { DomainError } from "~/lib/errors";
import { describeError, logger } from "~/lib/logger.server";
import { redis } from "~/lib/redis.server";

// Fixed-window counters in Redis. Keys hold a hash of the phone number, never the number itself.
// When Redis is unreachable the limits fail open (sign-in keeps working; see ADR 0004).

/** `doing` names what was refused in the 429 message (尝试次数过多 when absent). */
export type Limit = { name: string; max: number; windowSeconds: number; doing?: string };

export const LIMITS = {
  // Wrong passwords lock a phone only for the address they come from, so a stranger typing wrong
  // passwords for someone else's (published) number locks out themselves, not the owner.
  signInPerPhoneAndIp: { name: "signin:phone-ip", max: 5, windowSeconds: 15 * 60 },
  // A guesser spread over many addresses still meets a ceiling per phone, ten times the pair's.
  signInPerPhone: { name: "signin:phone", max: 50, windowSeconds: 15 * 60 },
  // Residents of one community centre share an IP, so this is far above the per-phone limit.
  signInPerIp: { name: "signin:ip", max: 100, windowSeconds: 15 * 60 },
  // Every attempt counts, "phone already registered" answers included (they tell who has an account).
  signUpPerIp: { name: "signup:ip", max: 30, windowSeconds: 60 * 60 },
  // 代办 looks residents up by phone: a staff account cannot sweep the number space.
  onBehalfPerStaff: { name: "onbehalf:user", max: 60, windowSeconds: 60 * 60, doing: "代办操作太频繁" },
  // Each password reset code is a way into someone's account (ADR 0028): a staff account issues a
  // desk's worth an hour, and every lookup counts, so it cannot sweep numbers either.
  resetCodePerStaff: {
    name: "reset-code:user",
    max: 20,
    windowSeconds: 60 * 60,
    doing: "重置码发放太频繁",
  },
  // Writes that notify people and start background work, per account.
  needPostPerUser: { name: "write:need", max: 20, windowSeconds: 60 * 60, doing: "发布需求太频繁" },
  providerApplyPerUser: {
    name: "write:provider-apply",
    max: 5,
    windowSeconds: 24 * 60 * 60,
    doing: "入驻申请提交太频繁",
  },
  matchProposePerUser: { name: "write:match", max: 60, windowSeconds: 60 * 60, doing: "推荐和接单太频繁" },
  // A request holds a venue's time and notifies its staff: one account cannot hold a venue's month
  // (a series counts once). Staff in scope at the front desk are not counted (issue 19).
  bookingPerUser: { name: "write:booking", max: 30, windowSeconds: 60 * 60, doing: "预约提交太频繁" },
  // Each invitation notifies someone; one person's across all their providers (ADR 0017).
  invitePerUser: { name: "write:invite", max: 20, windowSeconds: 24 * 60 * 60, doing: "邀请发出太频繁" },
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
        `${limit.doing ?? "尝试次数过多"}，请在${Math.ceil(retryAfter / 60)}分钟后再试`,
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

/** Checks a password under the sign-in limits: failures count for the phone from this place (a client
 * IP, or a session for a signed-in person confirming their own password), for the phone from
 * anywhere, and for the place; a success clears the phone's count from this place. */
export async function passwordCheckPasses(
  phone: string,
  place: string,
  verify: () => Promise<boolean>,
): Promise<boolean> {
  const pair = `${phone}|${place}`;
  await assertUnderLimit(LIMITS.signInPerPhoneAndIp, pair);
  await assertUnderLimit(LIMITS.signInPerPhone, phone);
  await assertUnderLimit(LIMITS.signInPerIp, place);
  if (await verify()) {
    await resetLimit(LIMITS.signInPerPhoneAndIp, pair);
    return true;
  }
  await Promise.all([
    countAgainstLimit(LIMITS.signInPerPhoneAndIp, pair),
    countAgainstLimit(LIMITS.signInPerPhone, phone),
    countAgainstLimit(LIMITS.signInPerIp, place),
  ]);
  return false;
}

/** An attempt that counts whatever its outcome (a sign-up, a 代办 lookup): refused once used up. */
export async function spendAttempt(limit: Limit, subject: string) {
  await assertUnderLimit(limit, subject);
  await countAgainstLimit(limit, subject);
}
