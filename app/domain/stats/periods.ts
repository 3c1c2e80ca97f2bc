// The periods the 统计 page offers in one click. Kept apart from the zod schemas: the page's browser
// code uses these, and zod's set-up probes eval, which the CSP refuses (and reports).

/** The periods the 统计 page offers in one click: 本月, 今年, 去年. */
export const PRESETS = ["month", "year", "lastYear"] as const;
export type Preset = (typeof PRESETS)[number];

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The preset periods on a China day (UTC midnight): 本月 and 今年 up to today, 去年 whole. */
export function presetPeriods(today: Date): Record<Preset, { from: string; to: string }> {
  const year = today.getUTCFullYear();
  return {
    month: { from: isoDay(Date.UTC(year, today.getUTCMonth(), 1)), to: isoDay(today.getTime()) },
    year: { from: isoDay(Date.UTC(year, 0, 1)), to: isoDay(today.getTime()) },
    lastYear: { from: isoDay(Date.UTC(year - 1, 0, 1)), to: isoDay(Date.UTC(year - 1, 11, 31)) },
  };
}
