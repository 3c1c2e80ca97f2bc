import { updateActivitySchema } from "~/domain/activities/activities.schema";
import { getActivity, updateActivity } from "~/domain/activities/activities.server";
import { apiMethods } from "~/http/api-methods.server";
import { getActor, requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) =>
    Response.json(await getActivity(await getActor(request), params.id ?? "")),
  PATCH: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(updateActivitySchema, await readJsonBody(request));
    return Response.json(await updateActivity(actor, params.id ?? "", values));
  },
});
