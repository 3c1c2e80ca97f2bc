import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { applyProviderSchema, providerListQuerySchema } from "~/domain/providers/providers.schema";
import { applyForProvider, listProviders } from "~/domain/providers/providers.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const action = apiHandler(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("GET, POST");
  const actor = await requireActor(request);
  const values = parseInput(applyProviderSchema, await readJsonBody(request));
  return Response.json({ provider: await applyForProvider(actor, values) }, { status: 201 });
});

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  const query = readQuery(providerListQuerySchema, request);
  return Response.json(await listProviders(actor, query));
});
