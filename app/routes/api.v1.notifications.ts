import { notificationListQuerySchema } from "~/domain/notifications/notifications.schema";
import { listNotifications } from "~/domain/notifications/notifications.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const actor = await requireActor(request);
    const query = readQuery(notificationListQuerySchema, request);
    return Response.json(await listNotifications(actor, query));
  },
});
