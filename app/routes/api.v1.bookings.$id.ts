import { getBooking } from "~/domain/venues/booking-rows.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) =>
    Response.json(await getBooking(await requireActor(request), params.id ?? "")),
});
