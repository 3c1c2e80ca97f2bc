import type { ActionFunctionArgs } from "@remix-run/node";
import { declineMatchSchema } from "~/domain/matching/matching.schema";
import { declineMatch } from "~/domain/matching/matching.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const values = parseInput(declineMatchSchema, await readJsonBody(request));
  return Response.json({ match: await declineMatch(actor, params.id ?? "", values) });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
