import { isoDay } from "~/lib/china-time";

// The periods the 统计 page offers, and how its period fields are read. Kept apart from the zod
// schemas: the page's browser code uses these, and zod's set-up probes eval, which the CSP refuses
// (and reports).

/** The periods the 统计 page offers in one click: 本月, 今年, 去年. */
export const PRESETS = ["month", "year", "lastYear"] as const;
export type Preset = (typeof PRESETS)[number];
export const PERIOD_CHOICES = [...PRESETS, "custom"] as const;
export type PeriodChoice = (typeof PERIOD_CHOICES)[number];
export const isPeriodChoice = (value: string): value is PeriodChoice =>
  PERIOD_CHOICES.some((choice) => choice === value);

type Dates = { from: string; to: string };

/** The preset periods on a China day (UTC midnight): 本月 and 今年 up to today, 去年 whole. */
export function presetPeriods(today: Date): Record<Preset, Dates> {
  const year = today.getUTCFullYear();
  return {
    month: { from: isoDay(new Date(Date.UTC(year, today.getUTCMonth(), 1))), to: isoDay(today) },
    year: { from: isoDay(new Date(Date.UTC(year, 0, 1))), to: isoDay(today) },
    lastYear: {
      from: isoDay(new Date(Date.UTC(year - 1, 0, 1))),
      to: isoDay(new Date(Date.UTC(year - 1, 11, 31))),
    },
  };
}

/** The 统计 page's `period`, `from` and `to` as typed: the period chosen (今年 when it names none
 * the page offers), the dates it stands for, and what is wrong, per field. Dates without a period
 * (an address typed in, or copied from the API's) are a custom period. The dates themselves are
 * checked with the rest of the query by `statsQuerySchema`. */
export function readPeriodFields(params: URLSearchParams, presets: Record<Preset, Dates>) {
  const typed = {
    period: params.get("period") ?? "",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
  };
  const chosen = typed.period === "" ? (typed.from || typed.to ? "custom" : "year") : typed.period;
  const period: PeriodChoice = isPeriodChoice(chosen) ? chosen : "year";
  const errors: Partial<Record<keyof Dates | "period", string>> = {};
  if (!isPeriodChoice(chosen)) errors.period = "时段应为本月、今年、去年或自定义";
  if (period === "custom" && !typed.from) errors.from = "请填写开始日期";
  if (period === "custom" && !typed.to) errors.to = "请填写结束日期";
  const dates = period === "custom" ? { from: typed.from, to: typed.to } : presets[period];
  return { period, dates, errors };
}
