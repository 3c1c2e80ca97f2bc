import { cancelBooking } from "~/domain/venues/booking-cancel.server";
import { cancelBookingSchema } from "~/domain/venues/venues.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(cancelBookingSchema, await readJsonBody(request));
    return Response.json(await cancelBooking(actor, params.id ?? "", values));
  },
});
