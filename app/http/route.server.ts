import { Prisma } from "@prisma/client";
import { data, redirect } from "@remix-run/node";
import type { z } from "zod";
import { DomainError, type ErrorCode, type FieldErrors, validationError } from "~/lib/errors";
import { describeError, logger } from "~/lib/logger.server";
import { fieldErrorsFrom } from "~/lib/zod";

// The one module that turns domain outcomes into HTTP: statuses, JSON error bodies, body parsing.

export const STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  CAPACITY_FULL: 409,
  SLOT_TAKEN: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export const MAX_JSON_BYTES = 64 * 1024;
export const MAX_FORM_BYTES = 256 * 1024;
/** A form with evidence files (ADR 0026): five files of 5 MB and the text fields around them. */
export const MAX_UPLOAD_BYTES = 26 * 1024 * 1024;
/** The paths that take file uploads, and so MAX_UPLOAD_BYTES instead of the usual body limits: a
 * project's declared figures, through the API and the web form. */
export const UPLOAD_PATH = /^\/(api\/v1\/)?projects\/[^/]+\/declared-figures$/;

/** What a reader is told while the database cannot be reached. */
export const UNAVAILABLE_MESSAGE = "服务暂时不可用，请稍后再试";

/** Any thrown value as a DomainError: known failures keep their meaning, the rest become INTERNAL. */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    // A unique index caught a race that the domain's own check could not see.
    if (error.code === "P2002") return new DomainError("CONFLICT", "该记录已存在");
    if (error.code === "P2025") return new DomainError("NOT_FOUND", "要找的内容不存在");
    // No connection became free for a transaction in time: the system is busy, not broken.
    if (error.code === "P2028") return new DomainError("UNAVAILABLE", "系统繁忙，请稍后再试");
  }
  if (isDatabaseUnavailable(error)) return new DomainError("UNAVAILABLE", UNAVAILABLE_MESSAGE);
  logger.error("unexpected error", describeError(error));
  return new DomainError("INTERNAL", "服务器出错了，请稍后再试");
}

/** Prisma's codes for a database it cannot reach or that dropped the connection (P1001 unreachable,
 * P1002 timed out, P1008 socket timeout, P1017 closed, P2024 no pool connection in time, P2037 too
 * many connections). */
const UNREACHABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
/** The driver adapter's names for the same. */
const UNREACHABLE_ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
/** SQLSTATEs of a server going away or not there yet: class 08 (connection exception), 57P01
 * admin_shutdown (a fast restart), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up),
 * 53300 too_many_connections. */
const UNREACHABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

const fieldOf = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && key in value ? Reflect.get(value, key) : undefined;

/** The codes along an error's chain: Prisma wraps the adapter's error (meta.driverAdapterError),
 * which carries the driver's SQLSTATE or socket failure in its cause. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth += 1) {
    for (const key of ["code", "originalCode", "kind"]) {
      const value = fieldOf(current, key);
      if (typeof value === "string") codes.push(value);
    }
    current = fieldOf(fieldOf(current, "meta"), "driverAdapterError") ?? fieldOf(current, "cause");
  }
  return codes;
}

/** The same failures as plain text: node-postgres' own (a pool that cannot connect, a socket closed
 * mid-query) and the server's notice to sessions it ends when it shuts down, which Prisma may pass on
 * with the message only. */
const DATABASE_GONE_TEXT =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|DatabaseNotReachable|Connection terminated|encountered a connection error|timeout exceeded when trying to connect|57P0[123]|terminating connection due to administrator command|the database system is/i;

/** True when the error says the database is down, restarting or unreachable: a 503, not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  const codes = errorCodes(error);
  if (
    codes.some(
      (code) =>
        UNREACHABLE_PRISMA_CODES.has(code) ||
        UNREACHABLE_ADAPTER_KINDS.has(code) ||
        UNREACHABLE_SQLSTATE.test(code),
    )
  ) {
    return true;
  }
  const text = error instanceof Error ? `${error.name} ${error.message}` : "";
  return DATABASE_GONE_TEXT.test(text);
}

export type ApiErrorBody = { error: { code: ErrorCode; message: string; fields?: FieldErrors } };

export function apiError(thrown: unknown): Response {
  const error = toDomainError(thrown);
  const body: ApiErrorBody = {
    error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) },
  };
  const headers = new Headers();
  if (error.retryAfterSeconds) headers.set("Retry-After", String(error.retryAfterSeconds));
  if (error instanceof MethodNotAllowed) headers.set("Allow", error.allowed);
  return Response.json(body, { status: STATUS_OF[error.code], headers });
}

/** API answers are about the caller more often than not (their needs, seats, notifications, staff
 * lists), so none may be kept by a cache unless its endpoint says otherwise (ADR 0014). */
