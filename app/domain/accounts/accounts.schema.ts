import { idSchema, isStorableText, unreadableCharacters, z } from "~/lib/zod";

export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

/** Full-width digits become ASCII and spaces/dashes go, so "138 1234-5678" is accepted as typed. */
export function normalizePhone(raw: string): string {
  return raw.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s-]/g, "");
}

export const phoneSchema = z
  .string({ error: "请输入手机号" })
  .max(40, "请输入11位手机号")
  .transform(normalizePhone)
  .pipe(z.string().min(1, "请输入手机号").regex(PHONE_PATTERN, "请输入11位中国大陆手机号，如 13812345678"));

export const newPasswordSchema = z
  .string({ error: "请输入密码" })
  .min(8, "密码至少8位")
  .max(128, "密码不能超过128位");

export const personNameSchema = z
  .string({ error: "请输入姓名" })
  .trim()
  .min(1, "请输入姓名")
  .max(30, "姓名不能超过30个字")
  .refine((name) => isStorableText(name), unreadableCharacters("姓名"));

const CONSENT_REQUIRED = "请阅读并勾选同意《隐私政策》后再注册";

export const registerResidentSchema = z.object({
  phone: phoneSchema,
  password: newPasswordSchema,
  name: personNameSchema,
  communityId: idSchema("请选择您所在的社区"),
  /** The person agreed to the privacy notice (/privacy). Optional in the API so that clients written
   * before it existed keep working; `false` is refused (ADR 0013). */
  privacyConsent: z.literal(true, { error: CONSENT_REQUIRED }).optional(),
});

/** The web sign-up form: the consent checkbox (value "yes") must be ticked. */
export const registerResidentFormSchema = registerResidentSchema.extend({
  privacyConsent: z.literal("yes", { error: CONSENT_REQUIRED }).transform((): true => true),
});

export const signInSchema = z.object({
  phone: phoneSchema,
  password: z.string({ error: "请输入密码" }).min(1, "请输入密码").max(128, "密码不能超过128位"),
});

export const CREATABLE_STAFF_ROLES = ["COMMUNITY_WORKER", "SUBDISTRICT_ADMIN"] as const;

export const createStaffSchema = z.object({
  phone: phoneSchema,
  password: newPasswordSchema,
  name: personNameSchema,
  role: z.enum(CREATABLE_STAFF_ROLES, { error: "请选择角色：社区工作者或街道管理员" }),
  scopeId: idSchema("请选择任职的社区或街道"),
});

export const roleGrantSchema = z.object({
  role: z.enum(["RESIDENT", "COMMUNITY_WORKER", "SUBDISTRICT_ADMIN", "DISTRICT_ADMIN"]),
  scopeType: z.enum(["DISTRICT", "SUBDISTRICT", "COMMUNITY"]),
  scopeId: z.string(),
});

export const publicUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  phoneMasked: z.string(),
  roles: z.array(roleGrantSchema),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

/** The 工作人员 page's confirmed removal of someone's staff roles. */
export const removeStaffFormSchema = z.object({ userId: idSchema("请选择要撤销身份的工作人员") });

/** Deleting one's own account is confirmed with the password, like a sign-in. */
export const deleteAccountSchema = z.object({
  password: z
    .string({ error: "请输入密码以确认注销" })
    .min(1, "请输入密码以确认注销")
    .max(128, "密码不能超过128位"),
});
