import type { ActionFunctionArgs } from "@remix-run/node";
import { walkInsSchema } from "~/domain/activities/activities.schema";
import { setWalkIns } from "~/domain/activities/check-in.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const { count } = parseInput(walkInsSchema, await readJsonBody(request));
  return Response.json({ counts: await setWalkIns(actor, params.id ?? "", count) });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
