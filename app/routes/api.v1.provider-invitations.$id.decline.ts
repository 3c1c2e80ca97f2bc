import type { ActionFunctionArgs } from "@remix-run/node";
import { declineInvitation } from "~/domain/providers/members.server";
import { invitationAnswerSchema } from "~/domain/providers/providers.schema";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  parseInput(invitationAnswerSchema, await readJsonBody(request));
  await declineInvitation(actor, params.id ?? "");
  return new Response(null, { status: 204 });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
