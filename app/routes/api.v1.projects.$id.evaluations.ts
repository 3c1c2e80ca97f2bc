import { recordEvaluation } from "~/domain/projects/evaluations.server";
import { evaluationSchema } from "~/domain/projects/projects.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(evaluationSchema, await readJsonBody(request));
    return Response.json(
      { evaluation: await recordEvaluation(actor, params.id ?? "", values) },
      { status: 201 },
    );
  },
});
