import { randomBytes } from "node:crypto";
import { Prisma } from "@prisma/client";
import type { Tx } from "~/lib/db.server";
import { conflict } from "~/lib/errors";
import { recordAudit } from "../audit.server";
import { hashPassword } from "./passwords.server";
import { PRIVACY_NOTICE_VERSION } from "./privacy";

// The one way a resident account comes to be (#14, #15 item 14): the person signing up, or a
// community worker opening it for them while filing a need (代办需求) or a registration (代办报名).
// Every path writes the same row (the RESIDENT grant in their community) and the same audit entry.

export type ResidentAccountValues = {
  phone: string;
  name: string;
  communityId: string;
  /** From hashPassword (hashed before the transaction: hashing is slow). */
  passwordHash: string;
  /** The person agreed to the privacy notice (signing up themselves). */
  privacyConsent?: boolean;
};

/** A password nobody knows, for an account opened on someone's behalf: the resident is given access
 * later, in person. */
export const unknownPasswordHash = () => hashPassword(randomBytes(32).toString("base64url"));

/** A 409 on the form's phone field when the unique phone index caught two requests opening one
 * number at once: each checked first that the number was free, and neither could see the other's
 * uncommitted row. */
export function phoneTakenMeanwhile(error: unknown, field: string, message: string): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw conflict(message, { [field]: message });
  }
  throw error;
}

/** Opens the account inside the caller's transaction; `openedBy` is the worker's id for 代办, null when
 * the person signs up. Two requests opening the same number at once end in one account and a 409 on
 * `phoneField` (the form's name for the number). */
export async function createResidentAccount(
  tx: Tx,
  values: ResidentAccountValues,
  openedBy: string | null,
  phoneField = "phone",
): Promise<string> {
  const message = openedBy ? "该手机号刚刚开通了账号，请再提交一次" : "该手机号已注册，请直接登录";
  const { id } = await tx.user
    .create({
      data: {
        phone: values.phone,
        passwordHash: values.passwordHash,
        name: values.name,
        communityId: values.communityId,
        ...(values.privacyConsent
          ? { privacyConsentAt: new Date(), privacyNoticeVersion: PRIVACY_NOTICE_VERSION }
          : {}),
        roles: { create: { role: "RESIDENT", scopeType: "COMMUNITY", scopeId: values.communityId } },
      },
      select: { id: true },
    })
    .catch((error: unknown) => phoneTakenMeanwhile(error, phoneField, message));
  await recordAudit(tx, {
    actorId: openedBy ?? id,
    action: openedBy ? "account.create.onBehalf" : "account.register",
    targetType: "User",
    targetId: id,
    data: openedBy
      ? { communityId: values.communityId }
      : { privacyNoticeAgreed: values.privacyConsent ? PRIVACY_NOTICE_VERSION : null },
  });
  return id;
}
