import type { BookingChannel, BookingStatus, VenueApproval } from "@prisma/client";
import { CHINA_OFFSET_MS, chinaDay, DAY_MS } from "~/lib/china-time";
import { pagingSchema } from "~/lib/paging";
import { dayRangeCheck, daySchema, idSchema, optionalInput, plainText, wholeNumber, z } from "~/lib/zod";
import { phoneSchema } from "../accounts/accounts.schema";
import { dateTimeSchema } from "../activities/activities.schema";

// Venues and bookings (阵地预约, issue 19): the shapes the API and the forms share, and the rules a
// booking must meet against its venue (opening hours in China time, booking window, capacity, the
// menu's largest groups), as one pure function both call with the venue loaded.

export const VENUE_APPROVALS = ["STAFF", "AUTO"] as const satisfies readonly VenueApproval[];
export const VENUE_APPROVAL_LABELS: Record<VenueApproval, string> = {
  STAFF: "需工作人员审核",
  AUTO: "提交即确认",
};
export const BOOKING_CHANNELS = [
  "WEB",
  "MINI_PROGRAM",
  "PHONE",
  "PAPER",
] as const satisfies readonly BookingChannel[];
export const BOOKING_CHANNEL_LABELS: Record<BookingChannel, string> = {
  WEB: "网页",
  MINI_PROGRAM: "小程序",
  PHONE: "电话代订",
  PAPER: "纸质登记",
};
/** The channels only staff may enter, for a group without an account (代订). */
export const STAFF_CHANNELS: readonly BookingChannel[] = ["PHONE", "PAPER"];
export const BOOKING_STATUSES = [
  "REQUESTED",
  "CONFIRMED",
  "DECLINED",
  "LAPSED",
  "CANCELLED",
  "COMPLETED",
] as const satisfies readonly BookingStatus[];
export const BOOKING_STATUS_LABELS: Record<BookingStatus, string> = {
  REQUESTED: "待审核",
  CONFIRMED: "已确认",
  DECLINED: "未通过",
  LAPSED: "已过期",
  CANCELLED: "已取消",
  COMPLETED: "已完成",
};
/** Statuses that hold their time (the exclusion constraint's WHERE). */
export const HELD_STATUSES = ["REQUESTED", "CONFIRMED"] as const satisfies readonly BookingStatus[];
/** Where a booker's notifications about one booking lead: that booking's own page, which any booking
 * of hers has (我的预约 lists only her latest past ones), with the reason and 取消 when still allowed. */
export const myBookingLink = (bookingId: string) => `/me/bookings/${bookingId}`;
export const WEEKDAY_LABELS = ["", "周一", "周二", "周三", "周四", "周五", "周六", "周日"] as const;

export const MAX_VENUE_CAPACITY = 2_000;
/** A booking lasts at most one day's opening: longer is a series or several bookings. */
export const MAX_BOOKING_MS = 12 * 3600 * 1000;
/** A series reaches at most six months past its first date. */
export const MAX_SERIES_DAYS = 183;
export const MAX_MENU_ITEMS = 30;

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
/** "09:30" → 570; "24:00" closes at midnight. */
export const minuteOfClock = (clock: string) => {
  const [hours, minutes] = clock.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};
/** 570 → "09:30". */
export const clockOfMinute = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

const clockSchema = (what: string) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .regex(CLOCK, `${what}格式应为 09:00`);

const openingRangeSchema = z
  .object({
    weekday: wholeNumber("星期", 1, 7),
    opens: clockSchema("开门时间"),
    closes: clockSchema("关门时间"),
  })
  .superRefine((range, ctx) => {
    if (typeof range.opens !== "string" || typeof range.closes !== "string") return;
    if (minuteOfClock(range.closes) <= minuteOfClock(range.opens)) {
      ctx.addIssue({ code: "custom", path: ["closes"], message: "关门时间应晚于开门时间" });
    }
  });

