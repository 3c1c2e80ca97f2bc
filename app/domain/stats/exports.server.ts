import type { Prisma } from "@prisma/client";
import { chinaIso, chinaMidnight, DAY_MS } from "~/lib/china-time";
import { type Cell, csvSections, csvTable, type Table } from "~/lib/csv";
import { db } from "~/lib/db.server";
import { validationError } from "~/lib/errors";
import { maskContactsInText } from "~/lib/masking";
import { xlsxWorkbook } from "~/lib/xlsx.server";
import type { z } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { ACTIVITY_STATUS_LABELS } from "../activities/activities.schema";
import { categoryName, PROVIDER_KIND_LABELS, URGENCY_LABELS } from "../catalog/categories";
import { NEED_STATUS_LABELS } from "../needs/needs.schema";
import { authorize } from "../policy";
import { PROVIDER_STATUS_LABELS } from "../providers/providers.schema";
import { figuresOf, type Period } from "./figures.server";
import {
  type ExportDataset,
  type PeriodFigures,
  STATS_SCOPE_NAMES,
  type Stats,
  type statsExportQuerySchema,
} from "./stats.schema";
import { authorizeStats, findStatsTerritory, periodOf, type StatsTerritory } from "./stats.server";

// Exports of the statistics (issue #6): the figures, public for the district like the figures
// themselves, and the lists behind them for staff in scope, as CSV (UTF-8 with BOM) or XLSX. The
// lists carry no personal data: no requester, contact, phone, address or free text but need titles,
// whose phone numbers are masked.

export type StatsExportQuery = z.output<typeof statsExportQuerySchema>;

export type ExportFile = {
  /** The Chinese file name, and an ASCII one for clients that cannot take it. */
  filename: string;
  asciiFilename: string;
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
  /** Readable only by staff in scope: no shared cache may keep it. */
  restricted: boolean;
};

/** Beyond this an export is refused: it would hold too much in memory, and nobody reads it. */
export const MAX_EXPORT_ROWS = 50_000;
const BATCH_ROWS = 2_000;

/** "2026-03-01" in China, or nothing. */
const chinaDate = (moment: Date | null) => (moment ? chinaIso(moment).slice(0, 10) : null);
/** "2026-03-01 09:30" in China. */
const chinaMinute = (moment: Date) => chinaIso(moment).slice(0, 16).replace("T", " ");

/** The moments [start, end) of a period of China days. */
const momentsOf = (period: Period) => ({
  gte: chinaMidnight(period.from),
  lt: chinaMidnight(new Date(period.to.getTime() + DAY_MS)),
});

const DATASET_NAMES: Record<ExportDataset, { zh: string; en: string }> = {
  figures: { zh: "统计", en: "stats-figures" },
  activities: { zh: "活动清单", en: "stats-activities" },
  providers: { zh: "服务机构清单", en: "stats-providers" },
  needs: { zh: "需求清单", en: "stats-needs" },
};

/** How many rows an export may have and how many it reads at a time (smaller in tests). */
type Limits = { maxRows: number; batchRows: number };

