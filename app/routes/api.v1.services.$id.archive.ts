import type { ActionFunctionArgs } from "@remix-run/node";
import { archiveService } from "~/domain/services/services.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

// The body carries nothing, so it is not read.
export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  return Response.json(await archiveService(actor, params.id ?? ""));
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
