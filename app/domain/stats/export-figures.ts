import { chinaMinute } from "~/lib/china-time";
import type { Cell, Table } from "~/lib/csv";
import { type PeriodFigures, STATS_SCOPE_NAMES, type Stats } from "./stats.schema";
import type { StatsTerritory } from "./stats.server";

// The figures' tables of an export: the totals and the breakdowns by child territory, month and
// category, as numbers spreadsheets can sum and chart.

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

export function figureTables(stats: Stats, territory: StatsTerritory): Table[] {
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
    ["阵地接待(批)", stats.venues.bookings],
    ["阵地到场(人)", stats.venues.persons],
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
