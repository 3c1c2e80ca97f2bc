import type { ActionFunctionArgs } from "@remix-run/node";
import { restoreProviderSchema } from "~/domain/providers/providers.schema";
import { restoreProvider } from "~/domain/providers/providers.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  parseInput(restoreProviderSchema, await readJsonBody(request));
  return Response.json({ provider: await restoreProvider(actor, params.id ?? "") });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
