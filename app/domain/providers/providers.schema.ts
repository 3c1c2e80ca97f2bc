import { pagingSchema } from "~/lib/paging";
import { ID_PATTERN, plainText, z } from "~/lib/zod";
import { normalizePhone, phoneSchema } from "../accounts/accounts.schema";
import { normalizeUscc, usccProblem } from "./uscc";

// The input rules of provider onboarding (入驻) and review, shared by the API, the forms and the
// OpenAPI document, and the shapes the API answers with.

export const PROVIDER_KINDS = ["SOCIAL_ORG", "MERCHANT"] as const;
export const PROVIDER_STATUSES = ["PENDING", "APPROVED", "REJECTED", "SUSPENDED"] as const;
export type ProviderStatusCode = (typeof PROVIDER_STATUSES)[number];
export const PROVIDER_STATUS_LABELS: Record<ProviderStatusCode, string> = {
  PENDING: "待审核",
  APPROVED: "已通过",
  REJECTED: "未通过",
  SUSPENDED: "已暂停",
};
export const REVIEW_DECISIONS = ["APPROVE", "REJECT"] as const;

const MAX_COMMUNITIES = 200;
const MAX_SUBDISTRICTS = 50;

/** Lower case, full-width characters, spaces and dashes are normalised first; then the first rule
 * the code breaks (length, characters, check character) is named in the message. */
export const usccSchema = z
  .string({ error: "请填写统一社会信用代码" })
  .max(40, "统一社会信用代码应为18位")
  .transform(normalizeUscc)
  .superRefine((code, ctx) => {
    const problem = code === "" ? { message: "请填写统一社会信用代码" } : usccProblem(code);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message });
  });

const idList = (what: string, max: number) =>
  z
    .array(z.string({ error: `${what}编号应为文字` }), { error: `${what}应为编号的列表` })
    .max(max, `最多选择${max}个${what}`)
    .refine((ids) => ids.every((id) => ID_PATTERN.test(id)), `所选${what}编号格式不正确`)
    .transform((ids) => [...new Set(ids)]);

/** A mobile, a landline with its area code, or a 400 number, as digits only. */
const BUSINESS_PHONE_PATTERN = /^(1[3-9]\d{9}|0\d{9,11}|400\d{7})$/;
const BUSINESS_PHONE_MESSAGE = "请填写手机号或带区号的固定电话，如 057188881234";

/** The business's own phone, shown in full on its public pages for residents to call (ADR 0030).
 * It is optional: blank means none (and, in a PATCH, removes the stored one). */
export const businessPhoneSchema = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? null : value),
  z
    .string({ error: BUSINESS_PHONE_MESSAGE })
    .max(40, BUSINESS_PHONE_MESSAGE)
    .transform(normalizePhone)
    .pipe(z.string().regex(BUSINESS_PHONE_PATTERN, BUSINESS_PHONE_MESSAGE))
    .nullable(),
);

const providerFields = {
  kind: z.enum(PROVIDER_KINDS, { error: "请选择机构类型：社会组织或特色商家" }),
  name: plainText("机构名称", 2, 50),
  uscc: usccSchema,
  contactName: plainText("联系人姓名", 1, 30),
  contactPhone: phoneSchema,
  businessPhone: businessPhoneSchema.optional(),
  address: plainText("机构地址", 5, 100),
  description: plainText("机构简介", 10, 1000, true),
  communityIds: idList("社区", MAX_COMMUNITIES),
  /** Extension: whole subdistricts, stored as all of their communities. */
  subdistrictIds: idList("街道", MAX_SUBDISTRICTS),
};

const PLACE_KEYS: PropertyKey[] = ["communityIds", "subdistrictIds"];
const NO_PLACE = "请至少选择一个服务的社区或街道";

/** Runs a cross-field check even when other fields failed (so a form shows every problem at once),
 * but only when the fields it reads parsed. */
const whenParsed =
  (keys: PropertyKey[]) =>
  (payload: { value: unknown; issues: { path?: PropertyKey[] }[] }): boolean =>
    typeof payload.value === "object" &&
    payload.value !== null &&
    payload.issues.every((issue) => !keys.includes(issue.path?.[0] ?? ""));

