import type { LoaderFunctionArgs } from "@remix-run/node";
import { openNeedsQuerySchema } from "~/domain/needs/needs.schema";
import { listOpenNeeds } from "~/domain/needs/needs.server";
import { apiHandler, methodNotAllowed, readQuery } from "~/http/route.server";

// A static segment: Remix ranks it above api.v1.needs.$id, so "open" is never read as an id.

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const query = readQuery(openNeedsQuerySchema, request);
  return Response.json(await listOpenNeeds(query));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
