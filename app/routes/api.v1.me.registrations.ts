import type { LoaderFunctionArgs } from "@remix-run/node";
import { listMyRegistrations } from "~/domain/activities/registrations.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput } from "~/http/route.server";
import { pagingSchema } from "~/lib/paging";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  const query = parseInput(pagingSchema, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json(await listMyRegistrations(actor, query));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
