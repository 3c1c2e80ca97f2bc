import type { ActionFunctionArgs } from "@remix-run/node";
import { addMemberSchema } from "~/domain/providers/providers.schema";
import { addMember } from "~/domain/providers/providers.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const values = parseInput(addMemberSchema, await readJsonBody(request));
  return Response.json({ member: await addMember(actor, params.id ?? "", values) }, { status: 201 });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
