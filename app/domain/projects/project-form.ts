import { validationError } from "~/lib/errors";
import { fenToYuan, parseYuan, type YuanField } from "~/lib/money";
import { fieldErrorsFrom, type z } from "~/lib/zod";
import {
  type CreateProjectInput,
  type createProjectSchema,
  type EvaluationInput,
  evaluationSchema,
  type IndicatorRow,
  type IndicatorSetInput,
  indicatorSetSchema,
  MAX_BUDGET_FEN,
  MAX_INDICATORS,
  type ProjectView,
  TARGET_KEYS,
  type TargetKey,
  type UpdateProjectInput,
  type updateProjectSchema,
} from "./projects.schema";

// The web forms (新建项目, 编辑项目, 评估): plain text fields read into the API's own schemas, so both
// sides validate alike. The budget is typed in yuan and turned into fen from its digits (never
// through a float); targets arrive as targets.<key>; each bought service is one checkbox.

export const SERVICE_CHECKBOX_PREFIX = "service_";
export const serviceCheckboxName = (serviceId: string) => `${SERVICE_CHECKBOX_PREFIX}${serviceId}`;
/** Present on every project form: without it an untouched service list and an emptied one look alike. */
export const SERVICES_LISTED = "servicesListed";
const TARGET_FIELD_PREFIX = "targets.";
export const targetFieldName = (key: TargetKey) => `${TARGET_FIELD_PREFIX}${key}`;

const BUDGET: YuanField = { what: "预算", minFen: 0, maxFen: MAX_BUDGET_FEN };

/** A stored project as the form's fields show it (also what an edit compares the sent form with). */
export function projectFormValues(project: ProjectView): Record<string, string> {
  const values: Record<string, string> = {
    title: project.title,
    description: project.description,
    budgetYuan: fenToYuan(project.budgetFen),
    startsOn: project.startsOn,
    endsOn: project.endsOn,
    [SERVICES_LISTED]: "1",
  };
  for (const key of TARGET_KEYS) {
    const target = project.targets[key];
    values[targetFieldName(key)] =
      target === null ? "" : key === "averageRating" ? (target / 100).toFixed(2) : String(target);
  }
  for (const serviceId of project.serviceIds) values[serviceCheckboxName(serviceId)] = "on";
  return values;
}

const serviceKeys = (form: Record<string, string>) =>
  Object.keys(form)
    .filter((key) => key.startsWith(SERVICE_CHECKBOX_PREFIX))
    .sort();

/** What an edit form changed: the fields that differ from the stored project, all the targets when
 * any of them does, the services when the ticked set does. An audit then names what really changed. */
export function changedProjectFields(form: Record<string, string>, stored: Record<string, string>) {
  const changed: Record<string, string> = {};
  for (const name of ["title", "description", "budgetYuan", "startsOn", "endsOn"]) {
    const sent = form[name];
    if (sent !== undefined && sent.trim() !== stored[name]) changed[name] = sent;
  }
  const targetNames = TARGET_KEYS.map(targetFieldName);
  if (targetNames.some((name) => (form[name] ?? "").trim() !== stored[name])) {
    for (const name of targetNames) changed[name] = form[name] ?? "";
  }
  const sentServices = serviceKeys(form);
  if (form[SERVICES_LISTED] && sentServices.join() !== serviceKeys(stored).join()) {
    changed[SERVICES_LISTED] = "1";
    for (const name of sentServices) changed[name] = "on";
  }
  return changed;
}

/** The form's fields in the shape the API schemas read; a field the form did not send stays absent. */
function projectFormInput(form: Record<string, string>) {
  const input: Record<string, unknown> = {};
  for (const name of ["title", "description", "startsOn", "endsOn", "purchaserId", "providerId"]) {
    if (form[name] !== undefined) input[name] = form[name];
  }
  const targetNames = TARGET_KEYS.map(targetFieldName);
  if (targetNames.some((name) => form[name] !== undefined)) {
    input.targets = Object.fromEntries(TARGET_KEYS.map((key) => [key, form[targetFieldName(key)] ?? ""]));
  }
  if (form[SERVICES_LISTED]) {
    input.serviceIds = serviceKeys(form).map((key) => key.slice(SERVICE_CHECKBOX_PREFIX.length));
  }
  return input;
}

