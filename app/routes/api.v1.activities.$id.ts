import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { updateActivitySchema } from "~/domain/activities/activities.schema";
import { updateActivity } from "~/domain/activities/activities.server";
import { getActivity } from "~/domain/activities/activity-views.server";
import { getActor, requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const loader = apiHandler(async ({ request, params }: LoaderFunctionArgs) =>
  Response.json(await getActivity(await getActor(request), params.id ?? "")),
);

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "PATCH") throw methodNotAllowed("GET, PATCH");
  const actor = await requireActor(request);
  const values = parseInput(updateActivitySchema, await readJsonBody(request));
  return Response.json(await updateActivity(actor, params.id ?? "", values));
});
