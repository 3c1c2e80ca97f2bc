import { listCoOrganiserInvitations } from "~/domain/activities/co-organisers.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const actor = await requireActor(request);
    return Response.json({ items: await listCoOrganiserInvitations(actor) });
  },
});
