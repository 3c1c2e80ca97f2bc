import { type Endpoint, errorResponses } from "~/lib/openapi";
import { pageOf } from "~/lib/paging";
import { z } from "~/lib/zod";
import { markReadSchema, notificationListQuerySchema, notificationSchema } from "./notifications.schema";

export const NOTIFICATION_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/notifications",
    summary: "我的站内通知（最新在前），附未读数",
    auth: true,
    query: notificationListQuerySchema,
    responses: {
      200: { description: "通知", schema: pageOf(notificationSchema).extend({ unread: z.number().int() }) },
      ...errorResponses(400, 401),
    },
  },
  {
    method: "post",
    path: "/api/v1/notifications/read",
    summary: "标记通知为已读（ids 或 all: true）",
    auth: true,
    body: markReadSchema,
    responses: {
      200: {
        description: "已标记",
        schema: z.object({ marked: z.number().int(), unread: z.number().int() }),
      },
      ...errorResponses(400, 401, 413),
    },
  },
];
