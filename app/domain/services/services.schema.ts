import { CATEGORY_CODES } from "~/domain/catalog/categories";
import { fenToYuan, halfWidthDigits, parseYuan } from "~/lib/money";
import { pagingSchema } from "~/lib/paging";
import { ID_PATTERN, idSchema, plainText, z } from "~/lib/zod";
import { PROVIDER_KINDS } from "../providers/providers.schema";

// The input rules of the service catalog (服务项目), shared by the API, the forms and the OpenAPI
// document, plus the money helpers both sides need (prices are stored in fen, typed in yuan).

export const FUNDINGS = ["FREE", "PAID", "GOVERNMENT_PURCHASED"] as const;
export type FundingCode = (typeof FUNDINGS)[number];
export const SERVICE_STATUSES = ["DRAFT", "PUBLISHED", "ARCHIVED"] as const;
export const SERVICE_STATUS_LABELS = { DRAFT: "草稿", PUBLISHED: "已发布", ARCHIVED: "已下架" } as const;

export const MAX_PRICE_FEN = 10_000_000;
export const MAX_CAPACITY_PER_WEEK = 10_000;
const MAX_COMMUNITIES = 200;

const titleSchema = plainText("服务名称", 2, 50, false);
const descriptionSchema = plainText("服务介绍", 10, 2000, true);
const categorySchema = z.enum(CATEGORY_CODES, { error: "请选择服务类别" });
const fundingSchema = z.enum(FUNDINGS, { error: "请选择收费方式：免费、收费或政府购买" });

/** The communities served: at least one, each an id, duplicates folded. Element problems are
 * reported on the field itself so a form can show them next to the checkboxes. */
const communityIdsSchema = z
  .array(z.string({ error: "社区编号应为文字" }), { error: "请选择服务的社区" })
  .min(1, "请至少选择一个服务社区")
  .max(MAX_COMMUNITIES, `最多选择${MAX_COMMUNITIES}个社区`)
  .refine((ids) => ids.every((id) => ID_PATTERN.test(id)), "所选社区编号格式不正确")
  .transform((ids) => [...new Set(ids)]);

const priceFenSchema = z
  .number({ error: "价格应为以分为单位的整数" })
  .int("价格应为以分为单位的整数")
  .min(1, "价格应大于0")
  .max(MAX_PRICE_FEN, `价格不能超过${MAX_PRICE_FEN / 100}元`);

const capacitySchema = z
  .number({ error: "每周可服务人次应为整数" })
  .int("每周可服务人次应为整数")
  .min(1, "每周可服务人次至少为1")
  .max(MAX_CAPACITY_PER_WEEK, `每周可服务人次不能超过${MAX_CAPACITY_PER_WEEK}`);

/** A price belongs to PAID services only; null when the combination is right, else the message. */
export function fundingPriceError(funding: FundingCode, priceFen: number | null | undefined): string | null {
  if (funding === "PAID") return priceFen == null ? "收费服务请填写价格" : null;
  return priceFen == null ? null : "免费或政府购买的服务不填写价格，请清空价格";
}

const serviceFields = {
  title: titleSchema,
  description: descriptionSchema,
  category: categorySchema,
  communityIds: communityIdsSchema,
  funding: fundingSchema,
  priceFen: priceFenSchema.nullable().optional(),
  capacityPerWeek: capacitySchema.nullable().optional(),
};

export const createServiceSchema = z
  .object({
    providerId: idSchema("请选择发布服务的机构"),
    ...serviceFields,
    status: z
      .enum(["DRAFT", "PUBLISHED"], { error: "状态只能是 DRAFT（草稿）或 PUBLISHED（发布）" })
      .optional(),
  })
  .superRefine((values, ctx) => {
    const message = fundingPriceError(values.funding, values.priceFen);
    if (message) ctx.addIssue({ code: "custom", path: ["priceFen"], message });
  });
export type CreateServiceValues = z.output<typeof createServiceSchema>;

/** PATCH: any subset of the fields; the domain checks the merged result. */
export const updateServiceSchema = z
  .object({
    title: titleSchema.optional(),
    description: descriptionSchema.optional(),
    category: categorySchema.optional(),
    communityIds: communityIdsSchema.optional(),
    funding: fundingSchema.optional(),
    priceFen: serviceFields.priceFen,
    capacityPerWeek: serviceFields.capacityPerWeek,
  })
  .refine((values) => Object.values(values).some((value) => value !== undefined), {
    message: "没有要修改的内容",
  });
export type UpdateServiceValues = z.output<typeof updateServiceSchema>;

// Money: typed in yuan, stored in fen (~/lib/money).

/** "12.50" → 1250 fen; more than two decimals, not a number or out of range → a message. */
export const yuanToFen = (typed: string) =>
  parseYuan(typed, { what: "价格", minFen: 1, maxFen: MAX_PRICE_FEN });