/** An absent list keeps what is stored (PATCH); lists that are given must name at least one place. */
const namesAPlace = (values: { communityIds?: string[]; subdistrictIds?: string[] }) =>
  (values.communityIds === undefined && values.subdistrictIds === undefined) ||
  (values.communityIds?.length ?? 0) + (values.subdistrictIds?.length ?? 0) > 0;

export const applyProviderSchema = z
  .object({
    ...providerFields,
    communityIds: providerFields.communityIds.default([]),
    subdistrictIds: providerFields.subdistrictIds.default([]),
  })
  .refine(namesAPlace, { path: ["communityIds"], message: NO_PLACE, when: whenParsed(PLACE_KEYS) });
export type ApplyProviderInput = z.output<typeof applyProviderSchema>;

/** PATCH: any of the application's fields; the communities are replaced when either list is sent. */
export const updateProviderSchema = z
  .object(providerFields)
  .partial()
  .refine(namesAPlace, { path: ["communityIds"], message: NO_PLACE, when: whenParsed(PLACE_KEYS) });
export type UpdateProviderInput = z.output<typeof updateProviderSchema>;

/** The form's service-area checkboxes are named `community:<id>` / `subdistrict:<id>`, so that a
 * rejected submission comes back with each box as it was ticked. */
export const PLACE_FIELD_PREFIX = { community: "community:", subdistrict: "subdistrict:" } as const;

/** The application form's fields as the schemas read them (checkboxes gathered into id lists). */
export function providerInputFromForm(form: Record<string, string>) {
  const idsAfter = (prefix: string) =>
    Object.keys(form)
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length));
  return {
    ...form,
    communityIds: idsAfter(PLACE_FIELD_PREFIX.community),
    subdistrictIds: idsAfter(PLACE_FIELD_PREFIX.subdistrict),
  };
}

const reasonText = (what: string) => plainText(what, 1, 200, true);

/** A reason is required to reject (the applicant sees it); an approval stores none. */
export const reviewProviderSchema = z
  .object({
    decision: z.enum(REVIEW_DECISIONS, { error: "请选择审核结果：通过或不通过" }),
    reason: z.union([z.literal(""), reasonText("不通过的原因")]).optional(),
  })
  .refine((values) => values.decision === "APPROVE" || Boolean(values.reason), {
    path: ["reason"],
    message: "请填写不通过的原因，申请人会看到它",
    when: whenParsed(["decision", "reason"]),
  });

export const suspendProviderSchema = z.object({ reason: reasonText("暂停的原因") });
/** Restoring clears the suspension's reason; the body is an empty object. */
export const restoreProviderSchema = z.object({});

export const addMemberSchema = z.object({ phone: phoneSchema });
/** How long an invitation to join a provider waits for its answer. Here, not in the server module,
 * because the invite form's hint shows it in the browser too. */
export const INVITATION_DAYS = 7;

/** The answer to an invitation: the same whether or not the number has an account (ADR 0017). */
export const invitationSentSchema = z.object({
  status: z.literal("SENT"),
  phoneMasked: z.string(),
  expiresAt: z.string(),
});
export type InvitationSent = z.infer<typeof invitationSentSchema>;

/** An invitation as its addressee sees it (我的 → 我的机构). */
export const myInvitationSchema = z.object({
  id: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  providerKind: z.enum(PROVIDER_KINDS),
  sentAt: z.string(),
  expiresAt: z.string(),
});
export type MyInvitation = z.infer<typeof myInvitationSchema>;

/** A pending invitation as the provider's owners see it: the number masked. */
export const sentInvitationSchema = z.object({
  id: z.string(),
  phoneMasked: z.string(),
  sentAt: z.string(),
  expiresAt: z.string(),
});
export type SentInvitation = z.infer<typeof sentInvitationSchema>;

/** An invitation for a provider to co-organise an activity, as the provider's owners see it. */
export const coOrganiserInvitationSchema = z.object({
  id: z.string(),
  activityId: z.string(),
  activityTitle: z.string(),
  startsAt: z.string(),
  providerId: z.string(),
  providerName: z.string(),
});
export type CoOrganiserInvitation = z.infer<typeof coOrganiserInvitationSchema>;

/** Nothing to send: the invitation's id is in the path. */
export const invitationAnswerSchema = z.object({});

/** A filter from a query string or a GET form, where an empty value means "any". */
const optionalChoice = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .union([z.enum(values), z.literal("")], { error: message })
    .optional()
    .transform((value) => value || undefined);
