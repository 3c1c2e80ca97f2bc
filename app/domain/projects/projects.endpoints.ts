import { answers, type Endpoint } from "~/lib/openapi";
import { pageOf } from "~/lib/paging";
import { z } from "~/lib/zod";
import {
  callbackViewSchema,
  declarationSchema,
  declarationViewSchema,
  EVIDENCE_FIELD,
  MAX_EVIDENCE_FILES,
} from "./declarations.schema";
import {
  createProjectSchema,
  endProjectSchema,
  evaluationSchema,
  evaluationViewSchema,
  indicatorSetSchema,
  indicatorSetViewSchema,
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

/** A change by staff in the purchaser's scope to a running project, answered with the project. */
const projectChange = (
  method: "patch" | "post",
  path: string,
  summary: string,
  body: z.ZodType,
): Endpoint => ({
  method,
  path,
  summary,
  auth: true,
  body,
  responses: answers(200, "项目", projectBodySchema, 400, 401, 403, 404, 409),
});

/** A signed-in read of a project's private part. */
const privateRead = (path: string, summary: string, description: string, schema?: z.ZodType): Endpoint => ({
  method: "get",
  path,
  summary,
  auth: true,
  responses: answers(200, description, schema, 401, 403, 404),
});

export const PROJECT_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/projects",
    summary:
      "新建政府购买服务项目（购买方辖区内的区、街道管理员和社区工作者）：预算以分计，周期为中国日期，目标可选：开展活动、服务人次、服务人数、解决需求、平均评分",
    auth: true,
    body: createProjectSchema,
    responses: answers(201, "项目", projectBodySchema, 400, 401, 403),
  },
  {
    method: "get",
    path: "/api/v1/projects",
    summary: "政府购买服务项目列表（公开）：按购买方（含其下级地区）、承接机构、状态筛选，每项带进度",
    auth: false,
    query: projectListQuerySchema,
    responses: answers(200, "项目列表", pageOf(projectBodySchema), 400),
  },
  {
    method: "get",
    path: "/api/v1/projects/{id}",
    summary: "项目及进度（公开）：实际、目标、按周期线性推算的应达值，是否达到进度",
    auth: false,
    responses: answers(200, "项目", projectBodySchema, 404),
  },
  projectChange(
    "patch",
    "/api/v1/projects/{id}",
    "修改执行中的项目（购买方辖区工作人员；留痕）",
    updateProjectSchema,
  ),
  projectChange(
    "post",
    "/api/v1/projects/{id}/end",
    "提前终止项目，须说明原因（购买方辖区工作人员）",
    endProjectSchema,
  ),
  {
    method: "post",
    path: "/api/v1/projects/{id}/evaluations",
    summary: "中期或结项评估（购买方辖区工作人员，承接机构的人不能评估自己）；结项评估后项目为“已结项”",
    auth: true,
    body: evaluationSchema,
    responses: answers(201, "评估", z.object({ evaluation: evaluationViewSchema }), 400, 401, 403, 404, 409),
  },
  {
    method: "get",
    path: "/api/v1/projects/{id}/report",
    summary:
      "结项报告（购买方辖区工作人员、承接机构的人）：目标与实际、活动明细、月度数据、评分、评估与报告段落；format=xlsx 下载表格；不含居民个人信息",
    auth: true,
    query: reportQuerySchema,
    responses: answers(200, "报告（JSON 或 XLSX）", reportSchema, 400, 401, 403, 404),
  },
  privateRead(
    "/api/v1/projects/{id}/declared-figures",
    "人工申报的数据（购买方辖区工作人员、承接机构的人）：与平台统计的数字分开，附证明材料的地址",
    "申报数据，新的在前",
    z.object({ items: z.array(declarationViewSchema) }),
  ),
  {
    method: "post",
    path: "/api/v1/projects/{id}/declared-figures",
    summary: `申报平台统计不到的数据（承接机构的人、购买方辖区工作人员；执行中的项目；留痕）：指标、数值、起止日期（在项目周期内）、说明；multipart/form-data 时可在 ${EVIDENCE_FIELD} 字段附最多${MAX_EVIDENCE_FILES}个 JPEG、PNG 或 PDF 文件（每个不超过5MB，按文件内容识别类型）；项目结项或终止后不能再申报`,
    auth: true,
    body: declarationSchema,
    upload: { field: EVIDENCE_FIELD, maxFiles: MAX_EVIDENCE_FILES },
    responses: answers(
      201,
      "申报的数据",
      z.object({ declaration: declarationViewSchema }),
      400,
      401,
      403,
      404,
      409,
      413,
    ),
  },
  privateRead(
    "/api/v1/projects/{id}/evidence/{fileId}",
    "读取证明材料文件（购买方辖区工作人员、承接机构的人；每次读取留痕）：图片在浏览器中显示，PDF 下载；不缓存",
    "文件内容（image/jpeg、image/png 或 application/pdf）",
  ),
  {
    method: "get",
    path: "/api/v1/districts/{id}/evaluation-indicators",
    summary:
      "区里的默认评估指标（公开）：中期和结项评估表按它预先填好指标名称和满分；区里还没有设置时为平台的初始指标（kept 为 false）",
    auth: false,
    responses: answers(200, "默认评估指标", indicatorSetViewSchema, 404),
  },
  {
    method: "put",
    path: "/api/v1/districts/{id}/evaluation-indicators",
    summary:
      "设置区里的默认评估指标（该区的区管理员；整组替换，留痕）：1到8项，名称不重复，满分为1到1000的整数",
    auth: true,
    body: indicatorSetSchema,
    responses: answers(200, "默认评估指标", indicatorSetViewSchema, 400, 401, 403, 404),
  },
  privateRead(
    "/api/v1/projects/{id}/callback-sample",
    "回访抽样（可评估该项目的购买方辖区工作人员；承接机构的人不可见；每次查看留痕）：计入项目的签到中按固定随机顺序抽取20条，姓名、打码手机号、活动与日期",
    "回访名单",
    z.object({ items: z.array(callbackViewSchema) }),
  ),
];
