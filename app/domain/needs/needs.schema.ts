import type { NeedStatus, Urgency } from "@prisma/client";
import { pagingSchema } from "~/lib/paging";
import { idSchema, optionalInput, plainText, wholeNumber, z } from "~/lib/zod";
import { personNameSchema, phoneSchema } from "../accounts/accounts.schema";
import { CATEGORY_CODES } from "../catalog/categories";

// Needs (居民需求): the input rules shared by the API and the forms, the shapes the API answers with,
// and the Chinese labels of the life cycle (DESIGN.md §4).

export const NEED_STATUSES = [
  "OPEN",
  "MATCHED",
  "SCHEDULED",
  "FULFILLED",
  "CANCELLED",
  "CLOSED",
] as const satisfies readonly NeedStatus[];

export const NEED_STATUS_LABELS: Record<NeedStatus, string> = {
  OPEN: "待对接",
  MATCHED: "已对接",
  SCHEDULED: "已安排",
  FULFILLED: "已完成",
  CANCELLED: "已取消",
  CLOSED: "已关闭",
};

export const DAY_MS = 24 * 3600 * 1000;

export const URGENCIES = ["LOW", "NORMAL", "HIGH"] as const satisfies readonly Urgency[];

/** The requester's satisfaction, worded for the rating radio buttons. */
export const RATING_LABELS: Record<number, string> = {
  5: "非常满意",
  4: "满意",
  3: "一般",
  2: "不满意",
  1: "非常不满意",
};

const categorySchema = z.enum(CATEGORY_CODES, { error: "请选择需求类别" });
const urgencySchema = z.enum(URGENCIES, { error: "请选择紧急程度：不急、一般或紧急" });

/** What a need is about. `requesterPhone` makes it a 代办 (a worker posting on a resident's behalf);
 * `requesterName` is needed when that phone has no account yet. */
export const postNeedSchema = z.object({
  title: plainText("标题", 4, 60),
  description: plainText("需求描述", 10, 2000, true),
  category: categorySchema,
  communityId: optionalInput(idSchema("请选择社区")),
  urgency: urgencySchema.default("NORMAL"),
  preferredTime: optionalInput(plainText("希望的时间", 1, 60)),
  requesterPhone: optionalInput(phoneSchema),
  requesterName: optionalInput(personNameSchema),
  /** The service asked for with 「我要这个服务」 (ADR 0030): it must be public. */
  requestedServiceId: optionalInput(idSchema("所选服务编号格式不正确")),
});
export type NeedInput = z.output<typeof postNeedSchema>;

export const cancelNeedSchema = z.object({});

export const closeNeedSchema = z.object({ reason: plainText("关闭原因", 2, 500, true) });

const RATING_MESSAGE = "评分应为1到5的整数";
/** A form sends the chosen radio button as "5"; the API sends 5. */
const ratingSchema = z.preprocess(
  (value) => (typeof value === "string" && /^\d{1,3}$/.test(value) ? Number(value) : value),
  z.number({ error: RATING_MESSAGE }).int(RATING_MESSAGE).min(1, RATING_MESSAGE).max(5, RATING_MESSAGE),
);

export const fulfilNeedSchema = z.object({
  rating: optionalInput(ratingSchema),
  comment: optionalInput(plainText("评价", 1, 500, true)),
});

const daysSchema = wholeNumber("天数", 1, 3650);

const needFiltersSchema = pagingSchema.extend({
  category: optionalInput(categorySchema),
  communityId: optionalInput(idSchema("请选择社区")),
});

/** The public list of open needs; a resident widens it from her community to her subdistrict. */
export const openNeedsQuerySchema = needFiltersSchema.extend({
  subdistrictId: optionalInput(idSchema("请选择街道")),
});

