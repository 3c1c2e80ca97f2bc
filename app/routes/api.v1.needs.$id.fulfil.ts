import { fulfilNeed } from "~/domain/needs/need-lifecycle.server";
import { fulfilNeedSchema } from "~/domain/needs/needs.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(fulfilNeedSchema, await readJsonBody(request));
    return Response.json({ need: await fulfilNeed(actor, params.id ?? "", values) });
  },
});
