import { declineMatchSchema } from "~/domain/matching/matching.schema";
import { declineMatch } from "~/domain/matching/matching.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(declineMatchSchema, await readJsonBody(request));
    return Response.json({ match: await declineMatch(actor, params.id ?? "", values) });
  },
});
