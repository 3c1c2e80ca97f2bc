// Dates as residents read them, always in China's time zone whatever the server's is.

const dateFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "long",
  day: "numeric",
});
const timeFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** "2026年11月26日" */
export const formatDate = (iso: string | Date) => dateFormat.format(new Date(iso));
/** "2026年11月26日 14:05" */
export const formatTime = (iso: string | Date) => timeFormat.format(new Date(iso));

const clock = new Intl.DateTimeFormat("zh-CN", {
  timeZone: "Asia/Shanghai",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const weekday = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", weekday: "short" });

/** "09:30" in China time. */
export const formatClock = (iso: string | Date) => clock.format(new Date(iso));

/** "2026年12月1日（周二）09:30–11:30"; "…23:00 至次日01:00" when it ends the next day (an evening
 * event: the second date would push a desk's code box off a phone's first screen); both dates when
 * it runs over several days. */
export function formatTimeRange(startIso: string | Date, endIso: string | Date) {
  const day = (iso: string | Date) => `${formatDate(iso)}（${weekday.format(new Date(iso))}）`;
  const start = `${day(startIso)}${formatClock(startIso)}`;
  const endDay = formatDate(endIso);
  if (formatDate(startIso) === endDay) return `${start}–${formatClock(endIso)}`;
  if (formatDate(new Date(new Date(startIso).getTime() + DAY)) === endDay) {
    return `${start} 至次日${formatClock(endIso)}`;
  }
  return `${start} 至 ${day(endIso)}${formatClock(endIso)}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "不到 1 分钟", "3 分钟", "2 小时 5 分钟", "3 天 4 小时": how long something has waited, to the
 * minute while under an hour and in the two largest units after that. */
export function durationInWords(ms: number): string {
  if (ms < MINUTE) return "不到 1 分钟";
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} 分钟`;
  const [big, bigUnit, small, smallUnit] =
    ms < DAY ? [HOUR, "小时", MINUTE, "分钟"] : [DAY, "天", HOUR, "小时"];
  const rest = Math.floor((ms % big) / small);
  return `${Math.floor(ms / big)} ${bigUnit}${rest > 0 ? ` ${rest} ${smallUnit}` : ""}`;
}
