import { applyProviderSchema, providerListQuerySchema } from "~/domain/providers/providers.schema";
import { applyForProvider, listProviders } from "~/domain/providers/providers.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const actor = await requireActor(request);
    const query = readQuery(providerListQuerySchema, request);
    return Response.json(await listProviders(actor, query));
  },
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(applyProviderSchema, await readJsonBody(request));
    return Response.json({ provider: await applyForProvider(actor, values) }, { status: 201 });
  },
});
