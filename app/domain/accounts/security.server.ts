import type { z } from "zod";
import { db } from "~/lib/db.server";
import { unauthenticated, validationError } from "~/lib/errors";
import { recordAudit } from "../audit.server";
import type { RequestOrigin } from "./accounts.server";
import type { Actor } from "./actor";
import { hashPassword, verifyPassword } from "./passwords.server";
import type { changePasswordSchema } from "./security.schema";
import { revokeSessionsOf, startSession } from "./sessions.server";
import { passwordCheckPasses } from "./throttle.server";

// A person's hold on their own account: sign out everywhere, change the password (ADR 0014).
// Audit entries name the person and how many sessions ended, never a phone, token or password.

/** Revokes every web session and API token of the person, the one in use included. */
export async function signOutEverywhere(actor: Actor) {
  return db().$transaction(async (tx) => {
    const revokedSessions = await revokeSessionsOf(actor.userId, tx);
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "account.sessions.revokeAll",
      targetType: "User",
      targetId: actor.userId,
      data: { revokedSessions },
    });
    return { revokedSessions };
  });
}

/** Checks the current password and sets the new one. Every other session and token of the person
 * is revoked; the one in use is rotated (revoked and replaced by the returned one of its kind), so
 * whoever changed the password stays signed in and a stolen copy of the old credential is dead.
 * Wrong current passwords count against the same limits as failed sign-ins: it is the same guess. */
export async function changePassword(
  actor: Actor,
  values: z.output<typeof changePasswordSchema>,
  origin: RequestOrigin,
) {
  const user = await db().user.findUnique({
    where: { id: actor.userId },
    select: { phone: true, passwordHash: true },
  });
  const current = await db().authSession.findUnique({
    where: { id: actor.sessionId },
    select: { kind: true },
  });
  if (!user || !current) throw unauthenticated();
  const passes = await passwordCheckPasses(user.phone, origin.clientIp, () =>
    verifyPassword(user.passwordHash, values.currentPassword),
  );
  if (!passes) {
    throw validationError({ currentPassword: "当前密码不正确" }, "当前密码不正确");
  }
  if (values.newPassword === values.currentPassword) {
    throw validationError({ newPassword: "新密码不能与当前密码相同" });
  }
  const passwordHash = await hashPassword(values.newPassword);
  return db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.userId }, data: { passwordHash } });
    // The others end; the one in use is replaced rather than ended, so it is not counted.
    const revokedSessions = await revokeSessionsOf(actor.userId, tx, actor.sessionId);
    await tx.authSession.update({ where: { id: actor.sessionId }, data: { revokedAt: new Date() } });
    const session = await startSession(actor.userId, current.kind, tx);
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "account.password.change",
      targetType: "User",
      targetId: actor.userId,
      data: { revokedSessions },
    });
    return { ...session, kind: current.kind, revokedSessions };
  });
}
