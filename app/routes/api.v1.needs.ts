import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { needListQuerySchema, postNeedSchema } from "~/domain/needs/needs.schema";
import { listNeeds, submitNeed } from "~/domain/needs/needs.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const action = apiHandler(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("GET, POST");
  const actor = await requireActor(request);
  const values = parseInput(postNeedSchema, await readJsonBody(request));
  return Response.json({ need: await submitNeed(actor, values) }, { status: 201 });
});

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  const query = readQuery(needListQuerySchema, request);
  return Response.json(await listNeeds(actor, query));
});
