import { withdrawMatchSchema } from "~/domain/matching/matching.schema";
import { acceptMatch } from "~/domain/matching/matching.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    parseInput(withdrawMatchSchema, await readJsonBody(request));
    return Response.json({ match: await acceptMatch(actor, params.id ?? "") });
  },
});