/** How a service's funding reads on a card: "¥50.00/次", "免费", "政府购买（居民免费）". */
export function priceLabel(funding: FundingCode, priceFen: number | null) {
  if (funding === "PAID") return priceFen == null ? "收费" : `¥${fenToYuan(priceFen)}/次`;
  return funding === "FREE" ? "免费" : "政府购买（居民免费）";
}

// The web form: the same fields as text, price in yuan, communities as one checkbox each.

/** Checkbox name of one community in the service form; the form reader collects them. */
export const COMMUNITY_CHECKBOX_PREFIX = "community_";
export const communityCheckboxName = (communityId: string) => `${COMMUNITY_CHECKBOX_PREFIX}${communityId}`;

/** The plain form fields as the form schema reads them (checkboxes gathered into communityIds). */
export function readServiceForm(form: Record<string, string>) {
  const communityIds = Object.keys(form)
    .filter((key) => key.startsWith(COMMUNITY_CHECKBOX_PREFIX))
    .map((key) => key.slice(COMMUNITY_CHECKBOX_PREFIX.length));
  return { ...form, communityIds };
}

const optionalText = z
  .string()
  .max(30, "填写的内容过长")
  .optional()
  .transform((text) => halfWidthDigits(text ?? "").trim());

const priceYuanSchema = optionalText.transform((text, ctx): number | null => {
  if (text === "") return null;
  const result = yuanToFen(text);
  if ("fen" in result) return result.fen;
  ctx.addIssue({ code: "custom", message: result.error });
  return z.NEVER;
});

const capacityTextSchema = optionalText.transform((text, ctx): number | null => {
  if (text === "") return null;
  const parsed = capacitySchema.safeParse(/^\d{1,9}$/.test(text) ? Number(text) : Number.NaN);
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "每周可服务人次应为整数" });
  return z.NEVER;
});

export const serviceFormSchema = z
  .object({
    title: titleSchema,
    description: descriptionSchema,
    category: categorySchema,
    communityIds: communityIdsSchema,
    funding: fundingSchema,
    priceYuan: priceYuanSchema,
    capacityPerWeek: capacityTextSchema,
  })
  .superRefine((values, ctx) => {
    const message = fundingPriceError(values.funding, values.priceYuan);
    if (message) ctx.addIssue({ code: "custom", path: ["priceYuan"], message });
  })
  .transform(({ priceYuan, ...values }) => ({ ...values, priceFen: priceYuan }));
export type ServiceFormValues = z.output<typeof serviceFormSchema>;

// Browsing (GET /api/v1/services and the 服务 page): filters arrive as query strings, where an
// empty select means "any".

const blankAsAbsent = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

export const browseQuerySchema = pagingSchema.extend({
  category: blankAsAbsent(z.enum(CATEGORY_CODES, { error: "请选择列表中的服务类别" })),
  subdistrictId: blankAsAbsent(idSchema("请选择街道")),
  communityId: blankAsAbsent(idSchema("请选择社区")),
  funding: blankAsAbsent(z.enum(FUNDINGS, { error: "请选择列表中的收费方式" })),
  providerKind: blankAsAbsent(z.enum(PROVIDER_KINDS, { error: "请选择列表中的机构类型" })),
});
export type BrowseQuery = z.output<typeof browseQuerySchema>;

// What the API answers (also the domain's return types, so the document cannot drift).

const communityOutSchema = z.object({
  id: z.string(),
  name: z.string(),
  subdistrictId: z.string(),
  subdistrictName: z.string(),
});

export const serviceSchema = z.object({
  id: z.string(),
  providerId: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  categoryName: z.string(),
  funding: z.enum(FUNDINGS),
  priceFen: z.number().int().nullable(),
  capacityPerWeek: z.number().int().nullable(),
  status: z.enum(SERVICE_STATUSES),
  communityIds: z.array(z.string()),
  communities: z.array(communityOutSchema),
  publishedAt: z.string().nullable(),
  archivedAt: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ServiceView = z.infer<typeof serviceSchema>;

/** What anyone may know of the provider behind a service: no person's contact details, only the
 * business phone it gave to be public (ADR 0030). */
export const serviceProviderSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(PROVIDER_KINDS),
  status: z.enum(["PENDING", "APPROVED", "REJECTED", "SUSPENDED"]),
  businessPhone: z.string().nullable(),
});
export type ServiceProvider = z.infer<typeof serviceProviderSchema>;

export const serviceWithProviderSchema = z.object({
  service: serviceSchema,
  provider: serviceProviderSchema,
});
export const browseItemSchema = serviceSchema.extend({ provider: serviceProviderSchema });
export type BrowseItem = z.infer<typeof browseItemSchema>;

/** The list page's publish and archive buttons name their service in a hidden field. */
export const serviceActionSchema = z.object({ serviceId: idSchema("请选择服务") });
