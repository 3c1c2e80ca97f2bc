import { statsQuerySchema } from "~/domain/stats/stats.schema";
import { statisticsFor } from "~/domain/stats/stats.server";
import { apiMethods } from "~/http/api-methods.server";
import { getActor } from "~/http/auth.server";
import { readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const query = readQuery(statsQuerySchema, request);
    return Response.json(await statisticsFor(await getActor(request), query));
  },
});
