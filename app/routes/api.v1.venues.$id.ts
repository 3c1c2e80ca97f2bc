import { updateVenueSchema } from "~/domain/venues/venues.schema";
import { getVenue, updateVenue } from "~/domain/venues/venues.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ params }) => Response.json(await getVenue(params.id ?? "")),
  PATCH: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(updateVenueSchema, await readJsonBody(request));
    return Response.json(await updateVenue(actor, params.id ?? "", values));
  },
});
