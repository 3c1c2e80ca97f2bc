import { confirmBooking } from "~/domain/venues/booking-review.server";
import { confirmBookingSchema } from "~/domain/venues/venues.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    parseInput(confirmBookingSchema, await readJsonBody(request));
    return Response.json(await confirmBooking(actor, params.id ?? ""));
  },
});
