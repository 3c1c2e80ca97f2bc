import { cancelActivitySchema } from "~/domain/activities/activities.schema";
import { cancelActivity } from "~/domain/activities/activities.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(cancelActivitySchema, await readJsonBody(request));
    return Response.json(await cancelActivity(actor, params.id ?? "", values));
  },
});
