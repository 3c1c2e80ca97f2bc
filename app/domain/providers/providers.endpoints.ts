import { type Endpoint, errorResponses } from "~/lib/openapi";
import { pageOf } from "~/lib/paging";
import { z } from "~/lib/zod";
import {
  addMemberSchema,
  applyProviderSchema,
  coOrganiserInvitationSchema,
  directoryQuerySchema,
  invitationAnswerSchema,
  invitationSentSchema,
  myInvitationSchema,
  providerDetailSchema,
  providerListQuerySchema,
  providerSummarySchema,
  restoreProviderSchema,
  reviewProviderSchema,
  sentInvitationSchema,
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
      ...errorResponses(400, 401, 409, 413, 429),
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
    summary:
      "机构负责人修改资料；未通过的申请修改后重新进入待审核；已通过的机构修改名称、信用代码、类型或新增服务社区时，这些变更待审核（pendingChange），机构在审核前仍按原信息服务",
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
    path: "/api/v1/providers/{id}/changes/review",
    summary:
      "审核已通过机构的变更（名称、信用代码、类型、新增服务社区）；新增社区须由覆盖每个新增社区的工作人员审核，不通过须填写原因",
    auth: true,
    body: reviewProviderSchema,
    responses: { ...decided("已审核变更"), ...errorResponses(400, 401, 403, 404, 409) },
  },
  {
    method: "post",
    path: "/api/v1/providers/{id}/members",
    summary:
      "已通过审核的机构负责人按手机号邀请成员：对方接受后才成为成员；无论该号码是否注册，回答都相同（每人24小时内最多20个邀请）",
    auth: true,
    body: addMemberSchema,
    responses: {
      202: { description: "邀请已发出", schema: z.object({ invitation: invitationSentSchema }) },
      ...errorResponses(400, 401, 403, 404, 409, 429),
    },
  },
  {
    method: "get",
    path: "/api/v1/providers/{id}/members",
    summary: "机构负责人查看已发出、尚待回复的成员邀请（手机号已遮挡）",
    auth: true,
    responses: {
      200: { description: "待回复的邀请", schema: z.object({ items: z.array(sentInvitationSchema) }) },
      ...errorResponses(401, 403, 404),
    },
  },
  {
    method: "delete",
    path: "/api/v1/providers/{id}/members/{userId}",
    summary:
      "机构负责人移除成员，或成员本人退出（userId 为本人编号或 me）；机构唯一的负责人不能退出，负责人不能被他人移除",
    auth: true,
    responses: { 204: { description: "已移除或已退出" }, ...errorResponses(401, 403, 404, 409) },
  },
  {
    method: "get",
    path: "/api/v1/me/provider-invitations",
    summary: "邀请我加入的机构（发往我的手机号、未过期、机构已通过审核）",
    auth: true,
    responses: {
      200: { description: "邀请", schema: z.object({ items: z.array(myInvitationSchema) }) },
      ...errorResponses(401),
    },
  },
  {
    method: "post",
    path: "/api/v1/provider-invitations/{id}/accept",
    summary: "接受加入机构的邀请，成为机构成员",
    auth: true,
    body: invitationAnswerSchema,
    responses: {
      200: {
        description: "已加入",
        schema: z.object({ membership: z.object({ providerId: z.string(), role: z.literal("MEMBER") }) }),
      },
      ...errorResponses(400, 401, 404, 409),
    },
  },
  {
    method: "post",
    path: "/api/v1/provider-invitations/{id}/decline",
    summary: "谢绝加入机构的邀请（不通知邀请人）",
    auth: true,
    body: invitationAnswerSchema,
    responses: { 204: { description: "已谢绝" }, ...errorResponses(400, 401, 404, 409) },
  },
  {
    method: "get",
    path: "/api/v1/me/co-organiser-invitations",
    summary: "邀请我负责的机构共同组织的活动（尚未回复）",
    auth: true,
    responses: {
      200: { description: "邀请", schema: z.object({ items: z.array(coOrganiserInvitationSchema) }) },
      ...errorResponses(401),
    },
  },
  {
    method: "post",
    path: "/api/v1/co-organiser-invitations/{id}/accept",
    summary: "受邀机构的负责人同意共同组织活动：机构随即列为活动的参与机构",
    auth: true,
    body: invitationAnswerSchema,
    responses: { 204: { description: "已同意" }, ...errorResponses(400, 401, 403, 404, 409) },
  },
  {
    method: "post",
    path: "/api/v1/co-organiser-invitations/{id}/decline",
    summary: "受邀机构的负责人谢绝共同组织活动",
    auth: true,
    body: invitationAnswerSchema,
    responses: { 204: { description: "已谢绝" }, ...errorResponses(400, 401, 403, 404, 409) },
  },
];
