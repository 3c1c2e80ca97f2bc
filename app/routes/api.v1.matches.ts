import { matchListQuerySchema, proposeMatchSchema } from "~/domain/matching/matching.schema";
import { listMatches, proposeMatch } from "~/domain/matching/matching.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const actor = await requireActor(request);
    const query = readQuery(matchListQuerySchema, request);
    return Response.json({ items: await listMatches(actor, query) });
  },
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(proposeMatchSchema, await readJsonBody(request));
    return Response.json({ match: await proposeMatch(actor, values) }, { status: 201 });
  },
});