const optionalId = z
  .string()
  .regex(/^([A-Za-z0-9_-]{1,64})?$/, "编号格式不正确")
  .optional()
  .transform((value) => value || undefined);

const kindFilter = optionalChoice(
  PROVIDER_KINDS,
  "机构类型只能是 SOCIAL_ORG（社会组织）或 MERCHANT（特色商家）",
);

/** The staff list and review queue: ?status=&kind=&communityId=&page=&pageSize= */
export const providerListQuerySchema = pagingSchema.extend({
  status: optionalChoice(PROVIDER_STATUSES, "状态只能是 PENDING、APPROVED、REJECTED 或 SUSPENDED"),
  kind: kindFilter,
  communityId: optionalId,
  /** Extension: only providers with a change waiting for review (ADR 0017). */
  changePending: z
    .union([z.enum(["1", "true"]), z.literal("")], { error: "changePending 只能是 1 或 true" })
    .optional()
    .transform((value) => Boolean(value)),
});
export type ProviderListQuery = z.output<typeof providerListQuerySchema>;

/** The public directory: approved providers only, ?kind=&subdistrictId=&communityId=&page=&pageSize= */
export const directoryQuerySchema = pagingSchema.extend({
  kind: kindFilter,
  subdistrictId: optionalId,
  communityId: optionalId,
});
export type DirectoryQuery = z.output<typeof directoryQuerySchema>;

// What the API answers with (and the pages show).

const servedCommunitySchema = z.object({
  id: z.string(),
  name: z.string(),
  subdistrictId: z.string(),
  subdistrictName: z.string(),
});

/** An approved provider's change of name, USCC, kind or area, waiting for review (ADR 0017): only
 * what it changes. The provider keeps its reviewed values meanwhile. */
export const pendingChangeSchema = z.object({
  kind: z.enum(PROVIDER_KINDS).optional(),
  name: z.string().optional(),
  uscc: z.string().optional(),
  /** The communities the change adds; their staff review it. */
  addedCommunities: z.array(servedCommunitySchema).optional(),
  /** The communities the provider would stop serving with it. */
  removedCommunities: z.array(servedCommunitySchema).optional(),
  submittedAt: z.string(),
});
export type PendingChange = z.infer<typeof pendingChangeSchema>;

export const providerSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(PROVIDER_KINDS),
  name: z.string(),
  description: z.string(),
  status: z.enum(PROVIDER_STATUSES),
  /** The reviewer's reason for the latest rejection or suspension. */
  statusReason: z.string().nullable(),
  submittedAt: z.string(),
  reviewedAt: z.string().nullable(),
  communities: z.array(servedCommunitySchema),
});
export type ProviderSummary = z.infer<typeof providerSummarySchema>;

export const providerMemberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  phoneMasked: z.string(),
  role: z.enum(["OWNER", "MEMBER"]),
});
export type ProviderMember = z.infer<typeof providerMemberSchema>;

export const providerDetailSchema = providerSummarySchema.extend({
  uscc: z.string(),
  contactName: z.string(),
  contactPhoneMasked: z.string(),
  /** Only for the provider's members and staff in scope. */
  contactPhone: z.string().optional(),
  /** The business's public phone, in full for everyone (ADR 0030); null when it gave none. */
  businessPhone: z.string().nullable(),
  address: z.string(),
  version: z.number().int(),
  services: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      category: z.string(),
      funding: z.enum(["FREE", "PAID", "GOVERNMENT_PURCHASED"]),
    }),
  ),
  /** Only for the provider's members and staff in scope. */
  members: z.array(providerMemberSchema).optional(),
  /** Only for the provider's members and staff in scope: a change waiting for review (ADR 0017). */
  pendingChange: pendingChangeSchema.nullable().optional(),
});
export type ProviderDetail = z.infer<typeof providerDetailSchema>;

/** One line of a provider's audit history: what happened, when, by whom (a role, never a name). */
export type ProviderHistoryEntry = {
  id: string;
  action: string;
  at: string;
  role: string | null;
  to: ProviderStatusCode | null;
  /** A staff member who belongs to the provider decided (ADR 0017). */
  conflictOfInterest: boolean;
};

export const myProviderSchema = providerSummarySchema.extend({ myRole: z.enum(["OWNER", "MEMBER"]) });
export type MyProvider = z.infer<typeof myProviderSchema>;
