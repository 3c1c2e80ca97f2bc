import { declineBooking } from "~/domain/venues/booking-review.server";
import { declineBookingSchema } from "~/domain/venues/venues.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(declineBookingSchema, await readJsonBody(request));
    return Response.json(await declineBooking(actor, params.id ?? "", values));
  },
});
