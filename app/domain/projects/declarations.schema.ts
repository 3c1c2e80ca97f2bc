import { dayRangeCheck, daySchema, plainText, wholeNumber, z } from "~/lib/zod";
import { MAX_COUNT_TARGET } from "./projects.schema";

// Declared figures and their evidence (ADR 0026): what a form or an API client sends, and what the
// API answers with. The files' own checks (type by their first bytes, size, count) live with the
// domain that reads them; the limits are here so forms can say them.

/** 5 MB per file: a phone photo of a sign-in sheet or a scanned PDF fits. */
export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;
/** Files per declared figure. */
export const MAX_EVIDENCE_FILES = 5;
/** The types kept, by what their first bytes say (the name and the browser's claim are not trusted). */
export const EVIDENCE_TYPE_LABELS = {
  "image/jpeg": "JPEG 图片",
  "image/png": "PNG 图片",
  "application/pdf": "PDF 文件",
} as const;
export type EvidenceType = keyof typeof EVIDENCE_TYPE_LABELS;
/** The form field the files come in (multipart/form-data, repeated). */
export const EVIDENCE_FIELD = "files";

/** POST /api/v1/projects/:id/declared-figures (multipart with files, or JSON without) and the
 * 申报数据 form. The days lie inside the project's period (the domain checks, it knows the period). */
export const declarationSchema = z
  .object({
    label: plainText("指标名称", 2, 40),
    value: wholeNumber("数值", 0, MAX_COUNT_TARGET),
    fromOn: daySchema("起始日期"),
    toOn: daySchema("截止日期"),
    note: plainText("情况说明", 4, 1000, true),
  })
  .superRefine(dayRangeCheck("fromOn", "toOn"));
export type DeclarationInput = z.output<typeof declarationSchema>;

export const evidenceViewSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.enum(["image/jpeg", "image/png", "application/pdf"]),
  size: z.number().int(),
  /** Where the file is read (signed in, allowed to see the project's private part). */
  url: z.string(),
});
export type EvidenceView = z.infer<typeof evidenceViewSchema>;

export const declarationViewSchema = z.object({
  id: z.string(),
  label: z.string(),
  value: z.number().int(),
  fromOn: z.string(),
  toOn: z.string(),
  note: z.string(),
  declaredByName: z.string(),
  createdAt: z.string(),
  evidence: z.array(evidenceViewSchema),
});
export type DeclarationView = z.infer<typeof declarationViewSchema>;

/** How many check-ins the 回访 sample shows (a page reads it too, so it lives here, not in a server
 * module the browser build leaves out). */
export const CALLBACK_SAMPLE_SIZE = 20;

/** GET /api/v1/projects/:id/callback-sample: a check-in to call back (回访), phone masked. */
export const callbackViewSchema = z.object({
  registrationId: z.string(),
  name: z.string(),
  phone: z.string(),
  activityTitle: z.string(),
  activityDate: z.string(),
});
export type CallbackView = z.infer<typeof callbackViewSchema>;
