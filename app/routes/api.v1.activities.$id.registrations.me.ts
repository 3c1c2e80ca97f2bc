import type { ActionFunctionArgs } from "@remix-run/node";
import { cancelMyRegistration } from "~/domain/activities/registrations.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "DELETE") throw methodNotAllowed("DELETE");
  const actor = await requireActor(request);
  await cancelMyRegistration(actor, params.id ?? "");
  return new Response(null, { status: 204 });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("DELETE");
});
