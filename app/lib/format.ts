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
