import { createHash, randomBytes } from "node:crypto";
import type { SessionKind } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
import { sql } from "~/lib/sql.server";
import type { Actor } from "./actor";

// Web sessions and API tokens share one table. The secret goes to the client once; only its SHA-256
// is stored. Both expire after a period without use, and each use slides the expiry.

export const IDLE_LIFETIME_MS: Record<SessionKind, number> = {
  WEB: 14 * 24 * 3600 * 1000,
  API: 90 * 24 * 3600 * 1000,
};
/** Writing lastUsedAt on every request would make each page view a write; once a minute is enough. */
const TOUCH_INTERVAL_MS = 60 * 1000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function startSession(
  userId: string,
  kind: SessionKind,
  tx: Tx = db(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + IDLE_LIFETIME_MS[kind]);
  await tx.authSession.create({ data: { userId, kind, tokenHash: hashToken(token), expiresAt } });
  return { token, expiresAt };
}

/** The token lookup of every signed-in request, one statement on the plain pool (ADR 0019): the live
 * sessions of the given hashes, their people with their roles and memberships, and the sliding expiry
 * written where the last use is older than TOUCH_INTERVAL_MS (otherwise the statement writes nothing).
 * Roles and memberships in the order they were granted. Parameters: $1 token hashes, $2 web lifetime
 * ms, $3 API lifetime ms, $4 touch interval ms. */
const ACTORS_FOR_TOKENS_SQL = `
WITH live AS (
  SELECT id, kind, "userId", "lastUsedAt", "tokenHash" FROM "AuthSession"
  WHERE "tokenHash" = ANY($1::text[]) AND "revokedAt" IS NULL AND "expiresAt" > now() AT TIME ZONE 'UTC'
), touched AS (
  UPDATE "AuthSession" s SET "lastUsedAt" = now() AT TIME ZONE 'UTC',
    "expiresAt" = now() AT TIME ZONE 'UTC'
      + (CASE live.kind WHEN 'WEB' THEN $2::bigint ELSE $3::bigint END) * interval '1 millisecond'
  FROM live WHERE s.id = live.id AND live."lastUsedAt" < now() AT TIME ZONE 'UTC' - $4::bigint * interval '1 millisecond'
)
SELECT live."tokenHash", u.id AS "userId", live.id AS "sessionId", u.name, u."communityId", u."privacyNoticeVersion",
  coalesce((SELECT json_agg(json_build_object('role', r.role, 'scopeType', r."scopeType", 'scopeId', r."scopeId")
    ORDER BY r."createdAt") FROM "RoleAssignment" r WHERE r."userId" = u.id), '[]') AS roles,
  coalesce((SELECT json_agg(json_build_object('providerId', m."providerId", 'role', m.role, 'providerStatus', p.status)
    ORDER BY m."createdAt") FROM "ProviderMember" m JOIN "Provider" p ON p.id = m."providerId"
    WHERE m."userId" = u.id), '[]') AS memberships
FROM live JOIN "User" u ON u.id = live."userId"`;

/** At most this many tokens per statement; the rest wait for the next. */
const MOST_PER_LOOKUP = 500;

type Lookup = { hash: string; resolve: (actor: Actor | null) => void; reject: (error: unknown) => void };

/** The lookups waiting for the next statement; set while a statement runs. */
let waiting: Lookup[] | null = null;

/** The actor behind a token, or null when the token is unknown, revoked or expired. Lookups that
 * arrive while one runs go together in the next statement (as claims do, ADR 0019): a rush of 600
 * signed-in requests costs a few statements, not 600. Each statement reads the sessions when it
 * runs, after every lookup in it was asked for, so a token revoked before a request arrived never
 * passes. */
export function actorForToken(token: string): Promise<Actor | null> {
  if (!token || token.length > 200) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const lookup = { hash: hashToken(token), resolve, reject };
    if (waiting) {
      waiting.push(lookup);
      return;
    }
    waiting = [lookup];
    // Those who arrive in the same turn of the event loop go in the first statement together.
    setImmediate(() => void lookUpInTurns());
  });
}

async function lookUpInTurns() {
  while (waiting && waiting.length > 0) {
    const batch = waiting.slice(0, MOST_PER_LOOKUP);
    waiting = waiting.slice(MOST_PER_LOOKUP);
    try {
      const { rows } = await sql<Actor & { tokenHash: string }>(
        ACTORS_FOR_TOKENS_SQL,
        [
          [...new Set(batch.map((lookup) => lookup.hash))],
          IDLE_LIFETIME_MS.WEB,
          IDLE_LIFETIME_MS.API,
          TOUCH_INTERVAL_MS,
        ],
        "actors-for-tokens",
      );
      const actors = new Map(rows.map(({ tokenHash, ...actor }) => [tokenHash, actor]));
      for (const lookup of batch) lookup.resolve(actors.get(lookup.hash) ?? null);
    } catch (error) {
      for (const lookup of batch) lookup.reject(error);
    }
  }
  waiting = null;
}

/** Revokes every live session and token of a person except (optionally) one; returns how many. */
export async function revokeSessionsOf(userId: string, tx: Tx = db(), keepSessionId?: string) {
  const { count } = await tx.authSession.updateMany({
    where: { userId, revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
    data: { revokedAt: new Date() },
  });
  return count;
}

/** Revokes the session or token; revoking an unknown or already revoked one is not an error. */
export async function revokeToken(token: string) {
  await db().authSession.updateMany({
    where: { tokenHash: hashToken(token), revokedAt: null },
    data: { revokedAt: new Date() },
  });
}
