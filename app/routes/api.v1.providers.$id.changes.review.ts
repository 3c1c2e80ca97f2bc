import { reviewProviderSchema } from "~/domain/providers/providers.schema";
import { reviewProviderChange } from "~/domain/providers/providers.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(reviewProviderSchema, await readJsonBody(request));
    return Response.json({ provider: await reviewProviderChange(actor, params.id ?? "", values) });
  },
});
