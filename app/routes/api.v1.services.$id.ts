import { updateServiceSchema } from "~/domain/services/services.schema";
import { getService, updateService } from "~/domain/services/services.server";
import { apiMethods } from "~/http/api-methods.server";
import { getActor, requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) => {
    const { service, provider } = await getService(await getActor(request), params.id ?? "");
    return Response.json({ service, provider });
  },
  PATCH: async ({ request, params }) => {
    const actor = await requireActor(request);
    const patch = parseInput(updateServiceSchema, await readJsonBody(request));
    return Response.json(await updateService(actor, params.id ?? "", patch));
  },
});
