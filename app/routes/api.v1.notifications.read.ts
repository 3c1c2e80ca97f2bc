import type { ActionFunctionArgs } from "@remix-run/node";
import { markReadSchema } from "~/domain/notifications/notifications.schema";
import { markNotificationsRead } from "~/domain/notifications/notifications.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const values = parseInput(markReadSchema, await readJsonBody(request));
  return Response.json(await markNotificationsRead(actor, values.ids ?? "all"));
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