/** Reads a project form with the API's schema; every problem comes back at once, keyed by the form's
 * own field names (the budget's as budgetYuan). */
export function readProjectForm(
  schema: typeof createProjectSchema,
  form: Record<string, string>,
): CreateProjectInput;
export function readProjectForm(
  schema: typeof updateProjectSchema,
  form: Record<string, string>,
): UpdateProjectInput;
export function readProjectForm(
  schema: typeof createProjectSchema | typeof updateProjectSchema,
  form: Record<string, string>,
): CreateProjectInput | UpdateProjectInput {
  const input = projectFormInput(form);
  let budgetError: string | undefined;
  if (form.budgetYuan !== undefined) {
    const budget = parseYuan(form.budgetYuan, BUDGET);
    if ("fen" in budget) input.budgetFen = budget.fen;
    else budgetError = budget.error;
  }
  const parsed = schema.safeParse(input);
  const errors: Record<string, string> = {};
  if (!parsed.success) {
    for (const [key, message] of Object.entries(fieldErrorsFrom(parsed.error))) {
      errors[key === "budgetFen" ? "budgetYuan" : key] = message;
    }
  }
  if (budgetError) errors.budgetYuan = budgetError;
  if (!parsed.success || budgetError) throw validationError(errors);
  return parsed.data;
}

/** Indicator rows of a form (评估: scores.<n>.indicator / .score / .max; 默认评估指标:
 * indicators.<n>.indicator / .max), read with the API's schema. Rows left wholly blank are spare
 * lines, not indicators; errors name the row as the form numbers it. */
function readIndicatorRows<S extends z.ZodType>(
  form: Record<string, string>,
  list: "scores" | "indicators",
  cells: readonly string[],
  schema: S,
  input: (rows: Record<string, string>[]) => unknown,
): z.output<S> {
  const numbers: number[] = [];
  const rows: Record<string, string>[] = [];
  for (let row = 0; row < MAX_INDICATORS; row += 1) {
    const values = Object.fromEntries(cells.map((cell) => [cell, form[`${list}.${row}.${cell}`] ?? ""]));
    if (Object.values(values).some((value) => value.trim() !== "")) {
      numbers.push(row);
      rows.push(values);
    }
  }
  const parsed = schema.safeParse(input(rows));
  if (parsed.success) return parsed.data;
  const errors: Record<string, string> = {};
  for (const [key, message] of Object.entries(fieldErrorsFrom(parsed.error))) {
    const [head, index, cell] = key.split(".");
    const row = head === list && cell !== undefined ? numbers[Number(index)] : undefined;
    errors[row === undefined ? key : `${list}.${row}.${cell}`] = message;
  }
  throw validationError(errors);
}

export const readEvaluationForm = (form: Record<string, string>): EvaluationInput =>
  readIndicatorRows(form, "scores", ["indicator", "score", "max"], evaluationSchema, (scores) => ({
    stage: form.stage,
    comment: form.comment,
    scores,
  }));

export const readIndicatorSetForm = (form: Record<string, string>): IndicatorSetInput =>
  readIndicatorRows(form, "indicators", ["indicator", "max"], indicatorSetSchema, (indicators) => ({
    indicators,
  }));

/** The rows an indicator form shows: the given indicators, then spare rows up to the form's size. */
export const indicatorFormRows = (indicators: readonly IndicatorRow[], spare: number) =>
  Array.from({ length: Math.min(indicators.length + spare, MAX_INDICATORS) }, (_, row) => ({
    indicator: indicators[row]?.indicator ?? "",
    max: indicators[row] ? String(indicators[row].max) : "",
  }));
