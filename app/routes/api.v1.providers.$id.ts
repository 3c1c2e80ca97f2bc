import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { updateProviderSchema } from "~/domain/providers/providers.schema";
import { getProvider, updateProvider } from "~/domain/providers/providers.server";
import { getActor, requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const loader = apiHandler(async ({ request, params }: LoaderFunctionArgs) => {
  const provider = await getProvider(await getActor(request), params.id ?? "");
  return Response.json({ provider });
});

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "PATCH") throw methodNotAllowed("GET, PATCH");
  const actor = await requireActor(request);
  const values = parseInput(updateProviderSchema, await readJsonBody(request));
  return Response.json({ provider: await updateProvider(actor, params.id ?? "", values) });
});
