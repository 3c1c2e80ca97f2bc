import { createHash, randomBytes } from "node:crypto";
import type { SessionKind } from "@prisma/client";
import { db, type Tx } from "~/lib/db.server";
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

/** The actor behind a token, or null when the token is unknown, revoked or expired. */
export async function actorForToken(token: string): Promise<Actor | null> {
  if (!token || token.length > 200) return null;
  const session = await db().authSession.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      kind: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      user: {
        select: {
          id: true,
          name: true,
          communityId: true,
          privacyNoticeVersion: true,
          roles: { select: { role: true, scopeType: true, scopeId: true }, orderBy: { createdAt: "asc" } },
          memberships: {
            select: { providerId: true, role: true, provider: { select: { status: true } } },
            orderBy: { createdAt: "asc" },
          },
        },
      },
    },
  });
  const now = Date.now();
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now) return null;
  if (now - session.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    await db().authSession.update({
      where: { id: session.id },
      data: { lastUsedAt: new Date(now), expiresAt: new Date(now + IDLE_LIFETIME_MS[session.kind]) },
    });
  }
  const { user } = session;
  return {
    userId: user.id,
    sessionId: session.id,
    name: user.name,
    communityId: user.communityId,
    roles: user.roles,
    memberships: user.memberships.map(({ providerId, role, provider }) => ({
      providerId,
      role,
      providerStatus: provider.status,
    })),
    privacyNoticeVersion: user.privacyNoticeVersion,
  };
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
