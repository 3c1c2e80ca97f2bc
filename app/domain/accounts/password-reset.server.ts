import { randomInt } from "node:crypto";
import type { z } from "zod";
import { db } from "~/lib/db.server";
import { validationError } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import { recordAudit } from "../audit.server";
import { ONE_TIME_CODE_CHANNEL } from "../notifications/channels.server";
import { authorize, can } from "../policy";
import { findCommunityPath } from "../territory/territory.server";
import type { RequestOrigin } from "./accounts.server";
import { type Actor, residentCommunities, STAFF_ROLES } from "./actor";
import type { issueResetCodeSchema, redeemResetCodeSchema } from "./password-reset.schema";
import { hashPassword, verifyPassword } from "./passwords.server";
import { revokeSessionsOf } from "./sessions.server";
import { LIMITS, passwordCheckPasses, spendAttempt } from "./throttle.server";

// A way back into a forgotten account without SMS (#15 item 7, ADR 0028): the resident's community
// worker verifies the person face to face and issues a one-time code; the resident sets a new
// password with it. Codes are stored only as argon2 hashes; neither the code nor the phone ever
// reaches the audit log or the logs.

export const RESET_CODE_LIFETIME_MS = 30 * 60 * 1000;

/** One answer for a number nobody holds, one held outside the scope and a staff account (ADR 0018),
 * as the 代办 lookups give. */
const NO_RESIDENT_IN_SCOPE = "您的辖区内没有使用该手机号的居民账号，请核对号码";

/** One answer for a wrong phone, a wrong code, a used, replaced or expired one. */
const CODE_REFUSED = "手机号或重置码不正确，或重置码已失效（30分钟内有效，只能用一次）";
const codeRefused = () => validationError({ code: CODE_REFUSED }, CODE_REFUSED);

/** The resident the actor may issue a code to, or null: their account holds no staff role (a worker
 * must never be able to take over an admin's account), and one of their communities lies in the
 * actor's scope. */
async function residentInScope(actor: Actor, phone: string) {
  const user = await db().user.findUnique({
    where: { phone },
    select: {
      id: true,
      name: true,
      phone: true,
      deletedAt: true,
      roles: { select: { role: true, scopeId: true } },
    },
  });
  if (!user || user.deletedAt || user.id === actor.userId) return null;
  if (user.roles.some((grant) => STAFF_ROLES.includes(grant.role))) return null;
  for (const communityId of residentCommunities(user.roles)) {
    const residentPath = await findCommunityPath(communityId);
    if (residentPath && can(actor, "account.issueResetCode", { residentPath })) {
      return { ...user, communityId };
    }
  }
  return null;
}

/** Issues a code to a resident of the actor's scope, found by phone; the code is in the answer once.
 * A new code replaces the resident's earlier one. Every lookup counts against the actor's limit. */
export async function issuePasswordResetCode(actor: Actor, values: z.output<typeof issueResetCodeSchema>) {
  authorize(actor, "workbench.open", null);
  await spendAttempt(LIMITS.resetCodePerStaff, actor.userId);
  const resident = await residentInScope(actor, values.phone);
  if (!resident) throw validationError({ phone: NO_RESIDENT_IN_SCOPE }, NO_RESIDENT_IN_SCOPE);
  const code = String(randomInt(0, 100_000_000)).padStart(8, "0");
  const codeHash = await hashPassword(code);
  const expiresAt = new Date(Date.now() + RESET_CODE_LIFETIME_MS);
  await db().$transaction(async (tx) => {
    const earlier = await tx.passwordResetCode.findUnique({
      where: { userId: resident.id },
      select: { userId: true },
    });
    const row = { codeHash, issuedById: actor.userId, expiresAt, createdAt: new Date() };
    await tx.passwordResetCode.upsert({
      where: { userId: resident.id },
      create: { userId: resident.id, ...row },
      update: row,
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "account.resetCode.issue",
      targetType: "User",
      targetId: resident.id,
      data: { communityId: resident.communityId, replacedEarlierCode: earlier !== null },
    });
  });
  const delivery = await ONE_TIME_CODE_CHANNEL.deliverOneTimeCode({
    userId: resident.id,
    purpose: "password-reset",
    code,
    expiresAt,
  });
  return {
    delivery,
    expiresAt,
    residentName: resident.name,
    phoneMasked: maskPhone(resident.phone),
  };
}

/** Sets a new password with a live code and ends every session and API token of the account. Wrong
 * codes count against the sign-in limits of the phone and the address: guessing a code and guessing
 * the password share one budget. Unknown phones are checked against a decoy hash (same time). */
export async function redeemPasswordResetCode(
  values: z.output<typeof redeemResetCodeSchema>,
  origin: RequestOrigin,
) {
  const user = await db().user.findUnique({
    where: { phone: values.phone },
    select: { id: true, deletedAt: true, passwordResetCode: true },
  });
  const live =
    user && !user.deletedAt && user.passwordResetCode && user.passwordResetCode.expiresAt > new Date()
      ? user.passwordResetCode
      : null;
  const passes = await passwordCheckPasses(values.phone, origin.clientIp, () =>
    verifyPassword(live?.codeHash ?? null, values.code),
  );
  if (!passes || !user || !live) throw codeRefused();
  const passwordHash = await hashPassword(values.newPassword);
  return db().$transaction(async (tx) => {
    // Single use: of two requests with the same code, or a code replaced meanwhile, one deletes it.
    const { count } = await tx.passwordResetCode.deleteMany({
      where: { userId: user.id, codeHash: live.codeHash, expiresAt: { gt: new Date() } },
    });
    if (count !== 1) throw codeRefused();
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const revokedSessions = await revokeSessionsOf(user.id, tx);
    await recordAudit(tx, {
      actorId: user.id,
      action: "account.password.reset",
      targetType: "User",
      targetId: user.id,
      data: { issuedById: live.issuedById, revokedSessions },
    });
    return { revokedSessions };
  });
}
