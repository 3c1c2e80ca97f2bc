import { type Endpoint, errorResponses } from "~/lib/openapi";
import { pageOf, pagingSchema } from "~/lib/paging";
import { z } from "~/lib/zod";
import {
  activityBodySchema,
  activityCountsSchema,
  activityListQuerySchema,
  activitySchema,
  attendanceCorrectionSchema,
  attendanceCorrectionViewSchema,
  cancelActivitySchema,
  checkInSchema,
  createActivitySchema,
  dailyFiguresQuerySchema,
  dailyFiguresSchema,
  deskRowSchema,
  publishActivitySchema,
  registerSchema,
  registrationSchema,
  updateActivitySchema,
  walkInsSchema,
} from "./activities.schema";

// Activities endpoints, for the OpenAPI document (app/http/openapi.server.ts).

const organiserStep = (path: string, summary: string, body: z.ZodType): Endpoint => ({
  method: "post",
  path,
  summary,
  auth: true,
  body,
  responses: {
    200: { description: "活动", schema: activityBodySchema },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const ACTIVITY_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/communities/{id}/daily-stats",
    summary: "社区每日活动统计（辖区工作人员）：举办场次、报名、签到、现场、受众人次、人数；默认近30天",
    auth: true,
    query: dailyFiguresQuerySchema,
    responses: {
      200: { description: "每日统计", schema: dailyFiguresSchema },
      ...errorResponses(400, 401, 403, 404),
    },
  },
  {
    method: "post",
    path: "/api/v1/activities",
    summary: "新建活动（辖区工作人员，或已入驻机构为其服务的社区）；publish: true 同时发布",
    auth: true,
    body: createActivitySchema,
    responses: {
      201: { description: "已创建", schema: activityBodySchema },
      ...errorResponses(400, 401, 403, 409, 413),
    },
  },
  {
    method: "get",
    path: "/api/v1/activities",
    summary: "活动列表（不含草稿）：when=upcoming 即将开始，when=past 已结束",
    auth: false,
    query: activityListQuerySchema,
    responses: { 200: { description: "活动", schema: pageOf(activitySchema) }, ...errorResponses(400) },
  },
  {
    method: "get",
    path: "/api/v1/activities/{id}",
    summary: "活动详情与人数（已报名、候补、签到、现场、受众人次）",
    auth: false,
    responses: { 200: { description: "活动", schema: activityBodySchema }, ...errorResponses(404) },
  },
  {
    method: "patch",
    path: "/api/v1/activities/{id}",
    summary: "修改活动（组织者；草稿或报名中）；改期会通知报名者并重新安排提醒",
    auth: true,
    body: updateActivitySchema,
    responses: {
      200: { description: "活动", schema: activityBodySchema },
      ...errorResponses(400, 401, 403, 404, 409, 413),
    },
  },
  organiserStep(
    "/api/v1/activities/{id}/publish",
    "发布活动（组织者）；相关需求变为 SCHEDULED",
    publishActivitySchema,
  ),
  organiserStep("/api/v1/activities/{id}/cancel", "取消活动（组织者）；通知所有报名者", cancelActivitySchema),
  {
    method: "post",
    path: "/api/v1/activities/{id}/registrations",
    summary: "报名；满员进入候补。工作人员填 phone 为居民代办",
    auth: true,
    body: registerSchema,
    responses: {
      201: { description: "已报名或候补", schema: z.object({ registration: registrationSchema }) },
      ...errorResponses(400, 401, 403, 404, 409, 413, 429),
    },
  },
  {
    method: "get",
    path: "/api/v1/activities/{id}/registrations",
    summary: "报名名单（组织者：姓名、脱敏手机号、签到情况）",
    auth: true,
    responses: {
      200: { description: "名单", schema: z.object({ items: z.array(deskRowSchema) }) },
      ...errorResponses(401, 403, 404),
    },
  },
  {
    method: "delete",
    path: "/api/v1/activities/{id}/registrations/me",
    summary: "取消我的报名；名额让给候补第一位",
    auth: true,
    responses: { 204: { description: "已取消" }, ...errorResponses(401, 404, 409) },
  },
  {
    method: "post",
    path: "/api/v1/activities/{id}/check-ins",
    summary: "签到（组织者）：6位签到码",
    auth: true,
    body: checkInSchema,
    responses: {
      200: { description: "已签到", schema: z.object({ registration: deskRowSchema }) },
      ...errorResponses(400, 401, 403, 404, 409, 413),
    },
  },
  {
    method: "post",
    path: "/api/v1/activities/{id}/walk-ins",
    summary: "设置现场参与人数（没有账号的受众）：至多名额的10倍、5000人；活动结束24小时后锁定（409）",
    auth: true,
    body: walkInsSchema,
    responses: {
      200: { description: "人数", schema: z.object({ counts: activityCountsSchema }) },
      ...errorResponses(400, 401, 403, 404, 409, 413),
    },
  },
  {
    method: "post",
    path: "/api/v1/activities/{id}/attendance-corrections",
    summary: "更正已结束活动的受众人数（街道或区管理员，须填写原因；在活动上显示为“已更正”）",
    auth: true,
    body: attendanceCorrectionSchema,
    responses: {
      201: {
        description: "已更正",
        schema: z.object({ correction: attendanceCorrectionViewSchema, counts: activityCountsSchema }),
      },
      ...errorResponses(400, 401, 403, 404, 409, 413),
    },
  },
  {
    method: "get",
    path: "/api/v1/me/registrations",
    summary: "我的活动：我的报名与签到码",
    auth: true,
    query: pagingSchema,
    responses: {
      200: {
        description: "报名",
        schema: pageOf(
          z.object({
            registration: registrationSchema,
            activity: z.object({
              id: z.string(),
              title: z.string(),
              venue: z.string(),
              startsAt: z.string(),
              endsAt: z.string(),
              status: z.string(),
              communityName: z.string(),
            }),
          }),
        ),
      },
      ...errorResponses(400, 401),
    },
  },
];
