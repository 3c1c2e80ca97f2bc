import { createProjectSchema, projectListQuerySchema } from "~/domain/projects/projects.schema";
import { createProject, listProjects } from "~/domain/projects/projects.server";
import { apiMethods } from "~/http/api-methods.server";
import { getActor, requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const query = readQuery(projectListQuerySchema, request);
    return Response.json(await listProjects(await getActor(request), query));
  },
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(createProjectSchema, await readJsonBody(request));
    return Response.json(await createProject(actor, values), { status: 201 });
  },
});
