import {
  createStaffSchema,
  publicUserSchema,
  registerResidentSchema,
  signInSchema,
} from "~/domain/accounts/accounts.schema";
import { territoryResponseSchema } from "~/domain/territory/territory.schema";
import { ERROR_CODES } from "./errors";
import { z } from "./zod";

// The OpenAPI document is generated from the same zod schemas the endpoints parse with; every
// /api/v1 route must be listed here (a test compares this list with the route files).

type Response = { description: string; schema?: z.ZodType };
export type Endpoint = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  auth: boolean;
  body?: z.ZodType;
  responses: Record<number, Response>;
};

const errorSchema = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
const userBody = z.object({ user: publicUserSchema });

const errors = (...statuses: number[]): Record<number, Response> =>
  Object.fromEntries(statuses.map((status) => [status, { description: "错误", schema: errorSchema }]));

export const ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/auth/register",
    summary: "居民注册",
    auth: false,
    body: registerResidentSchema,
    responses: { 201: { description: "已注册", schema: userBody }, ...errors(400, 409, 413, 429) },
  },
  {
    method: "post",
    path: "/api/v1/auth/token",
    summary: "登录，换取 API 令牌",
    auth: false,
    body: signInSchema,
    responses: {
      200: {
        description: "令牌",
        schema: z.object({ token: z.string(), expiresAt: z.string(), user: publicUserSchema }),
      },
      ...errors(400, 401, 429),
    },
  },
  {
    method: "delete",
    path: "/api/v1/auth/token",
    summary: "注销当前令牌",
    auth: true,
    responses: { 204: { description: "已注销" }, ...errors(401) },
  },
  {
    method: "get",
    path: "/api/v1/me",
    summary: "当前用户",
    auth: true,
    responses: { 200: { description: "当前用户", schema: userBody }, ...errors(401) },
  },
  {
    method: "get",
    path: "/api/v1/territory",
    summary: "区、街道、社区",
    auth: false,
    responses: { 200: { description: "辖区树", schema: territoryResponseSchema } },
  },
  {
    method: "get",
    path: "/api/v1/staff",
    summary: "辖区内的工作人员",
    auth: true,
    responses: {
      200: {
        description: "工作人员",
        schema: z.object({
          items: z.array(publicUserSchema.extend({ roleLabels: z.array(z.string()) })),
          total: z.number(),
        }),
      },
      ...errors(401, 403),
    },
  },
  {
    method: "post",
    path: "/api/v1/staff",
    summary: "开设社区工作者或街道管理员账号",
    auth: true,
    body: createStaffSchema,
    responses: { 201: { description: "已开设", schema: userBody }, ...errors(400, 401, 403, 409) },
  },
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "本文档",
    auth: false,
    responses: { 200: { description: "OpenAPI 3.1 文档" } },
  },
];

const jsonSchema = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const endpoint of ENDPOINTS) {
    paths[endpoint.path] ??= {};
    const operation = paths[endpoint.path] ?? {};
    operation[endpoint.method] = {
      summary: endpoint.summary,
      ...(endpoint.auth ? { security: [{ bearer: [] }] } : {}),
      ...(endpoint.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: jsonSchema(endpoint.body, "input") } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(endpoint.responses).map(([status, response]) => [
          status,
          {
            description: response.description,
            ...(response.schema
              ? { content: { "application/json": { schema: jsonSchema(response.schema, "output") } } }
              : {}),
          },
        ]),
      ),
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "三社联动服务平台 API", version: "1.0.0" },
    servers: [{ url: "/" }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    paths,
  };
}
