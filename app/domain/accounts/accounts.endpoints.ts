import { type Endpoint, errorResponses } from "~/lib/openapi";
import { z } from "~/lib/zod";
import { territoryResponseSchema } from "../territory/territory.schema";
import { createStaffSchema, publicUserSchema, registerResidentSchema, signInSchema } from "./accounts.schema";

// Accounts and territory endpoints, for the OpenAPI document (app/lib/openapi.server.ts).

const userBody = z.object({ user: publicUserSchema });

export const ACCOUNT_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/auth/register",
    summary: "居民注册",
    auth: false,
    body: registerResidentSchema,
    responses: { 201: { description: "已注册", schema: userBody }, ...errorResponses(400, 409, 413, 429) },
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
      ...errorResponses(400, 401, 429),
    },
  },
  {
    method: "delete",
    path: "/api/v1/auth/token",
    summary: "注销当前令牌",
    auth: true,
    responses: { 204: { description: "已注销" }, ...errorResponses(401) },
  },
  {
    method: "get",
    path: "/api/v1/me",
    summary: "当前用户",
    auth: true,
    responses: { 200: { description: "当前用户", schema: userBody }, ...errorResponses(401) },
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
      ...errorResponses(401, 403),
    },
  },
  {
    method: "post",
    path: "/api/v1/staff",
    summary: "开设社区工作者或街道管理员账号",
    auth: true,
    body: createStaffSchema,
    responses: { 201: { description: "已开设", schema: userBody }, ...errorResponses(400, 401, 403, 409) },
  },
];