export function withNoStoreDefault(response: Response): Response {
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "private, no-store");
  return response;
}

/** Wraps an API loader/action so that every failure becomes the JSON error of API.md. */
export function apiHandler<A>(handler: (args: A) => Promise<Response>) {
  return async (args: A): Promise<Response> => {
    try {
      return withNoStoreDefault(await handler(args));
    } catch (thrown) {
      if (thrown instanceof Response) return withNoStoreDefault(thrown);
      return withNoStoreDefault(apiError(thrown));
    }
  };
}

/** Runs a page loader's work so that a domain failure (say FORBIDDEN from `authorize`) reaches the
 * error boundary with its own status instead of as a 500. Redirects and other thrown responses pass
 * through. Call it inside `export async function loader`, so the browser build drops it with the loader. */
export async function pageData<R>(work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (thrown) {
    if (!(thrown instanceof DomainError)) throw thrown;
    throw data({ message: thrown.message }, { status: STATUS_OF[thrown.code] });
  }
}

/** A 405 that knows the methods the endpoint takes, for the Allow header HTTP requires with it. */
class MethodNotAllowed extends DomainError {
  constructor(readonly allowed: string) {
    super("METHOD_NOT_ALLOWED", `不支持此请求方法，请使用 ${allowed}`);
  }
}

export const methodNotAllowed = (allowed: string) => new MethodNotAllowed(allowed);

/** A body's bytes, refused (413) as soon as they pass `max`. A chunked body declares no length, so
 * its size is counted as it arrives rather than after all of it is in memory. Reading stops there;
 * the web server discards the rest once the answer is sent. */
async function readBodyUpTo(
  request: Request,
  max: number,
  message: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > max) throw new DomainError("PAYLOAD_TOO_LARGE", message);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > max) throw new DomainError("PAYLOAD_TOO_LARGE", message);
    chunks.push(chunk.value);
  }
  // Bytes, not a Blob: reading a Blob back as text goes through a stream of its own (ADR 0019).
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

const utf8 = new TextDecoder();

/** Reads a JSON body: 413 when too large, 400 when it is not JSON. */
export async function readJsonBody(request: Request): Promise<unknown> {
  // As Blob.text() read it before: invalid sequences replaced, a leading byte order mark dropped.
  const text = utf8.decode(await readBodyUpTo(request, MAX_JSON_BYTES, "请求内容过大"));
  if (text.trim() === "") throw validationError({ _: "请求体不能为空" }, "请求体不能为空，请发送 JSON");
  try {
    return JSON.parse(text);
  } catch {
    throw validationError({ _: "请求体不是合法的 JSON" }, "请求体不是合法的 JSON");
  }
}

/** Validates input with a shared schema; failures become a VALIDATION error with one message per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw validationError({ _: "请求内容应为一个对象" }, "请求内容应为一个对象");
  }
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(fieldErrorsFrom(result.error));
  return result.data;
}

/** The request's query string, validated with a shared schema like a body (VALIDATION per field). */
export const readQuery = <S extends z.ZodType>(schema: S, request: Request): z.output<S> =>
  parseInput(schema, Object.fromEntries(new URL(request.url).searchParams));

/** A page's query string read leniently: bad filters come back as field errors for the page to show
 * beside its form, with the unfiltered defaults, instead of an error page. `typed` is what the
 * visitor sent (when valid), to fill the form in again. A page that fills in a default filter first
 * passes its adjusted URL. */
export function readPageQuery<S extends z.ZodType>(schema: S, from: Request | URL) {
  const url = from instanceof URL ? from : new URL(from.url);
  const typed: Record<string, string> = Object.fromEntries(url.searchParams);
  const parsed = schema.safeParse(typed);
  if (parsed.success) return { query: parsed.data, typed, errors: undefined };
  const none: Record<string, string> = {};
  return { query: schema.parse(none), typed: none, errors: fieldErrorsFrom(parsed.error) };
}

/** Reads a urlencoded or multipart form into a plain object of its text fields. */
export async function readForm(request: Request): Promise<Record<string, string>> {
  const body = await readBodyUpTo(request, MAX_FORM_BYTES, "提交的内容过大");
  let form: FormData;
  try {
    const contentType = request.headers.get("content-type") ?? "";
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw validationError({ _: "表单内容无法读取" }, "表单内容无法读取，请重新提交");
  }
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") values[key] = value;
  return values;
}

