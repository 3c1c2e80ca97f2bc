import type { ActivityStatus, RegistrationStatus } from "@prisma/client";
import { fromChinaLocal } from "~/lib/china-time";
import { pagingSchema } from "~/lib/paging";
import { daySchema, idSchema, isCalendarDay, optionalInput, plainText, wholeNumber, z } from "~/lib/zod";
import { personNameSchema, phoneSchema } from "../accounts/accounts.schema";
import { CATEGORY_CODES } from "../catalog/categories";

export const ACTIVITY_STATUSES = [
  "DRAFT",
  "PUBLISHED",
  "ONGOING",
  "FINISHED",
  "CANCELLED",
] as const satisfies readonly ActivityStatus[];
export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, string> = {
  DRAFT: "草稿",
  PUBLISHED: "报名中",
  ONGOING: "进行中",
  FINISHED: "已结束",
  CANCELLED: "已取消",
};
/** Residents register while an activity is published or under way (its page, 我的活动 and the API). */
export const OPEN_FOR_REGISTRATION: ActivityStatus[] = ["PUBLISHED", "ONGOING"];
/** Organisers edit and cancel an activity until it begins. */
export const EDITABLE: ActivityStatus[] = ["DRAFT", "PUBLISHED"];
export const CANCELLABLE: ActivityStatus[] = ["DRAFT", "PUBLISHED"];

export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  REGISTERED: "已报名",
  WAITLISTED: "候补中",
  CANCELLED: "已取消",
};

export const MAX_CAPACITY = 10_000;
/** Walk-ins are at most ten times the seats, and never above this (ADR 0018). */
export const MAX_WALK_INS = 5_000;
export const WALK_INS_PER_SEAT = 10;
export const walkInsCeiling = (capacity: number) => Math.min(capacity * WALK_INS_PER_SEAT, MAX_WALK_INS);
/** After the end, the organiser's desk stays open this long; later only an admin's correction. */
export const ATTENDANCE_WINDOW_MS = 24 * 3600 * 1000;
/** An activity lasts at most a week: longer is a programme of several activities. */
export const MAX_DURATION_MS = 7 * 24 * 3600 * 1000;
/** The desk opens this long before the start. */
export const CHECK_IN_OPENS_BEFORE_MS = 2 * 3600 * 1000;

// Hours 00–23, minutes and seconds 00–59, offsets up to ±14:00: Date would roll 24:00 or 10:60 over.
const CLOCK = "([01]\\d|2[0-3]):[0-5]\\d";
const LOCAL_DATE_TIME = new RegExp(`^\\d{4}-\\d{2}-\\d{2}T${CLOCK}(:[0-5]\\d)?$`);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const WITH_OFFSET = new RegExp(
  `^\\d{4}-\\d{2}-\\d{2}T${CLOCK}(:[0-5]\\d(\\.\\d{1,3})?)?(Z|[+-](0\\d|1[0-4]):[0-5]\\d)$`,
);

/** A moment: ISO 8601 with an offset (the API), a form's datetime-local value (China time), or a
 * plain date, which means the start of that day in China. */
export const dateTimeSchema = (what: string) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(1, `请填写${what}`)
    .refine(
      (text) => LOCAL_DATE_TIME.test(text) || WITH_OFFSET.test(text) || DATE_ONLY.test(text),
      `${what}格式应为 2026-12-01T09:30`,
    )
    .transform((text, ctx) => {
      const local = DATE_ONLY.test(text) ? `${text}T00:00` : text;
      const date = LOCAL_DATE_TIME.test(local) ? fromChinaLocal(local) : new Date(local);
      if (
        !isCalendarDay(text) ||
        Number.isNaN(date.getTime()) ||
        date.getUTCFullYear() < 2000 ||
        date.getUTCFullYear() > 2100
      ) {
        ctx.addIssue({ code: "custom", message: `${what}不是有效的时间` });
        return z.NEVER;
      }
      return date;
    });

const idList = (what: string) =>
  z
    .array(idSchema(`请选择${what}`), { error: `${what}应为编号列表` })
    .max(20, `${what}最多20个`)
    .transform((ids) => [...new Set(ids)]);

const activityFields = {
  title: plainText("活动名称", 2, 60),
  description: plainText("活动介绍", 10, 2000, true),
  category: optionalInput(z.enum(CATEGORY_CODES, { error: "请选择活动类别" })),
  venue: plainText("活动地点", 2, 100),
  startsAt: dateTimeSchema("开始时间"),
  endsAt: dateTimeSchema("结束时间"),
  capacity: wholeNumber("名额", 1, MAX_CAPACITY),
};

