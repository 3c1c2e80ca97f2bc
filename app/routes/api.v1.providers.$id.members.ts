import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { inviteMember, listSentInvitations } from "~/domain/providers/members.server";
import { addMemberSchema } from "~/domain/providers/providers.schema";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

/** Adding a member is an invitation (ADR 0017): 202, the same answer for any number. */
export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("GET, POST");
  const actor = await requireActor(request);
  const values = parseInput(addMemberSchema, await readJsonBody(request));
  return Response.json({ invitation: await inviteMember(actor, params.id ?? "", values) }, { status: 202 });
});

export const loader = apiHandler(async ({ request, params }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  return Response.json({ items: await listSentInvitations(actor, params.id ?? "") });
});
