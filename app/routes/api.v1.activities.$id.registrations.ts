import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { registerSchema } from "~/domain/activities/activities.schema";
import { listDesk } from "~/domain/activities/check-in.server";
import { registerForActivity } from "~/domain/activities/registrations.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

/** The organiser's list of registrants (names, masked phones, codes, who checked in). */
export const loader = apiHandler(async ({ request, params }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  return Response.json({ items: await listDesk(actor, params.id ?? "") });
});

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("GET, POST");
  const actor = await requireActor(request);
  const values = parseInput(registerSchema, await readJsonBody(request));
  return Response.json(
    { registration: await registerForActivity(actor, params.id ?? "", values) },
    { status: 201 },
  );
});