/** Opening hours: several ranges a day are allowed, but not overlapping ones. */
const openingHoursSchema = z
  .array(openingRangeSchema, { error: "开放时间应为列表" })
  .max(50, "开放时间最多50段")
  .superRefine((ranges, ctx) => {
    ranges.forEach((range, index) => {
      const overlaps = ranges.some(
        (other, j) =>
          j < index &&
          other.weekday === range.weekday &&
          minuteOfClock(other.opens) < minuteOfClock(range.closes) &&
          minuteOfClock(range.opens) < minuteOfClock(other.closes),
      );
      if (overlaps)
        ctx.addIssue({ code: "custom", path: [index, "opens"], message: "同一天的开放时间段不能重叠" });
    });
  });

const menuItemSchema = z.object({
  title: plainText("项目名称", 2, 40),
  minutes: wholeNumber("项目时长（分钟）", 5, 600),
  maxGroupSize: optionalInput(wholeNumber("最多人数", 1, MAX_VENUE_CAPACITY)),
});

const venueFields = {
  name: plainText("阵地名称", 2, 60),
  address: plainText("地址", 2, 120),
  capacity: wholeNumber("容纳人数", 1, MAX_VENUE_CAPACITY),
  description: plainText("阵地介绍", 2, 2000, true),
  openingHours: openingHoursSchema,
  approval: z.enum(VENUE_APPROVALS, { error: "请选择审核方式" }),
  menu: z.array(menuItemSchema, { error: "项目应为列表" }).max(MAX_MENU_ITEMS, `项目最多${MAX_MENU_ITEMS}个`),
  minLeadMinutes: wholeNumber("最少提前（分钟）", 0, 30 * 24 * 60),
  maxLeadDays: wholeNumber("最多提前（天）", 1, 365),
  answerHours: wholeNumber("审核时限（小时）", 1, 14 * 24),
};

/** A menu item's largest group may not exceed the venue's capacity. */
function checkMenuAgainstCapacity(
  values: { capacity?: number; menu?: { maxGroupSize?: number }[] },
  ctx: z.RefinementCtx,
) {
  const { capacity, menu } = values;
  if (typeof capacity !== "number" || !Array.isArray(menu)) return;
  menu.forEach((item, index) => {
    if (item.maxGroupSize !== undefined && item.maxGroupSize > capacity) {
      ctx.addIssue({
        code: "custom",
        path: ["menu", index, "maxGroupSize"],
        message: `最多人数不能超过阵地容纳人数${capacity}`,
      });
    }
  });
}

/** POST /api/v1/venues and the 新建阵地 form. */
export const createVenueSchema = z
  .object({
    ...venueFields,
    territoryId: idSchema("请选择所属街道或社区"),
    approval: venueFields.approval.default("STAFF"),
    menu: venueFields.menu.default([]),
    minLeadMinutes: venueFields.minLeadMinutes.default(120),
    maxLeadDays: venueFields.maxLeadDays.default(30),
    answerHours: venueFields.answerHours.default(48),
  })
  .superRefine(checkMenuAgainstCapacity);
export type CreateVenueInput = z.output<typeof createVenueSchema>;

/** PATCH /api/v1/venues/:id: any subset; a menu or opening hours sent replace the old ones. */
export const updateVenueSchema = z.object(venueFields).partial().superRefine(checkMenuAgainstCapacity);
export type UpdateVenueInput = z.output<typeof updateVenueSchema>;

export const venueListQuerySchema = pagingSchema.extend({
  territoryId: optionalInput(idSchema("请选择街道或社区")),
  q: optionalInput(plainText("关键词", 1, 40)),
});

export const availabilityQuerySchema = z
  .object({ from: daySchema("开始日期"), to: daySchema("结束日期") })
  .superRefine(dayRangeCheck("from", "to", { maxSpanDays: 31, tooLong: "一次最多查看31天" }));

