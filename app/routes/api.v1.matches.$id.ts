import type { LoaderFunctionArgs } from "@remix-run/node";
import { getMatch } from "~/domain/matching/matching.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

export const loader = apiHandler(async ({ request, params }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  return Response.json({ match: await getMatch(actor, params.id ?? "") });
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
