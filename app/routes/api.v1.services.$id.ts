import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { updateServiceSchema } from "~/domain/services/services.schema";
import { getService, updateService } from "~/domain/services/services.server";
import { getActor, requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const loader = apiHandler(async ({ request, params }: LoaderFunctionArgs) => {
  const { service, provider } = await getService(await getActor(request), params.id ?? "");
  return Response.json({ service, provider });
});

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "PATCH") throw methodNotAllowed("GET, PATCH");
  const actor = await requireActor(request);
  const patch = parseInput(updateServiceSchema, await readJsonBody(request));
  return Response.json(await updateService(actor, params.id ?? "", patch));
});
