import type { ActionFunctionArgs } from "@remix-run/node";
import { closeNeedSchema } from "~/domain/needs/needs.schema";
import { closeNeed } from "~/domain/needs/needs.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const values = parseInput(closeNeedSchema, await readJsonBody(request));
  return Response.json({ need: await closeNeed(actor, params.id ?? "", values) });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
