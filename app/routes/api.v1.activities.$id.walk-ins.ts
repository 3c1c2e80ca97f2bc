import { walkInsSchema } from "~/domain/activities/activities.schema";
import { setWalkIns } from "~/domain/activities/registrations.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const { count } = parseInput(walkInsSchema, await readJsonBody(request));
    return Response.json({ counts: await setWalkIns(actor, params.id ?? "", count) });
  },
});