function checkTimes(values: { startsAt?: Date; endsAt?: Date }, ctx: z.RefinementCtx) {
  const { startsAt, endsAt } = values;
  // zod still runs this when a time failed its own check; then there is nothing to compare.
  if (!(startsAt instanceof Date) || !(endsAt instanceof Date)) return;
  if (endsAt <= startsAt)
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "结束时间应晚于开始时间" });
  else if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) {
    ctx.addIssue({ code: "custom", path: ["endsAt"], message: "一场活动最长7天，更长的请分成几场" });
  }
}

/** POST /api/v1/activities and the 新建活动 form. */
export const createActivitySchema = z
  .object({
    ...activityFields,
    communityId: idSchema("请选择社区"),
    /** The organising provider (a provider member creating for it); staff leave it out. */
    organiserProviderId: optionalInput(idSchema("请选择机构")),
    providerIds: idList("参与机构").optional(),
    serviceId: optionalInput(idSchema("请选择服务")),
    needIds: idList("需求").optional(),
    /** The government-purchased project it counts toward (ADR 0026). */
    projectId: optionalInput(idSchema("请选择项目")),
    publish: z.boolean({ error: "publish 只能是 true 或 false" }).optional(),
  })
  .superRefine(checkTimes);
export type CreateActivityInput = z.output<typeof createActivitySchema>;

/** PATCH /api/v1/activities/:id: any subset; the domain checks the merged times. */
export const updateActivitySchema = z
  .object({
    title: activityFields.title.optional(),
    description: activityFields.description.optional(),
    category: activityFields.category,
    venue: activityFields.venue.optional(),
    startsAt: activityFields.startsAt.optional(),
    endsAt: activityFields.endsAt.optional(),
    capacity: activityFields.capacity.optional(),
    /** Link to a project, or null (a form's blank choice) to unlink; absent keeps the link. */
    projectId: z
      .preprocess(
        (value) => (typeof value === "string" && value.trim() === "" ? null : value),
        idSchema("请选择项目").nullable(),
      )
      .optional(),
  })
  .superRefine(checkTimes);
export type UpdateActivityInput = z.output<typeof updateActivitySchema>;

export const cancelActivitySchema = z.object({ reason: optionalInput(plainText("取消原因", 2, 200)) });
export const publishActivitySchema = z.object({});

/** Staff registering a resident (代办) name them by phone, with their name when the number has no
 * account yet (one is opened); people registering themselves send {}. */
export const registerSchema = z.object({
  phone: optionalInput(phoneSchema),
  name: optionalInput(personNameSchema),
});

/** The 报名名单 download (#15 item 11): CSV unless XLSX is asked for. */
export const registrantsQuerySchema = z.object({
  format: z.enum(["csv", "xlsx"], { error: "格式只能是 csv 或 xlsx" }).default("csv"),
});
export type RegistrantsQuery = z.output<typeof registrantsQuerySchema>;

export const checkInSchema = z.object({
  code: z
    .string({ error: "请填写签到码" })
    .trim()
    .regex(/^\d{6}$/, "签到码是6位数字"),
});

export const walkInsSchema = z.object({ count: wholeNumber("现场人数", 0, MAX_WALK_INS) });

/** The desk's 「+1」 and 「−1」 buttons (`step` = 1 or -1). */
export const walkInStepSchema = z.object({
  step: z
    .enum(["1", "-1"], { error: "请按 +1 或 −1" })
    .transform((value): 1 | -1 => (value === "1" ? 1 : -1)),
});
export type WalkInStep = z.output<typeof walkInStepSchema>["step"];

/** POST /api/v1/activities/:id/attendance-corrections and the 更正受众人数 form: an admin above the
 * organiser sets the walk-ins and/or checks in registrants who came, saying why. */
export const attendanceCorrectionSchema = z
  .object({
    walkIns: optionalInput(wholeNumber("现场人数", 0, MAX_WALK_INS)),
    checkInCodes: z
      .array(checkInSchema.shape.code, { error: "签到码应为列表" })
      .max(200, "一次最多补签200人")
      .transform((codes) => [...new Set(codes)])
      .optional(),
    reason: plainText("更正原因", 5, 500, true),
  })
  .superRefine((values, ctx) => {
    if (values.walkIns === undefined && !values.checkInCodes?.length) {
      ctx.addIssue({
        code: "custom",
        path: ["walkIns"],
        message: "请填写更正后的现场人数，或要补签的签到码",
      });
    }
  });
export type AttendanceCorrectionInput = z.output<typeof attendanceCorrectionSchema>;

/** The 更正受众人数 form's fields as attendanceCorrectionSchema reads them: the codes are typed into
 * one box, separated by spaces, commas or line breaks. */
export const attendanceCorrectionFromForm = (form: Record<string, string>) => ({
  ...form,
  checkInCodes: (form.checkInCodes ?? "").split(/[\s,，、]+/).filter(Boolean),
});

export const attendanceCorrectionViewSchema = z.object({
  id: z.string(),
  correctedAt: z.string(),
  reason: z.string(),
  walkInsFrom: z.number().int(),
  walkInsTo: z.number().int(),
  checkInsAdded: z.number().int(),
});
export type AttendanceCorrectionView = z.infer<typeof attendanceCorrectionViewSchema>;

