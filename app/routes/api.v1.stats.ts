import type { LoaderFunctionArgs } from "@remix-run/node";
import { statsQuerySchema } from "~/domain/stats/stats.schema";
import { statisticsFor } from "~/domain/stats/stats.server";
import { getActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, readQuery } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const query = readQuery(statsQuerySchema, request);
  return Response.json(await statisticsFor(await getActor(request), query));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
