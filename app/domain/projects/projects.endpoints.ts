import { type Endpoint, errorResponses } from "~/lib/openapi";
import { pageOf } from "~/lib/paging";
import { z } from "~/lib/zod";
import {
  createProjectSchema,
  endProjectSchema,
  evaluationSchema,
  evaluationViewSchema,
  progressSchema,
  projectBodySchema,
  projectListQuerySchema,
  projectSchema,
  reportQuerySchema,
  updateProjectSchema,
} from "./projects.schema";

// Government-purchased service projects (ADR 0026), for the OpenAPI document.

const reportSchema = z.object({
  project: projectSchema,
  progress: progressSchema,
  paragraph: z.string(),
  activities: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      date: z.string(),
      place: z.string(),
      registered: z.number().int(),
      checkedIn: z.number().int(),
      walkIns: z.number().int(),
      personTimes: z.number().int(),
    }),
  ),
  months: z.array(
    z.object({
      month: z.string(),
      held: z.number().int(),
      personTimes: z.number().int(),
      persons: z.number().int(),
    }),
  ),
  evaluations: z.array(evaluationViewSchema),
});

export const PROJECT_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/projects",
    summary:
      "新建政府购买服务项目（购买方辖区内的区、街道管理员和社区工作者）：预算以分计，周期为中国日期，目标可选：开展活动、服务人次、服务人数、解决需求、平均评分",
    auth: true,
    body: createProjectSchema,
    responses: {
      201: { description: "项目", schema: projectBodySchema },
      ...errorResponses(400, 401, 403),
    },
  },
  {
    method: "get",
    path: "/api/v1/projects",
    summary: "政府购买服务项目列表（公开）：按购买方（含其下级地区）、承接机构、状态筛选，每项带进度",
    auth: false,
    query: projectListQuerySchema,
    responses: {
      200: { description: "项目列表", schema: pageOf(projectBodySchema) },
      ...errorResponses(400),
    },
  },
  {
    method: "get",
    path: "/api/v1/projects/{id}",
    summary: "项目及进度（公开）：实际、目标、按周期线性推算的应达值，是否达到进度",
    auth: false,
    responses: {
      200: { description: "项目", schema: projectBodySchema },
      ...errorResponses(404),
    },
  },
  {
    method: "patch",
    path: "/api/v1/projects/{id}",
    summary: "修改执行中的项目（购买方辖区工作人员；留痕）",
    auth: true,
    body: updateProjectSchema,
    responses: {
      200: { description: "项目", schema: projectBodySchema },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  },
  {
    method: "post",
    path: "/api/v1/projects/{id}/end",
    summary: "提前终止项目，须说明原因（购买方辖区工作人员）",
    auth: true,
    body: endProjectSchema,
    responses: {
      200: { description: "项目", schema: projectBodySchema },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  },
  {
    method: "post",
    path: "/api/v1/projects/{id}/evaluations",
    summary: "中期或结项评估（购买方辖区工作人员，承接机构的人不能评估自己）；结项评估后项目为“已结项”",
    auth: true,
    body: evaluationSchema,
    responses: {
      201: { description: "评估", schema: z.object({ evaluation: evaluationViewSchema }) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  },
  {
    method: "get",
    path: "/api/v1/projects/{id}/report",
    summary:
      "结项报告（购买方辖区工作人员、承接机构的人）：目标与实际、活动明细、月度数据、评分、评估与报告段落；format=xlsx 下载表格；不含居民个人信息",
    auth: true,
    query: reportQuerySchema,
    responses: {
      200: { description: "报告（JSON 或 XLSX）", schema: reportSchema },
      ...errorResponses(400, 401, 403, 404),
    },
  },
];
