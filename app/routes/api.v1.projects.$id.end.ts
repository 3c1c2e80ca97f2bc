import { endProjectSchema } from "~/domain/projects/projects.schema";
import { endProject } from "~/domain/projects/projects.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const { reason } = parseInput(endProjectSchema, await readJsonBody(request));
    return Response.json(await endProject(actor, params.id ?? "", reason));
  },
});
