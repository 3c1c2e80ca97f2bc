import { type Endpoint, errorResponses } from "~/lib/openapi";
import { pageOf } from "~/lib/paging";
import { z } from "~/lib/zod";
import {
  addMemberSchema,
  applyProviderSchema,
  directoryQuerySchema,
  providerDetailSchema,
  providerListQuerySchema,
  providerMemberSchema,
  providerSummarySchema,
  restoreProviderSchema,
  reviewProviderSchema,
  suspendProviderSchema,
  updateProviderSchema,
} from "./providers.schema";

// Providers endpoints, for the OpenAPI document (app/http/openapi.server.ts).

const providerBody = z.object({ provider: providerDetailSchema });
const decided = (description: string) => ({ 200: { description, schema: providerBody } });

export const PROVIDER_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/providers",
    summary: "申请入驻（社会组织或特色商家），申请人成为机构负责人",
    auth: true,
    body: applyProviderSchema,
    responses: {
      201: { description: "已提交，待审核", schema: providerBody },
      ...errorResponses(400, 401, 409, 413),
    },
  },
  {
    method: "get",
    path: "/api/v1/providers",
    summary: "辖区内的机构（审核队列：status=PENDING），最新申请在前",
    auth: true,
    query: providerListQuerySchema,
    responses: {
      200: { description: "机构列表", schema: pageOf(providerSummarySchema) },
      ...errorResponses(400, 401, 403),
    },
  },
  {
    method: "get",
    path: "/api/v1/providers/directory",
    summary: "已入驻机构名录（仅已通过审核的）",
    auth: false,
    query: directoryQuerySchema,
    responses: {
      200: { description: "机构名录", schema: pageOf(providerSummarySchema) },
      ...errorResponses(400),
    },
  },
  {
    method: "get",
    path: "/api/v1/providers/{id}",
    summary: "机构详情：已通过的公开；其他状态仅机构成员和辖区工作人员可见（含完整联系电话）",
    auth: false,
    responses: { 200: { description: "机构", schema: providerBody }, ...errorResponses(404) },
  },
  {
    method: "patch",
    path: "/api/v1/providers/{id}",
    summary: "机构负责人修改申请；未通过的申请修改后重新进入待审核",
    auth: true,
    body: updateProviderSchema,
    responses: { ...decided("已保存"), ...errorResponses(400, 401, 403, 404, 409, 413) },
  },
  {
    method: "post",
    path: "/api/v1/providers/{id}/review",
    summary: "审核入驻申请（通过或不通过，不通过须填写原因）",
    auth: true,
    body: reviewProviderSchema,
    responses: { ...decided("已审核"), ...errorResponses(400, 401, 403, 404, 409) },
  },
  {
    method: "post",
    path: "/api/v1/providers/{id}/suspend",
    summary: "暂停已通过的机构（街道、区管理员，须填写原因）",
    auth: true,
    body: suspendProviderSchema,
    responses: { ...decided("已暂停"), ...errorResponses(400, 401, 403, 404, 409) },
  },
  {
    method: "post",
    path: "/api/v1/providers/{id}/restore",
    summary: "恢复已暂停的机构（街道、区管理员）",
    auth: true,
    body: restoreProviderSchema,
    responses: { ...decided("已恢复"), ...errorResponses(400, 401, 403, 404, 409) },
  },
  {
    method: "post",
    path: "/api/v1/providers/{id}/members",
    summary: "机构负责人按手机号添加成员（对方须已注册）",
    auth: true,
    body: addMemberSchema,
    responses: {
      201: { description: "已添加", schema: z.object({ member: providerMemberSchema }) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  },
  {
    method: "delete",
    path: "/api/v1/providers/{id}/members/{userId}",
    summary: "机构负责人移除成员（负责人本人不能移除）",
    auth: true,
    responses: { 204: { description: "已移除" }, ...errorResponses(401, 403, 404, 409) },
  },
];
