import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { browseQuerySchema, createServiceSchema } from "~/domain/services/services.schema";
import { browseServices, createService } from "~/domain/services/services.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const query = readQuery(browseQuerySchema, request);
  return Response.json(await browseServices(query));
});

export const action = apiHandler(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("GET, POST");
  const actor = await requireActor(request);
  const values = parseInput(createServiceSchema, await readJsonBody(request));
  return Response.json(await createService(actor, values), { status: 201 });
});