function checkRange(values: { startsAt?: Date; endsAt?: Date }, ctx: z.RefinementCtx) {
  const { startsAt, endsAt } = values;
  if (!(startsAt instanceof Date) || !(endsAt instanceof Date)) return;
  if (endsAt <= startsAt)
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "结束时间应晚于开始时间" });
  else if (endsAt.getTime() - startsAt.getTime() > MAX_BOOKING_MS) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "一次预约最长12小时，更长的请分开预约" });
  }
}

export const REPEATS = ["WEEKLY", "BIWEEKLY"] as const;
export const REPEAT_LABELS: Record<(typeof REPEATS)[number], string> = { WEEKLY: "每周", BIWEEKLY: "每两周" };

/** POST /api/v1/bookings and the 预约 form. `repeat` books a series (每周 / 每两周, up to 6 months). */
export const createBookingSchema = z
  .object({
    venueId: idSchema("请选择阵地"),
    startsAt: dateTimeSchema("开始时间"),
    endsAt: dateTimeSchema("结束时间"),
    groupName: plainText("团体名称", 2, 60),
    expectedPersons: wholeNumber("预计人数", 1, MAX_VENUE_CAPACITY),
    contactName: plainText("联系人", 1, 30),
    contactPhone: phoneSchema,
    purpose: plainText("活动内容", 2, 500, true),
    menuItemIds: z
      .array(idSchema("请选择项目"), { error: "项目应为编号列表" })
      .max(MAX_MENU_ITEMS, `项目最多${MAX_MENU_ITEMS}个`)
      .transform((ids) => [...new Set(ids)])
      .optional(),
    channel: z
      .enum(BOOKING_CHANNELS, { error: "预约渠道只能是 WEB、MINI_PROGRAM、PHONE 或 PAPER" })
      .optional(),
    repeat: optionalInput(z.enum(REPEATS, { error: "重复方式只能是每周或每两周" })),
    repeatUntil: optionalInput(daySchema("重复截止日期")),
  })
  .superRefine((values, ctx) => {
    checkRange(values, ctx);
    if (values.repeat && !values.repeatUntil) {
      ctx.addIssue({ code: "custom", path: ["repeatUntil"], message: "请填写重复截止日期" });
    }
    checkSeriesEnd(values, ctx);
  });

/** A series ends on or after its first date and at most six months later: a later end is refused,
 * not cut short, so no date asked for is silently dropped. */
function checkSeriesEnd(
  values: { startsAt?: Date; repeat?: string; repeatUntil?: Date },
  ctx: z.RefinementCtx,
) {
  const { startsAt, repeat, repeatUntil } = values;
  if (!repeat || !(startsAt instanceof Date) || !(repeatUntil instanceof Date)) return;
  const days = (repeatUntil.getTime() - chinaDay(startsAt).getTime()) / DAY_MS;
  if (days < 0) {
    ctx.addIssue({ code: "custom", path: ["repeatUntil"], message: "重复截止日期不能早于第一次的日期" });
  } else if (days > MAX_SERIES_DAYS) {
    ctx.addIssue({
      code: "custom",
      path: ["repeatUntil"],
      message: `重复预约最长6个月（${MAX_SERIES_DAYS}天），请把截止日期提前`,
    });
  }
}
export type CreateBookingInput = z.output<typeof createBookingSchema>;

export const closureSchema = z
  .object({
    startsAt: dateTimeSchema("开始时间"),
    endsAt: dateTimeSchema("结束时间"),
    reason: plainText("关闭原因", 2, 200),
  })
  .superRefine((values, ctx) => {
    const { startsAt, endsAt } = values;
    if (!(startsAt instanceof Date) || !(endsAt instanceof Date)) return;
    if (endsAt <= startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "结束时间应晚于开始时间" });
    else if (endsAt.getTime() - startsAt.getTime() > 92 * DAY_MS) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "一次关闭最长92天" });
    }
  });

export const declineBookingSchema = z.object({ reason: plainText("不通过的原因", 2, 200) });
export const confirmBookingSchema = z.object({});
export const cancelBookingSchema = z.object({
  reason: optionalInput(plainText("取消原因", 2, 200)),
  /** Cancel this date and the later ones of its series. */
  rest: z.boolean({ error: "rest 只能是 true 或 false" }).optional(),
});
export const attendanceSchema = z.object({ attended: wholeNumber("到场人数", 0, MAX_VENUE_CAPACITY * 2) });

