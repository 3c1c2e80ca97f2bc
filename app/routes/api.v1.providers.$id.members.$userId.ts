import type { ActionFunctionArgs } from "@remix-run/node";
import { memberIdFromPath, removeMember } from "~/domain/providers/members.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

/** The owner removes a member; a member (`me` or their own id) leaves. */
export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "DELETE") throw methodNotAllowed("DELETE");
  const actor = await requireActor(request);
  await removeMember(actor, params.id ?? "", memberIdFromPath(actor, params.userId ?? ""));
  return new Response(null, { status: 204 });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("DELETE");
});
