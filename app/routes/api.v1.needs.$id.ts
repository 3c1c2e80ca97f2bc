import type { LoaderFunctionArgs } from "@remix-run/node";
import { getNeed } from "~/domain/needs/needs.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

export const loader = apiHandler(async ({ request, params }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  return Response.json({ need: await getNeed(actor, params.id ?? "") });
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
