import type { LoaderFunctionArgs } from "@remix-run/node";
import { listMyInvitations } from "~/domain/providers/members.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  return Response.json({ items: await listMyInvitations(actor) });
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
