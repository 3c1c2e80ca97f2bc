import type { EvaluationStage, ProjectStatus } from "@prisma/client";
import { pagingSchema } from "~/lib/paging";
import { dayRangeCheck, daySchema, idSchema, optionalInput, plainText, wholeNumber, z } from "~/lib/zod";

// Government-purchased service projects (政府购买服务项目, ADR 0026): what the create / edit forms and
// the API read, and what they answer with. Money is integer fen everywhere.

export const PROJECT_STATUSES = ["ACTIVE", "COMPLETED", "ENDED"] as const satisfies readonly ProjectStatus[];
export const PROJECT_STATUS_LABELS: Record<ProjectStatus, string> = {
  ACTIVE: "执行中",
  COMPLETED: "已结项",
  ENDED: "已提前终止",
};
export const EVALUATION_STAGES = ["MIDTERM", "FINAL"] as const satisfies readonly EvaluationStage[];
export const EVALUATION_STAGE_LABELS: Record<EvaluationStage, string> = {
  MIDTERM: "中期评估",
  FINAL: "结项评估",
};

/** The targets a project may set, in the order pages show them. */
export const TARGET_KEYS = [
  "activitiesHeld",
  "personTimes",
  "uniquePersons",
  "needsFulfilled",
  "averageRating",
] as const;
export type TargetKey = (typeof TARGET_KEYS)[number];
export const TARGET_LABELS: Record<TargetKey, string> = {
  activitiesHeld: "开展活动",
  personTimes: "服务人次",
  uniquePersons: "服务人数",
  needsFulfilled: "解决需求",
  averageRating: "平均评分",
};
export const TARGET_UNITS: Record<TargetKey, string> = {
  activitiesHeld: "场",
  personTimes: "人次",
  uniquePersons: "人",
  needsFulfilled: "件",
  averageRating: "分",
};

/** 10,000,000 yuan: a community project's budget is far below; keeps sums of many within bigint and
 * every figure within JavaScript's exact integers. */
export const MAX_BUDGET_FEN = 1_000_000_000;
export const MAX_COUNT_TARGET = 1_000_000;
/** A project lasts at most three years (a contract is usually one). */
export const MAX_PROJECT_DAYS = 3 * 366;

/** The indicator set a district starts with until its admins keep their own (ADR 0026): an
 * evaluation form is pre-filled from the district's set. */
export const STARTING_INDICATORS: readonly IndicatorRow[] = [
  { indicator: "服务成效", max: 40 },
  { indicator: "项目管理", max: 20 },
  { indicator: "居民满意度", max: 25 },
  { indicator: "财务规范", max: 15 },
];
/** As many indicators as the web forms have rows for. */
export const MAX_INDICATORS = 8;

const RATING = /^[1-5](\.\d{1,2})?$/;
/** An average rating target, 1–5 with at most two decimals: a JSON number or the text a form sends;
 * kept as hundredths so every figure stays an integer. */
const ratingTarget = z
  .union([z.number({ error: "平均评分应为1到5之间的数" }), z.string()], {
    error: "平均评分应为1到5之间的数",
  })
  .transform((value, ctx) => {
    const text = typeof value === "number" ? String(value) : value.trim();
    if (!RATING.test(text) || Number(text) > 5) {
      ctx.addIssue({ code: "custom", message: "平均评分应为1到5之间的数，最多两位小数" });
      return z.NEVER;
    }
    return Math.round(Number(text) * 100);
  });

export const targetsSchema = z.strictObject(
  {
    activitiesHeld: optionalInput(wholeNumber("开展活动目标", 0, MAX_COUNT_TARGET)),
    personTimes: optionalInput(wholeNumber("服务人次目标", 0, MAX_COUNT_TARGET)),
    uniquePersons: optionalInput(wholeNumber("服务人数目标", 0, MAX_COUNT_TARGET)),
    needsFulfilled: optionalInput(wholeNumber("解决需求目标", 0, MAX_COUNT_TARGET)),
    averageRating: optionalInput(ratingTarget),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? "只能设置开展活动、服务人次、服务人数、解决需求和平均评分这几项目标"
        : "目标应为对象",
  },
);
export type TargetsInput = z.output<typeof targetsSchema>;

const serviceIds = z
  .array(idSchema("请选择服务"), { error: "服务应为编号列表" })
  .max(50, "最多关联50项服务")
  .transform((ids) => [...new Set(ids)]);

const projectFields = {
  title: plainText("项目名称", 4, 80),
  description: plainText("项目简介", 10, 4000, true),
  budgetFen: wholeNumber("预算（分）", 0, MAX_BUDGET_FEN),
  startsOn: daySchema("开始日期"),
  endsOn: daySchema("结束日期"),
};

/** A contract's period: start ≤ end, at most three years. */
const checkPeriod = dayRangeCheck("startsOn", "endsOn", {
  maxSpanDays: MAX_PROJECT_DAYS - 1,
  tooLong: "项目周期最长三年",
});

/** POST /api/v1/projects and the 新建项目 form (the form sends targets as targets.<key> fields and
 * the budget in yuan, turned into this shape by the page). */
export const createProjectSchema = z
  .object({
    ...projectFields,
    purchaserId: idSchema("请选择购买方"),
    providerId: idSchema("请选择承接机构"),
    targets: targetsSchema.default({}),
    serviceIds: serviceIds.optional(),
  })
  .superRefine(checkPeriod);
