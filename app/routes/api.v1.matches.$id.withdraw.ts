import type { ActionFunctionArgs } from "@remix-run/node";
import { withdrawMatchSchema } from "~/domain/matching/matching.schema";
import { withdrawMatch } from "~/domain/matching/matching.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  parseInput(withdrawMatchSchema, await readJsonBody(request));
  return Response.json({ match: await withdrawMatch(actor, params.id ?? "") });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
