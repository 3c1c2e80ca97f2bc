import { cancelNeed } from "~/domain/needs/need-lifecycle.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";

// Cancelling carries no data, so any body is ignored.

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    return Response.json({ need: await cancelNeed(actor, params.id ?? "") });
  },
});
