import type { LoaderFunctionArgs } from "@remix-run/node";
import { listCoOrganiserInvitations } from "~/domain/activities/co-organisers.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  return Response.json({ items: await listCoOrganiserInvitations(actor) });
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