export const bookingListQuerySchema = pagingSchema.extend({
  venueId: optionalInput(idSchema("请选择阵地")),
  status: optionalInput(z.enum(BOOKING_STATUSES, { error: "状态不正确" })),
  from: optionalInput(daySchema("开始日期")),
  to: optionalInput(daySchema("结束日期")),
});

// ---- The rules a booking meets against its venue (China time) --------------------------------------

export type VenueRules = {
  capacity: number;
  minLeadMinutes: number;
  maxLeadDays: number;
  openingHours: { weekday: number; opensMinute: number; closesMinute: number }[];
  menu: { id: string; title: string; maxGroupSize: number | null }[];
};

/** The China weekday (1 Monday … 7 Sunday) and minute of the day of a moment. */
export function chinaClock(moment: Date) {
  const shifted = new Date(moment.getTime() + CHINA_OFFSET_MS);
  const weekday = ((shifted.getUTCDay() + 6) % 7) + 1;
  return {
    weekday,
    minute: shifted.getUTCHours() * 60 + shifted.getUTCMinutes(),
    day: Math.floor(shifted.getTime() / DAY_MS),
  };
}

/** Whether [startsAt, endsAt) lies inside one opening range of its China day (a booking may not
 * span the closed gap between two ranges, nor midnight). */
export function withinOpeningHours(rules: Pick<VenueRules, "openingHours">, startsAt: Date, endsAt: Date) {
  const start = chinaClock(startsAt);
  const end = chinaClock(new Date(endsAt.getTime() - 1));
  if (start.day !== end.day) return false;
  const endMinute = end.minute + 1;
  return rules.openingHours.some(
    (range) =>
      range.weekday === start.weekday && range.opensMinute <= start.minute && endMinute <= range.closesMinute,
  );
}

/** Field errors for a booking against its venue's rules; empty when it may be made. `firstOfSeries`
 * false skips the booking window's far end: a series' later dates may reach six months ahead. */
export function bookingRuleErrors(
  rules: VenueRules,
  booking: { startsAt: Date; endsAt: Date; expectedPersons: number; menuItemIds?: string[] },
  now: Date,
  options: { checkFarEnd?: boolean } = {},
): Record<string, string> {
  const fields: Record<string, string> = {};
  const lead = booking.startsAt.getTime() - now.getTime();
  if (lead <= 0) fields.startsAt = "开始时间已过，请选择将来的时间";
  else if (lead < rules.minLeadMinutes * 60_000) {
    fields.startsAt = `请至少提前${leadText(rules.minLeadMinutes)}预约`;
  } else if (options.checkFarEnd !== false && lead > rules.maxLeadDays * DAY_MS) {
    fields.startsAt = `最多可提前${rules.maxLeadDays}天预约`;
  }
  if (!fields.startsAt && !withinOpeningHours(rules, booking.startsAt, booking.endsAt)) {
    fields.startsAt = "所选时间不在开放时间内（不能跨越闭馆时段）";
  }
  if (booking.expectedPersons > rules.capacity) {
    fields.expectedPersons = `预计人数超过阵地容纳人数${rules.capacity}`;
  }
  for (const id of booking.menuItemIds ?? []) {
    const item = rules.menu.find((m) => m.id === id);
    if (!item) {
      fields.menuItemIds = "所选项目不属于该阵地";
      break;
    }
    if (item.maxGroupSize !== null && booking.expectedPersons > item.maxGroupSize) {
      fields.expectedPersons = `“${item.title}”每批最多${item.maxGroupSize}人`;
    }
  }
  return fields;
}

const leadText = (minutes: number) =>
  minutes % (24 * 60) === 0
    ? `${minutes / (24 * 60)}天`
    : minutes % 60 === 0
      ? `${minutes / 60}小时`
      : `${minutes}分钟`;
