import { callbackSample } from "~/domain/projects/callbacks.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) => {
    const actor = await requireActor(request);
    return Response.json({ items: await callbackSample(actor, params.id ?? "") });
  },
});