export type CreateProjectInput = z.output<typeof createProjectSchema>;

/** PATCH /api/v1/projects/:id: any subset while it runs; the domain checks the merged period. */
export const updateProjectSchema = z
  .object({ ...projectFields, targets: targetsSchema, serviceIds })
  .partial()
  .superRefine(checkPeriod);
export type UpdateProjectInput = z.output<typeof updateProjectSchema>;

/** POST /api/v1/projects/:id/end: ending early needs a reason. */
export const endProjectSchema = z.object({ reason: plainText("终止原因", 4, 500, true) });

const indicatorFields = { indicator: plainText("指标名称", 2, 40), max: wholeNumber("满分", 1, 1000) };
const distinctIndicators = (rows: { indicator: string }[]) =>
  new Set(rows.map((row) => row.indicator)).size === rows.length;

export const scoreSchema = z
  .object({ ...indicatorFields, score: wholeNumber("得分", 0, 1000) })
  .superRefine((row, ctx) => {
    if (typeof row.score === "number" && typeof row.max === "number" && row.score > row.max) {
      ctx.addIssue({ code: "custom", path: ["score"], message: "得分不能高于满分" });
    }
  });

/** POST /api/v1/projects/:id/evaluations. */
export const evaluationSchema = z.object({
  stage: z.enum(EVALUATION_STAGES, { error: "评估阶段只能是 MIDTERM（中期）或 FINAL（结项）" }),
  scores: z
    .array(scoreSchema, { error: "请填写评估指标" })
    .min(1, "至少填写一项评估指标")
    .max(20, "评估指标最多20项")
    .refine(distinctIndicators, "评估指标不能重复"),
  comment: plainText("评估意见", 4, 2000, true),
});
export type EvaluationInput = z.output<typeof evaluationSchema>;

/** PUT /api/v1/districts/:id/evaluation-indicators: the district's default indicator set, whole. */
export const indicatorSetSchema = z.object({
  indicators: z
    .array(z.object(indicatorFields), { error: "请填写评估指标" })
    .min(1, "至少填写一项评估指标")
    .max(MAX_INDICATORS, `默认评估指标最多${MAX_INDICATORS}项`)
    .refine(distinctIndicators, "评估指标不能重复"),
});
export type IndicatorSetInput = z.output<typeof indicatorSetSchema>;
const indicatorRowSchema = z.object({ indicator: z.string(), max: z.number().int() });
export type IndicatorRow = z.infer<typeof indicatorRowSchema>;
export const indicatorSetViewSchema = z.object({
  districtId: z.string(),
  districtName: z.string(),
  /** False while the district has not kept its own set: the starting set is shown. */
  kept: z.boolean(),
  indicators: z.array(indicatorRowSchema),
  updatedAt: z.string().nullable(),
});
export type IndicatorSetView = z.infer<typeof indicatorSetViewSchema>;

export const projectListQuerySchema = pagingSchema.extend({
  purchaserId: optionalInput(idSchema("请选择购买方")),
  providerId: optionalInput(idSchema("请选择承接机构")),
  status: optionalInput(z.enum(PROJECT_STATUSES, { error: "项目状态不正确" })),
});
export type ProjectListQuery = z.output<typeof projectListQuerySchema>;

export const reportQuerySchema = z.object({
  format: optionalInput(z.enum(["json", "xlsx"], { error: "格式只能是 json 或 xlsx" })),
});

// What the API answers with.

const targetFigures = z.object({
  activitiesHeld: z.number().nullable(),
  personTimes: z.number().nullable(),
  uniquePersons: z.number().nullable(),
  needsFulfilled: z.number().nullable(),
  averageRating: z.number().nullable(),
});
export type TargetFigures = z.infer<typeof targetFigures>;

export const projectSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  purchaserId: z.string(),
  purchaserName: z.string(),
  purchaserLevel: z.enum(["DISTRICT", "SUBDISTRICT", "COMMUNITY"]),
  providerId: z.string(),
  providerName: z.string(),
  budgetFen: z.number().int(),
  startsOn: z.string(),
  endsOn: z.string(),
  status: z.enum(PROJECT_STATUSES),
  statusLabel: z.string(),
  endReason: z.string().nullable(),
  targets: targetFigures,
  serviceIds: z.array(z.string()),
  version: z.number().int(),
});
export type ProjectView = z.infer<typeof projectSchema>;

export const progressSchema = z.object({
  /** What the platform counted over the period (finished activities linked to the project). */
  actual: targetFigures,
  target: targetFigures,
  /** Where the project should be by now: the target × the share of the period elapsed. */
  expectedByNow: targetFigures,
  /** Per target set: whether actual ≥ expected by now (ratings: ≥ the target once rated). */
  onTrack: z.record(z.string(), z.boolean()),
  /** Share of the period elapsed, 0–1. */
  elapsed: z.number(),
});
export type ProjectProgress = z.infer<typeof progressSchema>;

export const projectBodySchema = z.object({ project: projectSchema, progress: progressSchema });

export const evaluationViewSchema = z.object({
  id: z.string(),
  stage: z.enum(EVALUATION_STAGES),
  stageLabel: z.string(),
  comment: z.string(),
  createdAt: z.string(),
  total: z.number().int(),
  totalMax: z.number().int(),
  scores: z.array(z.object({ indicator: z.string(), score: z.number().int(), max: z.number().int() })),
});
export type EvaluationView = z.infer<typeof evaluationViewSchema>;
