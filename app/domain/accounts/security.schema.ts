import { z } from "~/lib/zod";
import { newPasswordSchema } from "./accounts.schema";

export const changePasswordSchema = z.object({
  currentPassword: z
    .string({ error: "请输入当前密码" })
    .min(1, "请输入当前密码")
    .max(128, "密码不能超过128位"),
  newPassword: newPasswordSchema,
});

/** A session rotated by a password change: the client's new credential. */
export const rotatedCredentialSchema = z.object({
  /** Only for API tokens; a web session's token travels in its HttpOnly cookie alone. */
  token: z.string().optional(),
  expiresAt: z.string(),
  revokedSessions: z.number(),
});

export const revokedSessionsSchema = z.object({ revokedSessions: z.number() });
