import { closeNeed } from "~/domain/needs/need-lifecycle.server";
import { closeNeedSchema } from "~/domain/needs/needs.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(closeNeedSchema, await readJsonBody(request));
    return Response.json({ need: await closeNeed(actor, params.id ?? "", values) });
  },
});
