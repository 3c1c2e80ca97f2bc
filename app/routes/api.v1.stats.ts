import type { LoaderFunctionArgs } from "@remix-run/node";
import { statsQuerySchema } from "~/domain/stats/stats.schema";
import { statisticsFor } from "~/domain/stats/stats.server";
import { getActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const query = parseInput(statsQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await statisticsFor(await getActor(request), query));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
