import type { ActionFunctionArgs } from "@remix-run/node";
import { removeStaffMember } from "~/domain/accounts/accounts.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

/** DELETE takes away the staff roles the caller may take (someone leaving the job). */
export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "DELETE") throw methodNotAllowed("DELETE");
  const actor = await requireActor(request);
  return Response.json({ user: await removeStaffMember(actor, params.id ?? "") });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("DELETE");
});
