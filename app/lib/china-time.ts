// China time for dates and day boundaries. China keeps one offset all year (UTC+8, no summer time),
// so a China date is plain arithmetic on the moment; formatting for people is in format.ts.

export const CHINA_OFFSET_MS = 8 * 3600 * 1000;
export const DAY_MS = 24 * 3600 * 1000;

/** A moment as a clock in China shows it, in ISO form ("2026-12-01T09:30:00.000Z", the Z aside). */
export const chinaIso = (moment: Date | string) =>
  new Date(new Date(moment).getTime() + CHINA_OFFSET_MS).toISOString();

/** "2026-12-01": the China date of a moment. */
export const chinaDate = (moment: Date | string) => chinaIso(moment).slice(0, 10);

/** A moment as a datetime-local field shows it in China ("2026-12-01T09:30"). */
export const chinaLocalInput = (moment: Date | string) => chinaIso(moment).slice(0, 16);

/** The moment of a China wall-clock time typed as "2026-12-01T09:30" (a datetime-local field). */
export const fromChinaLocal = (local: string) => new Date(`${local}+08:00`);

/** "2026-12-01 09:30": the China date and time of a moment, to the minute (for files, not pages). */
export const chinaMinute = (moment: Date | string) => chinaIso(moment).slice(0, 16).replace("T", " ");

/** The China date of a moment as a UTC-midnight Date, the way statistics store and compare days. */
export const chinaDay = (moment: Date) =>
  new Date(Math.floor((moment.getTime() + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS);

/** The moment a China day (a UTC-midnight Date, as chinaDay gives) begins. */
export const chinaMidnight = (day: Date) => new Date(day.getTime() - CHINA_OFFSET_MS);

/** "2026-12-01" for a UTC-midnight day Date. */
export const isoDay = (day: Date) => day.toISOString().slice(0, 10);

/** The moments [start, end) of a period of China days (UTC-midnight Dates, both inclusive). */
export const chinaDayMoments = (period: { from: Date; to: Date }) => ({
  gte: chinaMidnight(period.from),
  lt: chinaMidnight(new Date(period.to.getTime() + DAY_MS)),
});

/** The ISO 8601 week of a China day (as chinaDay gives): "2026-W49". Weeks start on Monday and
 * belong to the year of their Thursday. */
export function isoWeek(day: Date): string {
  const weekday = (day.getUTCDay() + 6) % 7;
  const thursday = new Date(day.getTime() + (3 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}
