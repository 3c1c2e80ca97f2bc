import type { ActionFunctionArgs } from "@remix-run/node";
import { reviewProviderSchema } from "~/domain/providers/providers.schema";
import { reviewProviderChange } from "~/domain/providers/providers.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const values = parseInput(reviewProviderSchema, await readJsonBody(request));
  return Response.json({ provider: await reviewProviderChange(actor, params.id ?? "", values) });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
