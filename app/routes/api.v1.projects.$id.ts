import { updateProjectSchema } from "~/domain/projects/projects.schema";
import { getProject, updateProject } from "~/domain/projects/projects.server";
import { apiMethods } from "~/http/api-methods.server";
import { getActor, requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) =>
    Response.json(await getProject(await getActor(request), params.id ?? "")),
  PATCH: async ({ request, params }) => {
    const actor = await requireActor(request);
    const patch = parseInput(updateProjectSchema, await readJsonBody(request));
    return Response.json(await updateProject(actor, params.id ?? "", patch));
  },
});