export async function exportStatistics(
  actor: Actor | null,
  query: StatsExportQuery,
  limits: Partial<Limits> = {},
): Promise<ExportFile> {
  const period = periodOf(query);
  const territory = await findStatsTerritory(query);
  if (query.dataset === "figures") authorizeStats(actor, territory);
  else authorize(actor, "stats.view", territory.policyPath);

  const content = await contentOf(query.dataset, territory, period, {
    maxRows: limits.maxRows ?? MAX_EXPORT_ROWS,
    batchRows: limits.batchRows ?? BATCH_ROWS,
  });
  const body =
    query.format === "xlsx" ? await xlsxWorkbook(content.tables) : new TextEncoder().encode(content.csv());

  const from = period.from.toISOString().slice(0, 10);
  const to = period.to.toISOString().slice(0, 10);
  const place = territory.path.map((ref) => ref.name).join("");
  const names = DATASET_NAMES[query.dataset];
  return {
    filename: `${names.zh}-${place}-${from}至${to}.${query.format}`.replace(/[\\/:*?"<>|\s]/g, "_"),
    asciiFilename: `${names.en}-${from}-${to}.${query.format}`,
    contentType:
      query.format === "xlsx"
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8",
    body,
    restricted: query.dataset !== "figures" || territory.scope !== "district",
  };
}

/** The tables of an export. In CSV the figures' tables follow one another in one file (an XLSX has
 * a worksheet each); a list is one plain table, its header on the first line, ready to filter. */
async function contentOf(
  dataset: ExportDataset,
  territory: StatsTerritory,
  period: Period,
  limits: Limits,
): Promise<{ tables: Table[]; csv: () => string }> {
  if (dataset === "figures") {
    const tables = figureTables(await figuresOf(territory, territory.children, period), territory);
    return { tables, csv: () => csvSections(tables) };
  }
  const read = { activities: activitiesTable, providers: providersTable, needs: needsTable }[dataset];
  const table = await read(territory, period, limits);
  return { tables: [table], csv: () => csvTable(table) };
}

// --- The figures --------------------------------------------------------------------------------

/** Percentages and averages as numbers (85.7, 4.5), so spreadsheets can sum and chart them. */
const percentOf = (part: number, whole: number) =>
  whole > 0 ? Number(((part / whole) * 100).toFixed(1)) : null;
const averageOf = (sum: number, count: number) => (count > 0 ? Number((sum / count).toFixed(2)) : null);

// Columns of the breakdowns: what happened in each child territory, month or category.
const FLOW_HEADERS = [
  "新入驻社会组织(家)",
  "新入驻特色商家(家)",
  "新发布服务(项)",
  "其中政府购买服务(项)",
  "需求提出(件)",
  "需求对接(件)",
  "需求办结(件)",
  "评价(条)",
  "满意度(分)",
  "活动场次(场)",
  "报名(人次)",
  "签到(人次)",
  "现场参与(人次)",
  "受众人次",
  "到场率(%)",
];

const flowCells = (f: PeriodFigures): Cell[] => [
  f.socialOrgsJoined,
  f.merchantsJoined,
  f.servicesPublished,
  f.governmentPurchasedPublished,
  f.needsPosted,
  f.needsMatched,
  f.needsFulfilled,
  f.ratings,
  averageOf(f.ratingSum, f.ratings),
  f.activitiesHeld,
  f.registered,
  f.checkedIn,
  f.walkIns,
  f.personTimes,
  percentOf(f.checkedIn, f.registered),
];

// Providers join without a category, so the category table leaves out the two joining columns.
const PROVIDER_COLUMNS = 2;

function figureTables(stats: Stats, territory: StatsTerritory): Table[] {
  const { providers, needs, activities, participation } = stats;
  const overall: [string, Cell][] = [
    ["地区", territory.path.map((ref) => ref.name).join(" / ")],
    ["统计时段", `${stats.from}至${stats.to}`],
    ["数据更新时间", stats.computedAt ? chinaMinute(new Date(stats.computedAt)) : null],
    ["入驻社会组织(家)", providers.socialOrgs],
    ["入驻特色商家(家)", providers.merchants],
    ["其中本期新入驻社会组织(家)", providers.joined.socialOrgs],
    ["其中本期新入驻特色商家(家)", providers.joined.merchants],
    ["服务(项)", stats.services],
    ["其中政府购买服务(项)", stats.governmentPurchasedServices],
    ["本期新发布服务(项)", stats.servicesPublished],
    ["需求提出(件)", needs.posted],
    ["需求对接(件)", needs.matched],
    ["需求办结(件)", needs.fulfilled],
    ["对接用时中位数(小时)", needs.medianHoursToMatch],
    ["评价(条)", needs.ratings],
    ["满意度(分，满分5分)", needs.averageRating],
    ["活动场次(场)", activities.held],
    ["报名(人次)", activities.registered],
    ["签到(人次)", activities.checkedIn],
    ["现场参与(人次)", activities.walkIns],
    ["受众人次", participation.personTimes],
    ["服务人数(人)", participation.uniquePersons],
    ["到场率(%)", percentOf(activities.checkedIn, activities.registered)],
  ];
  const tables: Table[] = [{ title: "总体", headers: ["指标", "数值"], rows: overall }];
  const childScope = territory.children[0]?.scope;
  if (childScope) {
    tables.push({
      title: "按地区",
      headers: [STATS_SCOPE_NAMES[childScope], "入驻机构(家)", ...FLOW_HEADERS, "服务人数(人)"],
      rows: stats.byChild.map((child) => [
        child.name,
        child.providers,
        ...flowCells(child.figures),
        child.uniquePersons,
      ]),
    });
  }
  tables.push(
    {
      title: "按月份",
      headers: ["月份", ...FLOW_HEADERS, "服务人数(人)"],
      rows: stats.series.map((month) => [month.month, ...flowCells(month.figures), month.uniquePersons]),
    },
    {
      title: "按类别",
      headers: ["类别", ...FLOW_HEADERS.slice(PROVIDER_COLUMNS)],
      rows: stats.byCategory.map((row) => [row.name, ...flowCells(row.figures).slice(PROVIDER_COLUMNS)]),
    },
  );
  return tables;
}

// --- The lists ----------------------------------------------------------------------------------

function communitiesOf(territory: StatsTerritory): Prisma.CommunityWhereInput {
  switch (territory.scope) {
    case "district":
      return { subdistrict: { districtId: territory.id } };
    case "subdistrict":
      return { subdistrictId: territory.id };
    case "community":
      return { id: territory.id };
  }
}

function checkSize(count: number, { maxRows }: Limits) {
  if (count > maxRows) {
    throw validationError(
      { from: `共${count}条，一次最多导出${maxRows}条，请缩短时段或选择更小的地区` },
      "导出的记录太多，请缩短时段或选择更小的地区",
    );
  }
}

/** Reads a list in batches (keyset on id after the list's own order), turning each batch into
 * cells before the next is read, so no more than one batch of database rows is held at a time. */
async function batched<T extends { id: string }>(
  { batchRows }: Limits,
  read: (page: { take: number; skip?: number; cursor?: { id: string } }) => Promise<T[]>,
  toCells: (row: T) => Cell[],
): Promise<Cell[][]> {
  const rows: Cell[][] = [];
  let last: string | undefined;
  for (;;) {
    const batch = await read(last ? { take: batchRows, skip: 1, cursor: { id: last } } : { take: batchRows });
    for (const row of batch) rows.push(toCells(row));
    if (batch.length < batchRows) return rows;
    last = batch[batch.length - 1]?.id;
  }
}

const communityAndSubdistrict = {
  select: { name: true, subdistrict: { select: { name: true } } },
} as const;

async function activitiesTable(territory: StatsTerritory, period: Period, limits: Limits): Promise<Table> {
  // Drafts were never announced; everything else that was to start in the period is listed.
  const where: Prisma.ActivityWhereInput = {
    community: communitiesOf(territory),
    status: { not: "DRAFT" },
    startsAt: momentsOf(period),
  };
  checkSize(await db().activity.count({ where }), limits);
  const rows = await batched(
    limits,
    (page) =>
      db().activity.findMany({
        ...page,
        where,
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
        select: {
          id: true,
          title: true,
          category: true,
          startsAt: true,
          status: true,
          community: communityAndSubdistrict,
          tally: { select: { registered: true, checkedIn: true, walkIns: true, personTimes: true } },
        },
      }),
    (activity) => {
      // Only a finished activity has final counts; the others' are left blank, not 0.
      const tally = activity.status === "FINISHED" ? activity.tally : null;
      return [
        activity.title,
        activity.community.name,
        activity.community.subdistrict.name,
        categoryName(activity.category),
        chinaMinute(activity.startsAt),
        ACTIVITY_STATUS_LABELS[activity.status],
        tally?.registered ?? null,
        tally?.checkedIn ?? null,
        tally?.walkIns ?? null,
        tally?.personTimes ?? null,
      ];
    },
  );
  return {
    title: "活动清单",
    headers: ["活动名称", "社区", "街道", "类别", "开始时间", "状态", "报名", "签到", "现场参与", "受众人次"],
    rows,
  };
}

async function providersTable(territory: StatsTerritory, period: Period, limits: Limits): Promise<Table> {
  const communities = communitiesOf(territory);
  const { lt: endOfPeriod } = momentsOf(period);
  // On the platform at the end of the period, as the figures count them: approved (or suspended
  // since) by then, serving the territory.
  const where: Prisma.ProviderWhereInput = {
    status: { in: ["APPROVED", "SUSPENDED"] },
    reviewedAt: { lt: endOfPeriod },
    communities: { some: { community: communities } },
  };
  checkSize(await db().provider.count({ where }), limits);
  const rows = await batched(
    limits,
    (page) =>
      db().provider.findMany({
        ...page,
        where,
        orderBy: [{ reviewedAt: "asc" }, { id: "asc" }],
        // Registry facts only: no contact person, phone, address or description.
        select: {
          id: true,
          name: true,
          kind: true,
          status: true,
          uscc: true,
          reviewedAt: true,
          communities: {
            where: { community: communities },
            select: { community: { select: { name: true } } },
            orderBy: { community: { name: "asc" } },
          },
          _count: {
            select: {
              services: {
                where: {
                  publishedAt: { not: null, lt: endOfPeriod },
                  communities: { some: { community: communities } },
                },
              },
            },
          },
        },
      }),
    (provider) => [
      provider.name,
      PROVIDER_KIND_LABELS[provider.kind],
      PROVIDER_STATUS_LABELS[provider.status],
      provider.uscc,
      provider.communities.map((link) => link.community.name).join("、"),
      chinaDate(provider.reviewedAt),
      provider._count.services,
    ],
  );
  return {
    title: "服务机构清单",
    headers: ["机构名称", "类型", "状态", "统一社会信用代码", "服务社区", "入驻日期", "已发布服务数"],
    rows,
  };
}

async function needsTable(territory: StatsTerritory, period: Period, limits: Limits): Promise<Table> {
  const where: Prisma.NeedWhereInput = { community: communitiesOf(territory), createdAt: momentsOf(period) };
  checkSize(await db().need.count({ where }), limits);
  const rows = await batched(
    limits,
    (page) =>
      db().need.findMany({
        ...page,
        where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        // No requester, description or preferred time: free text may name or locate the resident.
        select: {
          id: true,
          title: true,
          category: true,
          status: true,
          urgency: true,
          createdAt: true,
          matchedAt: true,
          fulfilledAt: true,
          rating: true,
          community: communityAndSubdistrict,
        },
      }),
    (need) => [
      need.id,
      maskContactsInText(need.title),
      categoryName(need.category),
      need.community.name,
      need.community.subdistrict.name,
      NEED_STATUS_LABELS[need.status],
      URGENCY_LABELS[need.urgency],
      chinaDate(need.createdAt),
      chinaDate(need.matchedAt),
      chinaDate(need.fulfilledAt),
      need.rating,
    ],
  );
  return {
    title: "需求清单",
    headers: [
      "编号",
      "标题",
      "类别",
      "社区",
      "街道",
      "状态",
      "紧急程度",
      "提出日期",
      "对接日期",
      "办结日期",
      "评分",
    ],
    rows,
  };
}
