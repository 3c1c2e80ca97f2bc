import { publishActivitySchema } from "~/domain/activities/activities.schema";
import { publishActivity } from "~/domain/activities/activities.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    parseInput(publishActivitySchema, await readJsonBody(request));
    return Response.json(await publishActivity(actor, params.id ?? ""));
  },
});
