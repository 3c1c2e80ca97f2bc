import { type Endpoint, errorResponses } from "~/lib/openapi";
import { pageOf } from "~/lib/paging";
import { z } from "~/lib/zod";
import {
  browseItemSchema,
  browseQuerySchema,
  createServiceSchema,
  serviceWithProviderSchema,
  updateServiceSchema,
} from "./services.schema";

// Services endpoints, for the OpenAPI document (app/http/openapi.server.ts).

const noBody = z.object({}).describe("无需请求内容，可发送 {} 或不发送");

export const SERVICE_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/services",
    summary: "浏览服务项目（已通过审核的机构发布的服务，最新在前）",
    auth: false,
    query: browseQuerySchema,
    responses: { 200: { description: "服务列表", schema: pageOf(browseItemSchema) }, ...errorResponses(400) },
  },
  {
    method: "post",
    path: "/api/v1/services",
    summary: "发布服务项目（机构负责人或成员；status 为 DRAFT 时保存为草稿）",
    auth: true,
    body: createServiceSchema,
    responses: {
      201: { description: "已创建", schema: serviceWithProviderSchema },
      ...errorResponses(400, 401, 403, 413),
    },
  },
  {
    method: "get",
    path: "/api/v1/services/{id}",
    summary: "服务详情（未公开的服务仅本机构人员和辖区工作人员可见）",
    auth: false,
    responses: {
      200: { description: "服务及其机构", schema: serviceWithProviderSchema },
      ...errorResponses(404),
    },
  },
  {
    method: "patch",
    path: "/api/v1/services/{id}",
    summary: "修改服务项目（只需发送要修改的字段）",
    auth: true,
    body: updateServiceSchema,
    responses: {
      200: { description: "已修改", schema: serviceWithProviderSchema },
      ...errorResponses(400, 401, 403, 404, 409, 413),
    },
  },
  {
    method: "post",
    path: "/api/v1/services/{id}/publish",
    summary: "发布草稿",
    auth: true,
    body: noBody,
    responses: {
      200: { description: "已发布", schema: serviceWithProviderSchema },
      ...errorResponses(401, 403, 404, 409),
    },
  },
  {
    method: "post",
    path: "/api/v1/services/{id}/archive",
    summary: "下架服务（机构人员，或辖区覆盖其服务社区的工作人员）",
    auth: true,
    body: noBody,
    responses: {
      200: { description: "已下架", schema: serviceWithProviderSchema },
      ...errorResponses(401, 403, 404, 409),
    },
  },
  {
    method: "get",
    path: "/api/v1/categories",
    summary: "服务与需求的类别",
    auth: false,
    responses: {
      200: {
        description: "类别",
        schema: z.object({ categories: z.array(z.object({ code: z.string(), name: z.string() })) }),
      },
    },
  },
];