export const needListQuerySchema = needFiltersSchema.extend({
  status: optionalInput(z.enum(NEED_STATUSES, { error: "请选择有效的需求状态" })),
  urgency: optionalInput(urgencySchema),
  /** Posted at least this many days ago (需求的“年龄”). */
  olderThanDays: optionalInput(daysSchema),
  /** Posted within the last this many days. */
  newerThanDays: optionalInput(daysSchema),
  /** Oldest first (the default: the longest-waiting open needs on top) or newest first. */
  sort: optionalInput(z.enum(["oldest", "newest"], { error: "排序方式应为 oldest 或 newest" })),
});
export type NeedListQuery = z.output<typeof needListQuerySchema>;

// What the API answers with (also the OpenAPI document's response schemas).

const statusOut = z.enum(NEED_STATUSES);
const urgencyOut = z.enum(URGENCIES);

/** A need named in a notification: its title in quotes and its case number, which the reader can
 * quote on the phone. */
export const namedNeed = (title: string, caseNumber: string) => `“${title}”（编号 ${caseNumber}）`;

/** An open need as anyone may see it: no personal data at all. */
export const openNeedSchema = z.object({
  id: z.string(),
  /** What people read and quote (XQ-2026-000123, ADR 0029); `id` stays the key of the API's paths. */
  caseNumber: z.string(),
  title: z.string(),
  category: z.string(),
  categoryName: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  urgency: urgencyOut,
  createdAt: z.string(),
});
export type OpenNeed = z.infer<typeof openNeedSchema>;

/** A row of the staff triage list or of a resident's own list. */
export const needSummarySchema = openNeedSchema.extend({
  status: statusOut,
  statusLabel: z.string(),
  onBehalf: z.boolean(),
  requesterName: z.string(),
  requesterPhoneMasked: z.string(),
  updatedAt: z.string(),
});
export type NeedSummary = z.infer<typeof needSummarySchema>;

/** The service a need asks for by name (「我要这个服务」): public facts only. */
export const requestedServiceSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  categoryName: z.string(),
  providerId: z.string(),
  providerName: z.string(),
});
export type RequestedService = z.infer<typeof requestedServiceSchema>;

export const needSchema = openNeedSchema.extend({
  description: z.string(),
  preferredTime: z.string().nullable(),
  status: statusOut,
  statusLabel: z.string(),
  onBehalf: z.boolean(),
  requesterPhoneMasked: z.string(),
  /** Name and unmasked phone, only for the requester, staff in scope (and later the provider of an
   * accepted match); null for everyone else. */
  requester: z.object({ name: z.string(), phone: z.string() }).nullable(),
  /** The close reason and the rating: for the same people as the contact details. */
  closeReason: z.string().nullable(),
  rating: z.number().int().nullable(),
  ratingComment: z.string().nullable(),
  matchedAt: z.string().nullable(),
  fulfilledAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  updatedAt: z.string(),
  /** The service the resident asked for from its page, if any (ADR 0030). */
  requestedService: requestedServiceSchema.nullable(),
  /** What the caller may do with the need now. */
  actions: z.object({ cancel: z.boolean(), close: z.boolean(), fulfil: z.boolean(), rate: z.boolean() }),
});
export type Need = z.infer<typeof needSchema>;

/** One line of a step of a need's story: 机构, 联系电话, 活动, 时间, 地点…; `href` a link (a page, or
 * `tel:` for a phone). */
const storyDetailSchema = z.object({ label: z.string(), value: z.string(), href: z.string().nullable() });

export const STORY_STEPS = ["submitted", "accepted", "matched", "scheduled", "rated", "ended"] as const;

/** A need's story as its requester reads it (已提交 → 社区已受理 → 已对接 → 已安排 → 待评价): what
 * happened and when, what comes next. Staff-only notes are never part of it. */
export const needStorySchema = z.object({
  needId: z.string(),
  status: statusOut,
  statusLabel: z.string(),
  steps: z.array(
    z.object({
      key: z.enum(STORY_STEPS),
      label: z.string(),
      /** done: it happened; current: what the need waits for now; todo: later. */
      state: z.enum(["done", "current", "todo"]),
      at: z.string().nullable(),
      details: z.array(storyDetailSchema),
    }),
  ),
});
export type NeedStory = z.infer<typeof needStorySchema>;
