import { browseQuerySchema, createServiceSchema } from "~/domain/services/services.schema";
import { browseServices, createService } from "~/domain/services/services.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const query = readQuery(browseQuerySchema, request);
    return Response.json(await browseServices(query));
  },
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(createServiceSchema, await readJsonBody(request));
    return Response.json(await createService(actor, values), { status: 201 });
  },
});
