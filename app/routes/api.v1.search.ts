import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchQuerySchema } from "~/domain/search/search.schema";
import { searchSite } from "~/domain/search/search.server";
import { getActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, readQuery } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const query = readQuery(searchQuerySchema, request);
  return Response.json(await searchSite(await getActor(request), query));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
