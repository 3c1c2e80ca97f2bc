import type { FieldErrors } from "~/lib/errors";
import { blankToUndefined, idSchema, isCalendarDay, plainText, z } from "~/lib/zod";

// The 预约 form (issue 19) asks for a day and two clock times, the way people think of a booking;
// the API takes two moments. This turns the form's fields into the API's body, so both go through
// the one createBookingSchema, and puts the schema's messages back on the fields the person sees.

/** Checkbox name of one menu item in the form; the reader gathers them into menuItemIds. */
export const MENU_CHECKBOX_PREFIX = "menuItem_";
export const menuCheckboxName = (menuItemId: string) => `${MENU_CHECKBOX_PREFIX}${menuItemId}`;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

const text = (form: Record<string, string>, name: string) => (form[name] ?? "").trim();

/** The form's fields as createBookingSchema reads them: the day and clock times as China local
 * moments, the menu checkboxes as ids, the web channel (a person cannot choose another here). */
export function readBookingForm(form: Record<string, string>, venueId: string) {
  const date = text(form, "date");
  return {
    venueId,
    startsAt: `${date}T${text(form, "startTime")}`,
    endsAt: `${date}T${text(form, "endTime")}`,
    groupName: form.groupName,
    expectedPersons: form.expectedPersons,
    contactName: form.contactName,
    contactPhone: form.contactPhone,
    purpose: form.purpose,
    menuItemIds: Object.keys(form)
      .filter((key) => key.startsWith(MENU_CHECKBOX_PREFIX))
      .map((key) => key.slice(MENU_CHECKBOX_PREFIX.length)),
    channel: "WEB" as const,
    repeat: text(form, "repeat") === "NONE" ? "" : form.repeat,
    repeatUntil: form.repeatUntil,
  };
}

/** The schema's and the rules' errors on the form's own fields: a malformed day or clock is said
 * on that field (not as "开始时间格式应为 2026-12-01T09:30"), the rest of startsAt on the start
 * time, endsAt on the end time. */
export function bookingFormErrors(fields: FieldErrors, form: Record<string, string>): FieldErrors {
  const { startsAt, endsAt, ...rest } = fields;
  const errors: FieldErrors = {};
  // A bad menu id ("menuItemIds.0") is said on the menu's checkboxes.
  for (const [key, message] of Object.entries(rest)) {
    errors[key.startsWith("menuItemIds.") ? "menuItemIds" : key] ??= message;
  }
  const date = text(form, "date");
  const dayWrong = !DAY.test(date) || !isCalendarDay(date);
  if (dayWrong) errors.date = date ? "请选择有效的日期，如 2026-12-08" : "请选择日期";
  if (!CLOCK.test(text(form, "startTime"))) {
    errors.startTime = text(form, "startTime") ? "开始时间格式应为 09:00" : "请选择开始时间";
  } else if (startsAt && !dayWrong) {
    errors.startTime = startsAt;
  }
  if (!CLOCK.test(text(form, "endTime"))) {
    errors.endTime = text(form, "endTime") ? "结束时间格式应为 11:00" : "请选择结束时间";
  } else if (endsAt && !dayWrong) {
    errors.endTime = endsAt;
  }
  return errors;
}

/** 我的预约's 取消 buttons: which booking (the intent says whether the rest of its series too). */
export const cancelBookingFormSchema = z.object({ bookingId: idSchema("请选择要取消的预约") });

/** 阵地管理's 取消: staff cancel someone else's time, so the page asks why and the holder is told.
 * (The API takes the reason when given: its contract lists no body for a cancel.) */
export const staffCancelFormSchema = cancelBookingFormSchema.extend({
  reason: z.preprocess(
    blankToUndefined,
    z.string({ error: "请填写取消原因，预约人会看到" }).pipe(plainText("取消原因", 2, 200)),
  ),
});
