import type { LoaderFunctionArgs } from "@remix-run/node";
import { bookingCalendarEvent } from "~/domain/venues/my-bookings.server";
import { requirePageActor } from "~/http/auth.server";
import { STATUS_OF, toDomainError } from "~/http/route.server";
import { buildIcs } from "~/lib/ics";

// /bookings/:id.ics, 加入日历 for a venue booking: its booker's and the venue's staff's only. Anyone
// else gets the same 404 as for an id that names nothing, so a guessed id tells nothing.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requirePageActor(request);
  try {
    const event = await bookingCalendarEvent(actor, params.id ?? "", new URL(request.url).origin);
    return new Response(buildIcs(event), {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": 'attachment; filename="booking.ics"',
        "Cache-Control": "private, no-store",
      },
    });
  } catch (thrown) {
    const error = toDomainError(thrown);
    return new Response(error.message, {
      status: STATUS_OF[error.code],
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
    });
  }
}
