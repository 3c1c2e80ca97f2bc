import type { ActionFunctionArgs } from "@remix-run/node";
import { cancelActivitySchema } from "~/domain/activities/activities.schema";
import { cancelActivity } from "~/domain/activities/activities.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const values = parseInput(cancelActivitySchema, await readJsonBody(request));
  return Response.json(await cancelActivity(actor, params.id ?? "", values));
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
