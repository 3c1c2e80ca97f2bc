import { archiveService } from "~/domain/services/services.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";

export const { loader, action } = apiMethods({
  // The body carries nothing, so it is not read.
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    return Response.json(await archiveService(actor, params.id ?? ""));
  },
});
