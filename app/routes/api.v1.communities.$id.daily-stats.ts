import { dailyFiguresQuerySchema } from "~/domain/activities/activities.schema";
import { communityDailyFigures } from "~/domain/activities/daily-stats.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) => {
    const actor = await requireActor(request);
    const range = readQuery(dailyFiguresQuerySchema, request);
    return Response.json(await communityDailyFigures(actor, params.id ?? "", range));
  },
});
