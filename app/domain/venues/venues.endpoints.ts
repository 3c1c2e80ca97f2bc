import { type Endpoint, errorResponses } from "~/lib/openapi";
import {
  attendanceSchema,
  availabilityQuerySchema,
  bookingListQuerySchema,
  cancelBookingSchema,
  closureSchema,
  confirmBookingSchema,
  createBookingSchema,
  createVenueSchema,
  declineBookingSchema,
  updateVenueSchema,
  venueListQuerySchema,
} from "./venues.schema";

// Venues and bookings endpoints (issue 19), for the OpenAPI document (app/http/openapi.server.ts).

const step = (path: string, summary: string, body: Endpoint["body"]): Endpoint => ({
  method: "post",
  path,
  summary,
  auth: true,
  body,
  responses: { 200: { description: "预约 { booking }" }, ...errorResponses(400, 401, 403, 404, 409) },
});

export const VENUE_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/venues",
    summary: "新建阵地（辖区覆盖所属街道或社区的工作人员）",
    auth: true,
    body: createVenueSchema,
    responses: { 201: { description: "阵地 { venue }" }, ...errorResponses(400, 401, 403) },
  },
  {
    method: "get",
    path: "/api/v1/venues",
    summary: "阵地列表（公开），可按街道或社区、关键词筛选",
    auth: false,
    query: venueListQuerySchema,
    responses: { 200: { description: "阵地" }, ...errorResponses(400) },
  },
  {
    method: "get",
    path: "/api/v1/venues/{id}",
    summary: "阵地详情：开放时间和项目（公开）",
    auth: false,
    responses: { 200: { description: "阵地 { venue }" }, ...errorResponses(404) },
  },
  {
    method: "patch",
    path: "/api/v1/venues/{id}",
    summary: "修改阵地（辖区内工作人员）；开放时间或项目一并替换",
    auth: true,
    body: updateVenueSchema,
    responses: { 200: { description: "阵地 { venue }" }, ...errorResponses(400, 401, 403, 404) },
  },
  {
    method: "get",
    path: "/api/v1/venues/{id}/availability",
    summary: "阵地每天的开放时段和已占用时段（不含任何预约人信息）",
    auth: false,
    query: availabilityQuerySchema,
    responses: { 200: { description: "{ days: [{ date, open, taken }] }" }, ...errorResponses(400, 404) },
  },
  {
    method: "post",
    path: "/api/v1/venues/{id}/closures",
    summary: "暂停开放一段时间：与之重叠的预约被取消并通知预约人",
    auth: true,
    body: closureSchema,
    responses: { 201: { description: "{ closure, cancelled }" }, ...errorResponses(400, 401, 403, 404, 409) },
  },
  {
    method: "post",
    path: "/api/v1/bookings",
    summary:
      "预约阵地（WEB/MINI_PROGRAM 为自己；PHONE/PAPER 由辖区工作人员代订）；repeat 为每周或每两周重复，最长6个月",
    auth: true,
    body: createBookingSchema,
    responses: {
      201: { description: "{ booking, series? }：待审核（REQUESTED）或已确认（CONFIRMED）" },
      ...errorResponses(400, 401, 403, 409, 429),
    },
  },
  {
    method: "get",
    path: "/api/v1/bookings",
    summary: "预约列表：自己的预约；工作人员另见辖区内阵地的全部预约（待审核按提交先后）",
    auth: true,
    query: bookingListQuerySchema,
    responses: { 200: { description: "预约" }, ...errorResponses(400, 401) },
  },
  {
    method: "get",
    path: "/api/v1/bookings/{id}",
    summary: "一条预约（预约人和辖区内工作人员）",
    auth: true,
    responses: { 200: { description: "{ booking }" }, ...errorResponses(401, 404) },
  },
  step("/api/v1/bookings/{id}/confirm", "确认预约申请（辖区内工作人员）", confirmBookingSchema),
  step("/api/v1/bookings/{id}/decline", "不通过预约申请，需填写原因（辖区内工作人员）", declineBookingSchema),
  step(
    "/api/v1/bookings/{id}/cancel",
    "取消预约；rest 为 true 时连同系列中之后的日期（预约人，或辖区内工作人员：会通知预约人，附 reason（选填））",
    cancelBookingSchema,
  ),
  step(
    "/api/v1/bookings/{id}/attendance",
    "登记到场人数，预约完成（开始后，辖区内工作人员）",
    attendanceSchema,
  ),
];
