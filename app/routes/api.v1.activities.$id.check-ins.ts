import { checkInSchema } from "~/domain/activities/activities.schema";
import { checkIn } from "~/domain/activities/registrations.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const { code } = parseInput(checkInSchema, await readJsonBody(request));
    return Response.json({ registration: await checkIn(actor, params.id ?? "", code) });
  },
});
