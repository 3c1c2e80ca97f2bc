import { suggestionQuerySchema } from "~/domain/matching/matching.schema";
import { suggestNeedsForService } from "~/domain/matching/suggestions.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) => {
    const actor = await requireActor(request);
    const { limit } = readQuery(suggestionQuerySchema, request);
    return Response.json({ items: await suggestNeedsForService(actor, params.id ?? "", limit) });
  },
});
