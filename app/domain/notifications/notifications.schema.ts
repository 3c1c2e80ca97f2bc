import { pagingSchema } from "~/lib/paging";
import { idSchema, z } from "~/lib/zod";

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** A path inside the site to open, or null. */
  link: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});
export type NotificationView = z.infer<typeof notificationSchema>;

export const notificationListQuerySchema = pagingSchema.extend({
  unread: z
    .enum(["true", "false"], { error: "unread 只能是 true 或 false" })
    .optional()
    .transform((value) => value === "true"),
});

/** Mark some (ids) or all (`all: true`) of one's notifications read: exactly one of the two. */
export const markReadSchema = z
  .object({
    ids: z.array(idSchema("请选择通知")).min(1, "请选择通知").max(100, "一次最多100条").optional(),
    all: z.literal(true, { error: "all 只能是 true" }).optional(),
  })
  .strict()
  .refine((body) => (body.ids === undefined) !== (body.all === undefined), {
    message: "请提供 ids（通知编号列表）或 all: true 之一",
    path: ["ids"],
  });
