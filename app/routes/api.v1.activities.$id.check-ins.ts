import type { ActionFunctionArgs } from "@remix-run/node";
import { checkInSchema } from "~/domain/activities/activities.schema";
import { checkIn } from "~/domain/activities/check-in.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const { code } = parseInput(checkInSchema, await readJsonBody(request));
  return Response.json({ registration: await checkIn(actor, params.id ?? "", code) });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
