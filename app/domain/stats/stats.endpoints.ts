import { type Endpoint, errorResponses } from "~/lib/openapi";
import { statsExportQuerySchema, statsQuerySchema, statsReportSchema, statsSchema } from "./stats.schema";

// Statistics endpoints, for the OpenAPI document (app/http/openapi.server.ts).

export const STATS_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/stats",
    summary:
      "统计数据：入驻机构、服务、需求、活动、受众人次与人数，按下级地区、月份、类别细分（区级数据公开，街道、社区限辖区工作人员）；默认今年至今",
    auth: false,
    query: statsQuerySchema,
    responses: {
      200: { description: "统计数据", schema: statsSchema },
      ...errorResponses(400, 401, 403, 404),
    },
  },
  {
    method: "get",
    path: "/api/v1/stats/report",
    summary: "工作报告段落：所选地区和时段的真实数据写成的一段中文（万以上写作“1.2万余”）",
    auth: false,
    query: statsQuerySchema,
    responses: {
      200: { description: "报告段落", schema: statsReportSchema },
      ...errorResponses(400, 401, 403, 404),
    },
  },
  {
    method: "get",
    path: "/api/v1/stats/export",
    summary:
      "导出：统计数据（dataset=figures，区级公开，街道、社区限辖区工作人员），或明细清单 activities / providers / needs（辖区工作人员，区级亦然；不含个人信息，一次最多50,000条）；CSV（UTF-8 带 BOM）或 XLSX；默认今年至今",
    auth: false,
    query: statsExportQuerySchema,
    responses: {
      200: { description: "文件（text/csv 或 XLSX）" },
      ...errorResponses(400, 401, 403, 404),
    },
  },
];
