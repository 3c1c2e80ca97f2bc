import { z } from "zod";
import { DAY_MS } from "./china-time";

// Default zod messages in Simplified Chinese, so every field error a user can meet reads naturally.
z.config(z.locales.zhCN());

export { z };

/** Turns zod issues into one message per field (the first one wins), keyed by dotted path. */
export function fieldErrorsFrom(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_";
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Ids are cuids. Checking the shape first also keeps NUL bytes and lone surrogates, which
 * PostgreSQL and its driver refuse, away from every query. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const idSchema = (missing: string) =>
  z.string({ error: missing }).trim().min(1, missing).regex(ID_PATTERN, "编号格式不正确");

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Control characters other than tabs and line breaks (PostgreSQL rejects NUL outright).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LINE_BREAK = /[\t\n\r]/;

/** Text the database can store and a person could have typed (line breaks only where allowed). */
export const isStorableText = (text: string, multiline = false) =>
  !CONTROL.test(text) && !LONE_SURROGATE.test(text) && (multiline || !LINE_BREAK.test(text));

export const unreadableCharacters = (what: string) => `${what}含有无法识别的字符，请重新输入`;

/** Free text a person typed: trimmed, within bounds, storable. */
export const plainText = (what: string, min: number, max: number, multiline = false) =>
  z
    .string({ error: `请填写${what}` })
    .trim()
    .min(1, `请填写${what}`)
    .min(min, `${what}至少${min}个字`)
    .max(max, `${what}不能超过${max}个字`)
    .refine((text) => isStorableText(text, multiline), unreadableCharacters(what));

/** Forms send "" for a field left empty (and GET filter forms for "全部"): that means "not given". */
export const blankToUndefined = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** An optional field where a blank form value counts as absent. */
export const optionalInput = <S extends z.ZodType>(schema: S) =>
  z.preprocess(blankToUndefined, schema.optional());

/** Whether YYYY-MM-DD (the start of the text) names a day of the calendar: Date rolls 2026-02-29
 * over to 1 March instead of refusing it. */
export function isCalendarDay(text: string): boolean {
  const day = text.slice(0, 10);
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** A China calendar day, YYYY-MM-DD, as UTC midnight (how daily figures are keyed). */
export const daySchema = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what}格式应为 2026-12-01`)
    .transform((text, ctx) => {
      if (!isCalendarDay(text)) {
        ctx.addIssue({ code: "custom", message: `${what}不是有效的日期` });
        return z.NEVER;
      }
      return new Date(`${text}T00:00:00Z`);
    });

const DECIMAL_INTEGER = /^-?\d{1,15}$/;

/** A whole number: a JSON integer, or the plain decimal digits a form field or query string carries.
 * Nothing else is read as a number (z.coerce would take "0x10", " 3 ", [3] and true). */
export const wholeNumber = (what: string, min: number, max: number) => {
  const bounded = z
    .number({ error: `${what}应为整数` })
    .int(`${what}应为整数`)
    .min(min, `${what}至少为${min}`)
    .max(max, `${what}不能超过${max}`);
  return z.union(
    [bounded, z.string().regex(DECIMAL_INTEGER, `${what}应为整数`).transform(Number).pipe(bounded)],
    { error: `${what}应为整数` },
  );
};

/** A refinement for two China days of one object (a period, a query's range, a declared span): the
 * second is not before the first and, when a limit is given, at most `maxSpanDays` after it. The
 * error sits on the second field. Fields that failed their own parse are left to that message. */
export const dayRangeCheck =
  <F extends string, T extends string>(
    from: F,
    to: T,
    options: { maxSpanDays?: number; tooLong?: string; inverted?: string } = {},
  ) =>
  (values: Partial<Record<F | T, unknown>>, ctx: z.RefinementCtx) => {
    const start = values[from];
    const end = values[to];
    if (!(start instanceof Date) || !(end instanceof Date)) return;
    if (end < start) {
      ctx.addIssue({ code: "custom", path: [to], message: options.inverted ?? "结束日期不能早于开始日期" });
    } else if (
      options.maxSpanDays !== undefined &&
      (end.getTime() - start.getTime()) / DAY_MS > options.maxSpanDays
    ) {
      ctx.addIssue({ code: "custom", path: [to], message: options.tooLong ?? "日期范围过长" });
    }
  };
