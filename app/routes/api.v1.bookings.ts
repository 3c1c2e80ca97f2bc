import { createBooking } from "~/domain/venues/booking-requests.server";
import { listBookings } from "~/domain/venues/booking-rows.server";
import { bookingListQuerySchema, createBookingSchema } from "~/domain/venues/venues.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const actor = await requireActor(request);
    return Response.json(await listBookings(actor, readQuery(bookingListQuerySchema, request)));
  },
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(createBookingSchema, await readJsonBody(request));
    return Response.json(await createBooking(actor, values), { status: 201 });
  },
});
