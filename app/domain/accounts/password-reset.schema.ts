import { z } from "~/lib/zod";
import { newPasswordSchema, normalizePhone, phoneSchema } from "./accounts.schema";

/** Eight digits: 10⁸ codes against at most the sign-in limits' guesses in a code's 30 minutes. */
export const RESET_CODE_PATTERN = /^\d{8}$/;

/** POST /api/v1/password-reset-codes: the resident's phone, read out at the desk. */
export const issueResetCodeSchema = z.object({ phone: phoneSchema });

/** POST /api/v1/auth/password-reset. The code may be typed with spaces or full-width digits, as the
 * worker wrote it down ("1234 5678"). */
export const redeemResetCodeSchema = z.object({
  phone: phoneSchema,
  code: z
    .string({ error: "请输入8位重置码" })
    .max(40, "请输入8位重置码")
    .transform(normalizePhone)
    .pipe(z.string().regex(RESET_CODE_PATTERN, "请输入社区工作人员给您的8位数字重置码")),
  newPassword: newPasswordSchema,
});

export const issuedResetCodeSchema = z.object({
  code: z
    .string()
    .nullable()
    .describe("8位数字重置码：只在这一次回答中出现，请当面交给居民（将来经短信发送时为 null）"),
  expiresAt: z.string().describe("失效时间（ISO 8601）"),
  residentName: z.string().describe("重置码所属居民的姓名，供当面核对"),
  phoneMasked: z.string(),
});

export const passwordResetDoneSchema = z.object({
  revokedSessions: z.number().describe("已注销的登录和 API 令牌数"),
});
