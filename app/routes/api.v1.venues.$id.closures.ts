import { closeVenue } from "~/domain/venues/venue-closures.server";
import { closureSchema } from "~/domain/venues/venues.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(closureSchema, await readJsonBody(request));
    return Response.json(await closeVenue(actor, params.id ?? "", values), { status: 201 });
  },
});
