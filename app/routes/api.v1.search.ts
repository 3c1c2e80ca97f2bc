import { searchQuerySchema } from "~/domain/search/search.schema";
import { searchSite } from "~/domain/search/search.server";
import { apiMethods } from "~/http/api-methods.server";
import { getActor } from "~/http/auth.server";
import { readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const query = readQuery(searchQuerySchema, request);
    return Response.json(await searchSite(await getActor(request), query));
  },
});
