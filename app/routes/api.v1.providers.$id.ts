import { updateProviderSchema } from "~/domain/providers/providers.schema";
import { getProvider, updateProvider } from "~/domain/providers/providers.server";
import { apiMethods } from "~/http/api-methods.server";
import { getActor, requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) => {
    const provider = await getProvider(await getActor(request), params.id ?? "");
    return Response.json({ provider });
  },
  PATCH: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(updateProviderSchema, await readJsonBody(request));
    return Response.json({ provider: await updateProvider(actor, params.id ?? "", values) });
  },
});
