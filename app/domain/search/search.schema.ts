import { pagingSchema } from "~/lib/paging";
import { ID_PATTERN, isStorableText, unreadableCharacters, z } from "~/lib/zod";
import { type FacetField, SEARCH_TYPES, type SearchType } from "~/search/engine";

import { CATEGORY_CODES } from "../catalog/categories";
import { NEED_STATUSES } from "../needs/needs.schema";
import { PROVIDER_KINDS } from "../providers/providers.schema";
import { FUNDINGS } from "../services/services.schema";

// What a search is about and how a hit marks its matches, for the pages (which stay off the engines).
export { type Highlight, SEARCH_TYPES, type SearchType } from "~/search/engine";

export const SEARCH_TYPE_LABELS = {
  service: "服务",
  need: "需求",
  provider: "组织",
  activity: "活动",
  venue: "阵地",
} as const;
export const MAX_QUERY_LENGTH = 100;

/** The filters (and facets) each kind of search offers: what searchSite applies and counts, and
 * what the 搜索 page shows. */
export const SEARCH_FILTERS = {
  service: ["category", "subdistrictId", "communityId", "funding", "providerKind"],
  provider: ["category", "subdistrictId", "communityId", "providerKind"],
  need: ["category", "subdistrictId", "communityId", "status"],
  activity: ["category", "subdistrictId", "communityId"],
  venue: ["subdistrictId", "communityId"],
} as const satisfies Record<SearchType, readonly FacetField[]>;

const optionalId = (what: string) =>
  z
    .string()
    .trim()
    .regex(ID_PATTERN, `${what}编号格式不正确`)
    .optional()
    .or(z.literal("").transform(() => undefined));
// The message sits on the union: on the enum alone it is lost to the union's generic "无效输入".
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z
    .union([z.enum(values), z.literal("")], { error: message })
    .transform((value) => value || undefined)
    .optional();

/** GET /api/v1/search and the 搜索 page: one box, a type tab, and the facet filters. */
export const searchQuerySchema = pagingSchema.extend({
  q: z
    .string()
    .trim()
    .max(MAX_QUERY_LENGTH, `搜索词不能超过${MAX_QUERY_LENGTH}个字`)
    .refine((text) => isStorableText(text), unreadableCharacters("搜索词"))
    .default(""),
  type: z
    .enum(SEARCH_TYPES, { error: "type 只能是 service、need、provider、activity 或 venue" })
    .default("service"),
  category: optionalEnum(CATEGORY_CODES, "没有这个类别"),
  subdistrictId: optionalId("街道"),
  communityId: optionalId("社区"),
  funding: optionalEnum(FUNDINGS, "经费类型只能是 FREE、PAID 或 GOVERNMENT_PURCHASED"),
  providerKind: optionalEnum(PROVIDER_KINDS, "机构类型只能是 SOCIAL_ORG 或 MERCHANT"),
  status: optionalEnum(NEED_STATUSES, "需求状态不正确"),
});
export type SearchQuery = z.output<typeof searchQuerySchema>;

const highlightsSchema = z.array(z.tuple([z.number().int(), z.number().int()]));

export const searchResultSchema = z.object({
  items: z.array(
    z.object({
      type: z.enum(SEARCH_TYPES),
      id: z.string(),
      title: z.string(),
      snippet: z.string(),
      score: z.number(),
      /** [start, end) character ranges of the matched words in title and snippet. */
      titleHighlights: highlightsSchema,
      snippetHighlights: highlightsSchema,
      /** Services only: what the card shows beyond the text. */
      service: z
        .object({
          funding: z.enum(FUNDINGS),
          /** "免费", "¥50.00/次", "政府购买（居民免费）". */
          priceLabel: z.string(),
          priceFen: z.number().int().nullable(),
          providerName: z.string(),
          /** The communities this provider's services of this title serve together: identical services
           * of one provider are shown as one card (「服务N个社区」). */
          communityCount: z.number().int(),
        })
        .optional(),
    }),
  ),
  total: z.number().int(),
  /** false when there were too many matches to count: total is then a lower bound ("超过 N 条") and
   * the facets describe the newest matches. */
  totalIsExact: z.boolean(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Counts per filter value over the whole result: { category: { "elderly-care": 12 }, ... }. */
  facets: z.record(z.string(), z.record(z.string(), z.number().int())),
  engine: z.enum(["postgres", "meilisearch"]),
  /** How the hits match the query: "all" its words; "some" of them (too few matched all, so the hits
   * are ranked by how much of the query they matched); "category": none, so the newest of the
   * category the query names are shown. */
  matchedBy: z.enum(["all", "some", "category"]),
  /** The category the query's words name (头晕 → medical), or null. */
  inferredCategory: z.enum(CATEGORY_CODES).nullable(),
  tookMs: z.number(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;
export type ServiceCard = NonNullable<SearchResult["items"][number]["service"]>;
