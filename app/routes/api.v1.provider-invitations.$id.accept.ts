import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptInvitation } from "~/domain/providers/members.server";
import { invitationAnswerSchema } from "~/domain/providers/providers.schema";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  parseInput(invitationAnswerSchema, await readJsonBody(request));
  const { providerId } = await acceptInvitation(actor, params.id ?? "");
  return Response.json({ membership: { providerId, role: "MEMBER" } });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
