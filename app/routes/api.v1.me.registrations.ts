import type { LoaderFunctionArgs } from "@remix-run/node";
import { listMyRegistrations } from "~/domain/activities/registrations.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, readQuery } from "~/http/route.server";
import { pagingSchema } from "~/lib/paging";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  const query = readQuery(pagingSchema, request);
  return Response.json(await listMyRegistrations(actor, query));
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
