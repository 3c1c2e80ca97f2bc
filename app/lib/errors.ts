// Domain errors carry a code; one module (http.server.ts) maps codes to HTTP statuses.

export const ERROR_CODES = [
  "VALIDATION",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "CAPACITY_FULL",
  "SLOT_TAKEN",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "METHOD_NOT_ALLOWED",
  "UNAVAILABLE",
  "INTERNAL",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type FieldErrors = Record<string, string>;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    /** For RATE_LIMITED: seconds until the caller may try again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const validationError = (fields: FieldErrors, message = "提交的内容有误，请检查标出的项目") =>
  new DomainError("VALIDATION", message, fields);
export const notFound = (message = "要找的内容不存在") => new DomainError("NOT_FOUND", message);
export const forbidden = (message = "您没有权限进行此操作") => new DomainError("FORBIDDEN", message);
export const unauthenticated = (message = "请先登录") => new DomainError("UNAUTHENTICATED", message);
export const conflict = (message: string, fields?: FieldErrors) =>
  new DomainError("CONFLICT", message, fields);

/** The time asked for is already held (a venue's booking or closure): 409 SLOT_TAKEN. */
export const slotTaken = (message = "该时段已被预约或暂停开放，请换一个时间") =>
  new DomainError("SLOT_TAKEN", message);
