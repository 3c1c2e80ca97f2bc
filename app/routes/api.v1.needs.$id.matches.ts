import type { LoaderFunctionArgs } from "@remix-run/node";
import { suggestionQuerySchema } from "~/domain/matching/matching.schema";
import { suggestServicesForNeed } from "~/domain/matching/suggestions.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, readQuery } from "~/http/route.server";

export const loader = apiHandler(async ({ request, params }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  const { limit } = readQuery(suggestionQuerySchema, request);
  return Response.json({ items: await suggestServicesForNeed(actor, params.id ?? "", limit) });
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
