// The fixed service and need categories of API.md, with their Chinese names (shown in the UI), and
// the other fixed labels of the marketplace.

export const CATEGORY_CODES = [
  "elderly-care",
  "child-care",
  "mental-health",
  "medical",
  "legal",
  "education",
  "housekeeping",
  "culture",
  "volunteer",
  "disability",
  "employment",
  "other",
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export const CATEGORY_NAMES: Record<CategoryCode, string> = {
  "elderly-care": "养老助老",
  "child-care": "儿童关爱",
  "mental-health": "心理健康",
  medical: "医疗健康",
  legal: "法律援助",
  education: "教育培训",
  housekeeping: "家政维修",
  culture: "文体活动",
  volunteer: "志愿服务",
  disability: "助残服务",
  employment: "就业帮扶",
  other: "其他",
};

export const CATEGORIES = CATEGORY_CODES.map((code) => ({ code, name: CATEGORY_NAMES[code] }));

export const isCategoryCode = (code: string | null): code is CategoryCode =>
  (CATEGORY_CODES as readonly (string | null)[]).includes(code);
/** The Chinese name of a stored category code ("其他" for one no longer on the list). */
export const categoryName = (code: string) =>
  isCategoryCode(code) ? CATEGORY_NAMES[code] : CATEGORY_NAMES.other;

export const FUNDING_LABELS = { FREE: "免费", PAID: "收费", GOVERNMENT_PURCHASED: "政府购买" } as const;
export const PROVIDER_KIND_LABELS = { SOCIAL_ORG: "社会组织", MERCHANT: "特色商家" } as const;
export const URGENCY_LABELS = { LOW: "不急", NORMAL: "一般", HIGH: "紧急" } as const;
