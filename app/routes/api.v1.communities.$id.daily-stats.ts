import type { LoaderFunctionArgs } from "@remix-run/node";
import { dailyFiguresQuerySchema } from "~/domain/activities/activities.schema";
import { communityDailyFigures } from "~/domain/activities/daily-stats.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, readQuery } from "~/http/route.server";

export const loader = apiHandler(async ({ request, params }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  const range = readQuery(dailyFiguresQuerySchema, request);
  return Response.json(await communityDailyFigures(actor, params.id ?? "", range));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
