import { availabilityQuerySchema } from "~/domain/venues/venues.schema";
import { venueAvailability } from "~/domain/venues/venues.server";
import { apiMethods } from "~/http/api-methods.server";
import { readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) =>
    Response.json(await venueAvailability(params.id ?? "", readQuery(availabilityQuerySchema, request))),
});
