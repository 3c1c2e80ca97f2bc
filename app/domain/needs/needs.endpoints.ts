import { type Endpoint, errorResponses, lifecycleStep } from "~/lib/openapi";
import { pageOf } from "~/lib/paging";
import { z } from "~/lib/zod";
import {
  cancelNeedSchema,
  closeNeedSchema,
  fulfilNeedSchema,
  needListQuerySchema,
  needSchema,
  needStorySchema,
  needSummarySchema,
  openNeedSchema,
  openNeedsQuerySchema,
  postNeedSchema,
} from "./needs.schema";

// Needs endpoints, for the OpenAPI document (app/http/openapi.server.ts).

const needBody = z.object({ need: needSchema });

/** The life-cycle steps share their shape: the need, or why it cannot move. */
const step = (path: string, summary: string, body: z.ZodType) =>
  lifecycleStep(path, summary, body, { description: "需求", schema: needBody });

export const NEED_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/needs",
    summary:
      "发布需求（居民为自己；工作人员填 requesterPhone 为居民代办。不是辖区内居民的号码，无论是否已注册，都同样要求 requesterName 和 communityId）",
    auth: true,
    body: postNeedSchema,
    responses: {
      201: { description: "已发布，状态 OPEN", schema: needBody },
      ...errorResponses(400, 401, 403, 409, 413, 429),
    },
  },
  {
    method: "get",
    path: "/api/v1/needs",
    summary: "需求列表：工作人员看辖区内的（分派），居民看自己的",
    auth: true,
    query: needListQuerySchema,
    responses: {
      200: { description: "需求", schema: pageOf(needSummarySchema) },
      ...errorResponses(400, 401, 403),
    },
  },
  {
    method: "get",
    path: "/api/v1/needs/open",
    summary: "待对接的需求（公开，不含任何个人信息）",
    auth: false,
    query: openNeedsQuerySchema,
    responses: { 200: { description: "需求", schema: pageOf(openNeedSchema) }, ...errorResponses(400) },
  },
  {
    method: "get",
    path: "/api/v1/needs/{id}",
    summary: "需求详情（联系方式仅本人、辖区工作人员可见）",
    auth: true,
    responses: { 200: { description: "需求", schema: needBody }, ...errorResponses(401, 404) },
  },
  {
    method: "get",
    path: "/api/v1/needs/{id}/story",
    summary:
      "需求进展（已提交 → 社区已受理 → 已对接 → 已安排 → 待评价；本人、辖区工作人员、承接机构可见，不含工作人员备注）",
    auth: true,
    responses: {
      200: { description: "需求进展", schema: z.object({ story: needStorySchema }) },
      ...errorResponses(401, 403, 404),
    },
  },
  step("/api/v1/needs/{id}/cancel", "居民取消自己的需求（无需内容）", cancelNeedSchema),
  step("/api/v1/needs/{id}/close", "工作人员关闭需求（须填写原因）", closeNeedSchema),
  step(
    "/api/v1/needs/{id}/fulfil",
    "确认需求已完成（居民本人可评分 1–5 并评价；无评分时发送 {}）",
    fulfilNeedSchema,
  ),
];
