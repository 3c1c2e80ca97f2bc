import { ERROR_CODES } from "./errors";
import { z } from "./zod";

// The pieces every area's endpoint list is written with (app/domain/<area>/<area>.endpoints.ts);
// app/http/openapi.server.ts assembles them into the OpenAPI document.

export type EndpointResponse = { description: string; schema?: z.ZodType };
export type Endpoint = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  auth: boolean;
  /** Query parameters, as a zod object. */
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may also come as multipart/form-data, with files in this repeated field. */
  upload?: { field: string; maxFiles: number };
  responses: Record<number, EndpointResponse>;
};

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});

/** Error responses for the given statuses, all in the API's error shape. */
export const errorResponses = (...statuses: number[]): Record<number, EndpointResponse> =>
  Object.fromEntries(statuses.map((status) => [status, { description: "错误", schema: errorBodySchema }]));

/** A step in a record's life cycle (accept, decline, cancel, close …): a signed-in POST with a body,
 * answering the record in its new state, or why it cannot move. */
export const lifecycleStep = (
  path: string,
  summary: string,
  body: z.ZodType,
  record: EndpointResponse,
): Endpoint => ({
  method: "post",
  path,
  summary,
  auth: true,
  body,
  responses: { 200: record, ...errorResponses(400, 401, 403, 404, 409) },
});

/** An endpoint's answer: its success status with what it carries, and the error statuses it may give. */
export const answers = (
  status: number,
  description: string,
  schema: z.ZodType | undefined,
  ...errors: number[]
): Record<number, EndpointResponse> => ({
  [status]: { description, ...(schema ? { schema } : {}) },
  ...errorResponses(...errors),
});
