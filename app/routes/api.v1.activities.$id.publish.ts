import type { ActionFunctionArgs } from "@remix-run/node";
import { publishActivitySchema } from "~/domain/activities/activities.schema";
import { publishActivity } from "~/domain/activities/activities.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  parseInput(publishActivitySchema, await readJsonBody(request));
  return Response.json(await publishActivity(actor, params.id ?? ""));
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
