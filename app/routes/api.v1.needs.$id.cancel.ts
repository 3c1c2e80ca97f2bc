import type { ActionFunctionArgs } from "@remix-run/node";
import { cancelNeed } from "~/domain/needs/needs.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

// Cancelling carries no data, so any body is ignored.

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  return Response.json({ need: await cancelNeed(actor, params.id ?? "") });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