/** What an upload form sent: its text fields and the non-empty files of one field. */
export type Upload = { fields: Record<string, unknown>; files: File[] };

/** Reads a multipart upload (or a urlencoded form, or JSON without files from API clients): 413
 * past MAX_UPLOAD_BYTES, 400 when it cannot be read. An empty file input sends a nameless empty
 * file, which is no file. */
export async function readUpload(request: Request, fileField: string): Promise<Upload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (/^application\/json\b/i.test(contentType)) {
    const json = await readJsonBody(request);
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw validationError({ _: "请求内容应为一个对象" }, "请求内容应为一个对象");
    }
    return { fields: { ...json }, files: [] };
  }
  const body = await readBodyUpTo(request, MAX_UPLOAD_BYTES, "提交的内容过大");
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw validationError({ _: "表单内容无法读取" }, "表单内容无法读取，请重新提交");
  }
  const fields: Record<string, unknown> = {};
  const files: File[] = [];
  for (const [key, value] of form) {
    if (typeof value === "string") fields[key] = value;
    else if (key === fileField && (value.size > 0 || value.name !== "")) files.push(value);
  }
  return { fields, files };
}

export type FormFailure = {
  ok: false;
  formError: string;
  fieldErrors: FieldErrors;
  /** What the user typed (never passwords), so a page rendered without JavaScript keeps it. */
  values: Record<string, string>;
};

const SECRET_FIELD = /password/i;

/** For UI actions: input problems go back to the form (status kept); anything else is thrown to the
 * error boundary as the matching HTTP status. */
export function formFailure(thrown: unknown, typed: Record<string, string> = {}) {
  if (thrown instanceof Response) throw thrown;
  const error = toDomainError(thrown);
  const backToForm: ErrorCode[] = [
    "VALIDATION",
    "CONFLICT",
    "RATE_LIMITED",
    "UNAUTHENTICATED",
    "PAYLOAD_TOO_LARGE",
  ];
  if (!backToForm.includes(error.code)) {
    throw data({ message: error.message }, { status: STATUS_OF[error.code] });
  }
  const values = Object.fromEntries(Object.entries(typed).filter(([key]) => !SECRET_FIELD.test(key)));
  const failure: FormFailure = {
    ok: false,
    formError: error.message,
    fieldErrors: error.fields ?? {},
    values,
  };
  const headers: HeadersInit = error.retryAfterSeconds
    ? { "Retry-After": String(error.retryAfterSeconds) }
    : {};
  return data(failure, { status: STATUS_OF[error.code], headers });
}

/** A page route's `headers`: a form's 429 carries its Retry-After like the API's (Remix passes only
 * Set-Cookie from an action's data on by itself). */
export function retryAfterHeaders({ actionHeaders }: { actionHeaders: Headers }): Headers {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
}

// Pages with several forms name each one with a hidden `intent`; each intent parses its own schema
// and calls one domain function.

export type IntentResult = { ok: true; message: string; intent: string };

type IntentHandlers = Record<string, (form: Record<string, string>) => Promise<string>>;

/** The handler the form's `intent` names; own keys only: "__proto__" or "toString" must not reach
 * Object.prototype. */
function handlerOf(handlers: IntentHandlers, form: Record<string, string>) {
  const handler = form.intent && Object.hasOwn(handlers, form.intent) ? handlers[form.intent] : undefined;
  if (!handler) throw validationError({ intent: "未知的操作" }, "未知的操作，请刷新页面后重试");
  return handler;
}

export async function runIntent(request: Request, handlers: IntentHandlers) {
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const message = await handlerOf(handlers, form)(form);
    const result: IntentResult = { ok: true, message, intent: form.intent ?? "" };
    return data(result);
  } catch (error) {
    return formFailure(error, form);
  }
}

/** runIntent for writes that a reload must not repeat (POST-redirect-GET): each handler returns
 * where to go once it has written, the page itself with what it did in the query (ids and codes,
 * never personal data), which its loader turns into the message. A failure answers the form as
 * runIntent does, with the errors and what was typed. */
export async function runIntentThenRedirect(request: Request, handlers: IntentHandlers) {
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    return redirect(await handlerOf(handlers, form)(form));
  } catch (error) {
    return formFailure(error, form);
  }
}
