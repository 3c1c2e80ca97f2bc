import { listOpenNeeds } from "~/domain/needs/need-read.server";
import { openNeedsQuerySchema } from "~/domain/needs/needs.schema";
import { apiMethods } from "~/http/api-methods.server";
import { readQuery } from "~/http/route.server";

// A static segment: Remix ranks it above api.v1.needs.$id, so "open" is never read as an id.

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const query = readQuery(openNeedsQuerySchema, request);
    return Response.json(await listOpenNeeds(query));
  },
});