export const activityListQuerySchema = pagingSchema.extend({
  communityId: optionalInput(idSchema("请选择社区")),
  subdistrictId: optionalInput(idSchema("请选择街道")),
  category: optionalInput(z.enum(CATEGORY_CODES, { error: "没有这个类别" })),
  status: optionalInput(z.enum(ACTIVITY_STATUSES, { error: "活动状态不正确" })),
  from: optionalInput(dateTimeSchema("起始时间")),
  to: optionalInput(dateTimeSchema("截止时间")),
  /** upcoming: not yet finished, soonest first; past: finished, latest first. */
  when: optionalInput(z.enum(["upcoming", "past"], { error: "只能是 upcoming 或 past" })),
});
export type ActivityListQuery = z.output<typeof activityListQuerySchema>;

/** The workbench's 活动管理 filters (ADR 0030): today: starting today in China, not a draft nor
 * cancelled (今日活动); waitlisted: upcoming with someone on the waitlist (候补待处理). */
export const ORGANISED_SHOWS = ["today", "waitlisted"] as const;
export type OrganisedShow = (typeof ORGANISED_SHOWS)[number];
export const organisedListQuerySchema = pagingSchema.extend({
  show: optionalInput(z.enum(ORGANISED_SHOWS, { error: "只能是 today 或 waitlisted" })),
});

// What the API answers with.

export const activityCountsSchema = z.object({
  registered: z.number().int(),
  waitlisted: z.number().int(),
  checkedIn: z.number().int(),
  walkIns: z.number().int(),
  personTimes: z.number().int(),
});
export type ActivityCounts = z.infer<typeof activityCountsSchema>;

export const registrationSchema = z.object({
  id: z.string(),
  activityId: z.string(),
  status: z.enum(["REGISTERED", "WAITLISTED", "CANCELLED"]),
  statusLabel: z.string(),
  /** Only for the registrant (and the organiser's desk list); null while waitlisted. */
  checkInCode: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  /** Place in the waitlist (1 = next), when waitlisted. */
  waitlistPosition: z.number().int().nullable(),
  createdAt: z.string(),
});
export type RegistrationView = z.infer<typeof registrationSchema>;

export const activitySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  categoryName: z.string(),
  communityId: z.string(),
  communityName: z.string(),
  subdistrictId: z.string(),
  venue: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  seatsLeft: z.number().int(),
  status: z.enum(ACTIVITY_STATUSES),
  statusLabel: z.string(),
  organiserProviderId: z.string().nullable(),
  providers: z.array(z.object({ id: z.string(), name: z.string() })),
  serviceId: z.string().nullable(),
  /** The government-purchased project it counts toward (ADR 0026), if any. */
  projectId: z.string().nullable(),
  needIds: z.array(z.string()),
  cancelReason: z.string().nullable(),
  version: z.number().int(),
  /** What the caller may do now. */
  actions: z.object({
    manage: z.boolean(),
    publish: z.boolean(),
    cancel: z.boolean(),
    register: z.boolean(),
    registerOnBehalf: z.boolean(),
    checkIn: z.boolean(),
    /** An admin above the organiser may correct the attendance of a finished activity. */
    correctAttendance: z.boolean(),
  }),
  /** Until then the organiser's desk takes check-ins and walk-ins (24 h after the end). */
  attendanceLocksAt: z.string(),
  /** Changes to the attendance after that, oldest first: shown as 已更正. */
  corrections: z.array(attendanceCorrectionViewSchema),
  /** The caller's own registration, if any. */
  myRegistration: registrationSchema.nullable(),
});
export type ActivityView = z.infer<typeof activitySchema>;

export const activityBodySchema = z.object({ activity: activitySchema, counts: activityCountsSchema });

/** A row of the organiser's desk list: the name and masked phone of each registrant. */
export const deskRowSchema = registrationSchema.extend({
  name: z.string(),
  phoneMasked: z.string(),
  onBehalf: z.boolean(),
});
export type DeskRow = z.infer<typeof deskRowSchema>;

export const dailyFiguresQuerySchema = z.object({
  from: optionalInput(daySchema("开始日期")),
  to: optionalInput(daySchema("结束日期")),
});

const figuresFields = {
  activitiesHeld: z.number().int(),
  registered: z.number().int(),
  checkedIn: z.number().int(),
  walkIns: z.number().int(),
  personTimes: z.number().int(),
};
export const dailyFiguresSchema = z.object({
  communityId: z.string(),
  from: z.string(),
  to: z.string(),
  /** Days with finished activities only, oldest first. */
  days: z.array(z.object({ day: z.string(), ...figuresFields, uniquePersons: z.number().int() })),
  total: z.object(figuresFields),
});
