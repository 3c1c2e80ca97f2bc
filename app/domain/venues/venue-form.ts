import { DomainError, type FieldErrors, validationError } from "~/lib/errors";
import { fieldErrorsFrom, wholeNumber, type z } from "~/lib/zod";
import { clockOfMinute, MAX_MENU_ITEMS } from "./venues.schema";

// The 新建阵地 / 修改阵地 form without JavaScript: opening hours as a fixed set of rows per weekday,
// the menu as numbered rows (a blank row is ignored, a ticked 删除 drops one, 再加一行 adds one), and
// the booking window's near end in whole hours. `venueFormInput` turns the posted fields into the
// body the API takes, which the routes then parse with the API's own schema; `formFieldErrors` puts
// that schema's errors (`openingHours.3.closes`, `menu.1.title`) back on the rows they came from.

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
/** Ranges a day the form offers: a morning, an afternoon and an evening. */
export const RANGES_PER_DAY = 3;
/** A venue given more ranges a day through the API shows them all (up to this many), so saving the
 * form never drops one. */
const MAX_RANGES_PER_DAY = 8;
/** Blank menu rows shown below the filled ones. */
export const SPARE_MENU_ROWS = 2;

export const hoursField = (weekday: number, slot: number, end: "opens" | "closes") =>
  `hours-${weekday}-${slot}-${end}`;
export const menuField = (row: number, part: "title" | "minutes" | "maxGroupSize" | "remove") =>
  `menu-${row}-${part}`;

/** The near end of the booking window as the form asks it (最晚提前N小时, up to 30 days). */
const minLeadHoursSchema = wholeNumber("最晚提前（小时）", 0, 30 * 24);

/** How many menu rows the posted form had (bounded: a forged count cannot make the page huge). */
export function menuRowCount(form: Record<string, string>) {
  const count = Number(form.menuRows);
  return Number.isInteger(count) && count >= 0 ? Math.min(count, MAX_MENU_ITEMS + SPARE_MENU_ROWS) : 0;
}

const blank = (value: string | undefined) => value === undefined || value.trim() === "";
/** A blank form value is left out, so the schema says 请填写… rather than judging "". */
const given = (value: string | undefined) => (blank(value) ? undefined : value);

/** The API body for the posted form, and where each of its array entries came from. */
export function venueFormInput(form: Record<string, string>) {
  const rowOf: Record<string, string> = {};
  const openingHours: { weekday: number; opens?: string; closes?: string }[] = [];
  for (const weekday of WEEKDAYS) {
    for (let slot = 0; slot < MAX_RANGES_PER_DAY; slot += 1) {
      const opens = form[hoursField(weekday, slot, "opens")];
      const closes = form[hoursField(weekday, slot, "closes")];
      if (blank(opens) && blank(closes)) continue;
      rowOf[`openingHours.${openingHours.length}`] = `hours-${weekday}-${slot}`;
      openingHours.push({ weekday, opens: given(opens), closes: given(closes) });
    }
  }
  const menu: { title?: string; minutes?: string; maxGroupSize?: string }[] = [];
  for (let row = 0; row < menuRowCount(form); row += 1) {
    const parts = {
      title: form[menuField(row, "title")],
      minutes: form[menuField(row, "minutes")],
      maxGroupSize: form[menuField(row, "maxGroupSize")],
    };
    if (form[menuField(row, "remove")] === "on" || Object.values(parts).every(blank)) continue;
    rowOf[`menu.${menu.length}`] = `menu-${row}`;
    menu.push({
      title: given(parts.title),
      minutes: given(parts.minutes),
      maxGroupSize: given(parts.maxGroupSize),
    });
  }
  const errors: FieldErrors = {};
  const lead = minLeadHoursSchema.safeParse(form.minLeadHours ?? "");
  if (!lead.success) errors.minLeadHours = lead.error.issues[0]?.message ?? "最晚提前（小时）应为整数";
  const input = {
    name: form.name,
    address: form.address,
    capacity: form.capacity,
    description: form.description,
    approval: form.approval,
    minLeadMinutes: lead.success ? lead.data * 60 : 0,
    maxLeadDays: form.maxLeadDays,
    answerHours: form.answerHours,
    openingHours,
    menu,
    ...(form.territoryId === undefined ? {} : { territoryId: form.territoryId }),
  };
  return { input, errors, rowOf };
}

/** The schema's (or the domain's) field keys as the form's field names: `openingHours.3.closes` →
 * `hours-2-0-closes`, `menu.1.title` → `menu-4-title`, `minLeadMinutes` → `minLeadHours`. */
