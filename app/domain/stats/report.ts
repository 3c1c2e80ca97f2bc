import type { Stats } from "./stats.schema";

// Figures written the way work reports write them, and the report paragraph itself. Shared by the
// server (the report API, exports) and the 统计 page.

const TEN_THOUSAND = 10_000;
const HUNDRED_MILLION = 100_000_000;

/** 12,345 → "1.2万"; 30,500 → "3万"; 9,876 → "9876". Truncated, never rounded up: a report never
 * claims more than happened. `withRemainder` adds 余 ("1.2万余") when the figure is not exact. */
export function reportNumber(value: number, withRemainder = false): string {
  const unit =
    value >= HUNDRED_MILLION ? { size: HUNDRED_MILLION, name: "亿" } : { size: TEN_THOUSAND, name: "万" };
  if (value < TEN_THOUSAND) return String(value);
  const tenths = Math.floor((value * 10) / unit.size);
  const shown = `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)}${unit.name}`;
  return withRemainder && (tenths * unit.size) / 10 !== value ? `${shown}余` : shown;
}

/** Fen as work reports write money: 123,456,789 fen → "123.4万余元"; whole yuan, truncated. */
export const reportYuan = (fen: number) => `${reportNumber(Math.floor(fen / 100), true)}元`;

/** "1,234" for plain figures in tables. */
export const groupedNumber = (value: number) => value.toLocaleString("en-US");

/** 0.8567 → "85.7%". */
export const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

const parts = (iso: string) => ({
  year: Number(iso.slice(0, 4)),
  month: Number(iso.slice(5, 7)),
  day: Number(iso.slice(8, 10)),
});

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** "2026年", "2026年3月", "2026年3月5日", "2026年1月1日至11月26日", "2025年12月1日至2026年1月31日". */
export function periodText(from: string, to: string): string {
  const start = parts(from);
  const end = parts(to);
  const sameYear = start.year === end.year;
  if (from === to) return `${start.year}年${start.month}月${start.day}日`;
  if (sameYear && start.month === 1 && start.day === 1 && end.month === 12 && end.day === 31)
    return `${start.year}年`;
  if (
    sameYear &&
    start.month === end.month &&
    start.day === 1 &&
    end.day === lastDayOfMonth(end.year, end.month)
  )
    return `${start.year}年${start.month}月`;
  const startText = `${start.year}年${start.month}月${start.day}日`;
  const endText = `${sameYear ? "" : `${end.year}年`}${end.month}月${end.day}日`;
  return `${startText}至${endText}`;
}

/** The work-report paragraph for a territory and period, with the real figures. */
export function reportParagraph(stats: Stats): string {
  const { providers, needs, activities, participation, venues, projects } = stats;
  const joined = providers.joined.socialOrgs + providers.joined.merchants;
  const sentences = [
    `${periodText(stats.from, stats.to)}，${stats.name}入驻“三社联动”信息平台的社会组织、特色商家共有${providers.total}家` +
      `（社会组织${providers.socialOrgs}家、特色商家${providers.merchants}家），其中本期新入驻${joined}家；` +
      `平台上共有服务${stats.services}项，其中政府购买服务${stats.governmentPurchasedServices}项，本期新发布${stats.servicesPublished}项。`,
    // Projects join the report once one ran in the period (issue 18).
    projects.active > 0
      ? `实施政府购买服务项目${projects.active}个，项目资金共计${reportYuan(projects.budgetFen)}。`
      : "",
    `居民提出需求${needs.posted}件，成功对接${needs.matched}件，已办结${needs.fulfilled}件` +
      (needs.medianHoursToMatch === null
        ? ""
        : `，需求从提出到对接用时的中位数为${needs.medianHoursToMatch}小时`) +
      (needs.averageRating === null
        ? ""
        : `，居民满意度评分${needs.averageRating.toFixed(1)}分（满分5分，${needs.ratings}条评价）`) +
      "。",
    // Person-times count walk-ins, who are not persons: the residents are a part of them, said so
    // ("其中"), not a second total beside them (issue #15, item 17).
    `举办各类活动${activities.held}场次，受众人数达${reportNumber(participation.personTimes, true)}人次，` +
      `其中签到居民${reportNumber(participation.uniquePersons, true)}人` +
      (activities.attendanceRate === null
        ? ""
        : `，报名居民平均到场率${percent(activities.attendanceRate)}`) +
      "。",
    // Venues join the report once a booking was completed there in the period (issue 19).
    venues.bookings > 0
      ? `先后有${reportNumber(venues.bookings, true)}批${reportNumber(venues.persons, true)}名群众到阵地开展活动。`
      : "",
  ];
  return sentences.join("");
}
