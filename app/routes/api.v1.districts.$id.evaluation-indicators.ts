import { getIndicatorSet, keepIndicatorSet } from "~/domain/projects/indicators.server";
import { indicatorSetSchema } from "~/domain/projects/projects.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ params }) => Response.json(await getIndicatorSet(params.id ?? "")),
  PUT: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(indicatorSetSchema, await readJsonBody(request));
    return Response.json(await keepIndicatorSet(actor, params.id ?? "", values));
  },
});
