import { ERROR_CODES } from "./errors";
import { wholeNumber, z } from "./zod";

// The pieces every area's endpoint list is written with (app/domain/<area>/<area>.endpoints.ts);
// app/lib/openapi.server.ts assembles them into the OpenAPI document.

export type EndpointResponse = { description: string; schema?: z.ZodType };
export type Endpoint = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  auth: boolean;
  /** Query parameters, as a zod object. */
  query?: z.ZodObject;
  body?: z.ZodType;
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

/** The list envelope of API.md: { items, total, page, pageSize }. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });

/** ?page=&pageSize= (pageSize ≤ 100), shared by every list endpoint. */
export const pagingSchema = z.object({
  page: wholeNumber("页码", 1, 10_000).default(1),
  pageSize: wholeNumber("每页条数", 1, 100).default(20),
});
export type Paging = z.output<typeof pagingSchema>;
