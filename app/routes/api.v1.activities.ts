import { activityListQuerySchema, createActivitySchema } from "~/domain/activities/activities.schema";
import { createActivity, listActivities } from "~/domain/activities/activities.server";
import { apiMethods } from "~/http/api-methods.server";
import { getActor, requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const query = readQuery(activityListQuerySchema, request);
    return Response.json(await listActivities(await getActor(request), query));
  },
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(createActivitySchema, await readJsonBody(request));
    return Response.json(await createActivity(actor, values), { status: 201 });
  },
});
