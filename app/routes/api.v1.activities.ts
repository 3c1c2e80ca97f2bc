import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { activityListQuerySchema, createActivitySchema } from "~/domain/activities/activities.schema";
import { createActivity } from "~/domain/activities/activities.server";
import { listActivities } from "~/domain/activities/activity-views.server";
import { getActor, requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const query = readQuery(activityListQuerySchema, request);
  return Response.json(await listActivities(await getActor(request), query));
});

export const action = apiHandler(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("GET, POST");
  const actor = await requireActor(request);
  const values = parseInput(createActivitySchema, await readJsonBody(request));
  return Response.json(await createActivity(actor, values), { status: 201 });
});
