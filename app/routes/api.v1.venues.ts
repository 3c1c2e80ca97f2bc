import { createVenueSchema, venueListQuerySchema } from "~/domain/venues/venues.schema";
import { createVenue, listVenues } from "~/domain/venues/venues.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => Response.json(await listVenues(readQuery(venueListQuerySchema, request))),
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(createVenueSchema, await readJsonBody(request));
    return Response.json(await createVenue(actor, values), { status: 201 });
  },
});
