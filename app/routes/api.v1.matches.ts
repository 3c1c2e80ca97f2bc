import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { matchListQuerySchema, proposeMatchSchema } from "~/domain/matching/matching.schema";
import { listMatches, proposeMatch } from "~/domain/matching/matching.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  const query = readQuery(matchListQuerySchema, request);
  return Response.json({ items: await listMatches(actor, query) });
});

export const action = apiHandler(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("GET, POST");
  const actor = await requireActor(request);
  const values = parseInput(proposeMatchSchema, await readJsonBody(request));
  return Response.json({ match: await proposeMatch(actor, values) }, { status: 201 });
});
