import { daySchema, idSchema, optionalInput, z } from "~/lib/zod";

// Statistics (API.md, Statistics): figures for a territory and a period of China days, from the
// workers' daily figures (ADR 0012). Shared by the API, the 统计 page, the report and the exports.

export const STATS_SCOPES = ["district", "subdistrict", "community"] as const;
export type StatsScope = (typeof STATS_SCOPES)[number];
export const STATS_SCOPE_NAMES: Record<StatsScope, string> = {
  district: "区",
  subdistrict: "街道",
  community: "社区",
};

/** The longest period one request may ask for: five years of China days. */
export const MAX_PERIOD_DAYS = 5 * 366;

/** `scope` and `id` pick the territory (`id` may be left out for the district), `from`/`to` the
 * China days, both inclusive; the period defaults to this year up to today. */
export const statsQuerySchema = z.object({
  scope: z.preprocess(
    (value) => (value === undefined || value === "" ? "district" : value),
    z.enum(STATS_SCOPES, { error: "范围应为 district、subdistrict 或 community" }),
  ),
  id: optionalInput(idSchema("请选择地区")),
  from: optionalInput(daySchema("开始日期")),
  to: optionalInput(daySchema("结束日期")),
});
export type StatsQuery = z.output<typeof statsQuerySchema>;

const EXPORT_FORMATS = ["csv", "xlsx"] as const;
const EXPORT_DATASETS = ["figures", "activities", "providers", "needs"] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];
export const statsExportQuerySchema = statsQuerySchema.extend({
  format: z.preprocess(
    (value) => (value === undefined || value === "" ? "csv" : value),
    z.enum(EXPORT_FORMATS, { error: "格式应为 csv 或 xlsx" }),
  ),
  /** What to export: the figures (default) or one of the underlying lists, for staff. */
  dataset: z.preprocess(
    (value) => (value === undefined || value === "" ? "figures" : value),
    z.enum(EXPORT_DATASETS, { error: "导出内容应为 figures、activities、providers 或 needs" }),
  ),
});

const count = z.number().int().nonnegative();

/** The additive figures of a period: sums of daily figures, so a parent's equal its children's sum. */
const periodFiguresSchema = z.object({
  socialOrgsJoined: count,
  merchantsJoined: count,
  servicesPublished: count,
  governmentPurchasedPublished: count,
  needsPosted: count,
  needsMatched: count,
  needsFulfilled: count,
  ratings: count,
  ratingSum: count,
  activitiesHeld: count,
  registered: count,
  checkedIn: count,
  walkIns: count,
  personTimes: count,
  /** Venue bookings completed (批) and the persons they brought (到场人数), issue 19. */
  venueBookings: count,
  venuePersons: count,
});
export type PeriodFigures = z.infer<typeof periodFiguresSchema>;

const territoryRefSchema = z.object({ scope: z.enum(STATS_SCOPES), id: z.string(), name: z.string() });
export type TerritoryRef = z.infer<typeof territoryRefSchema>;

export const statsSchema = z.object({
  scope: z.enum(STATS_SCOPES),
  id: z.string(),
  name: z.string(),
  /** From the district down to this territory (for the drill-down's breadcrumbs). */
  path: z.array(territoryRefSchema),
  from: z.string(),
  to: z.string(),
  /** Providers on the platform (approved, including those suspended since) at the end of the period. */
  providers: z.object({
    socialOrgs: count,
    merchants: count,
    total: count,
    joined: z.object({ socialOrgs: count, merchants: count }),
  }),
  /** Services published up to the end of the period. */
  services: count,
  governmentPurchasedServices: count,
  servicesPublished: count,
  needs: z.object({
    posted: count,
    matched: count,
    fulfilled: count,
    /** Hours from posting to the accepted match, median over the needs matched in the period. */
    medianHoursToMatch: z.number().nullable(),
    ratings: count,
    averageRating: z.number().nullable(),
  }),
  activities: z.object({
    held: count,
    registered: count,
    checkedIn: count,
    walkIns: count,
    /** Checked in ÷ registered over the activities held; null when nobody registered. */
    attendanceRate: z.number().nullable(),
  }),
  participation: z.object({ personTimes: count, uniquePersons: count }),
  /** Completed venue bookings (batches) and their attended persons in the period. */
  venues: z.object({ bookings: count, persons: count }),
  /** Government-purchased projects (issue 18) bought at or under the territory and running in the
   * period, and their budgets in fen. Not split by child: a parent's own purchases belong to none. */
  projects: z.object({ active: count, budgetFen: count }),
  byChild: z.array(
    territoryRefSchema.extend({ figures: periodFiguresSchema, uniquePersons: count, providers: count }),
  ),
  series: z.array(z.object({ month: z.string(), figures: periodFiguresSchema, uniquePersons: count })),
  byCategory: z.array(z.object({ category: z.string(), name: z.string(), figures: periodFiguresSchema })),
  /** When the newest daily figures used here were computed. */
  computedAt: z.string().nullable(),
});
export type Stats = z.infer<typeof statsSchema>;

export const statsReportSchema = z.object({ text: z.string() });
