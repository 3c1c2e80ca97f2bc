import type { LoaderFunctionArgs } from "@remix-run/node";
import { notificationListQuerySchema } from "~/domain/notifications/notifications.schema";
import { listNotifications } from "~/domain/notifications/notifications.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, readQuery } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  const query = readQuery(notificationListQuerySchema, request);
  return Response.json(await listNotifications(actor, query));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