export function formFieldErrors(fields: FieldErrors, rowOf: Record<string, string>): FieldErrors {
  const named: FieldErrors = {};
  for (const [key, message] of Object.entries(fields)) {
    const match = /^(openingHours|menu)\.(\d+)\.(\w+)$/.exec(key);
    const row = match ? rowOf[`${match[1]}.${match[2]}`] : undefined;
    const name = row && match ? `${row}-${match[3]}` : key === "minLeadMinutes" ? "minLeadHours" : key;
    named[name] ??= message;
  }
  return named;
}

/** 再加一行: the typed values back with one more menu row, nothing saved. */
export const withMoreMenuRows = (form: Record<string, string>) => ({
  formError: "",
  fieldErrors: {} satisfies FieldErrors,
  values: { ...form, menuRows: String(Math.min(menuRowCount(form) + 1, MAX_MENU_ITEMS + SPARE_MENU_ROWS)) },
});

/** How many range rows a weekday shows: three, or as many as the values fill. */
export function rangeRows(values: (name: string) => string, weekday: number) {
  let rows = RANGES_PER_DAY;
  for (let slot = RANGES_PER_DAY; slot < MAX_RANGES_PER_DAY; slot += 1) {
    if (values(hoursField(weekday, slot, "opens")) || values(hoursField(weekday, slot, "closes")))
      rows = slot + 1;
  }
  return rows;
}

/** The posted form parsed with the API's schema (create or update): the input, and the rows its
 * array entries came from; any error is thrown with the form's own field names. */
export function parseVenueForm<S extends z.ZodType>(schema: S, form: Record<string, string>) {
  const { input, errors, rowOf } = venueFormInput(form);
  const parsed = schema.safeParse(input);
  const fields = parsed.success ? {} : formFieldErrors(fieldErrorsFrom(parsed.error), rowOf);
  if (!parsed.success || Object.keys(errors).length > 0) throw validationError({ ...fields, ...errors });
  return { input: parsed.data, rowOf };
}

/** A domain refusal of the form's values (a menu row above a lowered capacity) named as the form's
 * fields; anything else unchanged. */
export function onFormFields(error: unknown, rowOf: Record<string, string>): unknown {
  if (!(error instanceof DomainError) || !error.fields) return error;
  return validationError(formFieldErrors(error.fields, rowOf), error.message);
}

/** A venue as the form's fields, for 修改阵地 (and the defaults of 新建阵地). */
export function venueFormValues(venue: {
  name: string;
  address: string;
  capacity: number;
  description: string;
  approval: string;
  minLeadMinutes: number;
  maxLeadDays: number;
  answerHours: number;
  openingHours: { weekday: number; opens: string; closes: string }[];
  menu: { title: string; minutes: number; maxGroupSize: number | null }[];
}): Record<string, string> {
  const values: Record<string, string> = {
    name: venue.name,
    address: venue.address,
    capacity: String(venue.capacity),
    description: venue.description,
    approval: venue.approval,
    // The form works in whole hours; a window set through the API in minutes is rounded up.
    minLeadHours: String(Math.ceil(venue.minLeadMinutes / 60)),
    maxLeadDays: String(venue.maxLeadDays),
    answerHours: String(venue.answerHours),
    menuRows: String(venue.menu.length + SPARE_MENU_ROWS),
  };
  for (const weekday of WEEKDAYS) {
    venue.openingHours
      .filter((range) => range.weekday === weekday)
      .slice(0, MAX_RANGES_PER_DAY)
      .forEach((range, slot) => {
        values[hoursField(weekday, slot, "opens")] = range.opens;
        values[hoursField(weekday, slot, "closes")] = range.closes;
      });
  }
  venue.menu.forEach((item, row) => {
    values[menuField(row, "title")] = item.title;
    values[menuField(row, "minutes")] = String(item.minutes);
    values[menuField(row, "maxGroupSize")] = item.maxGroupSize === null ? "" : String(item.maxGroupSize);
  });
  return values;
}

/** A new venue's form: open Monday to Friday 09:00–12:00 and 14:00–17:30, staff approve. */
export const NEW_VENUE_VALUES: Record<string, string> = {
  ...venueFormValues({
    name: "",
    address: "",
    capacity: 0,
    description: "",
    approval: "STAFF",
    minLeadMinutes: 120,
    maxLeadDays: 30,
    answerHours: 48,
    openingHours: [1, 2, 3, 4, 5].flatMap((weekday) => [
      { weekday, opens: clockOfMinute(540), closes: clockOfMinute(720) },
      { weekday, opens: clockOfMinute(840), closes: clockOfMinute(1050) },
    ]),
    menu: [],
  }),
  capacity: "",
};
