import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPublicUser } from "~/domain/accounts/accounts.server";
import { requireActor } from "~/lib/auth.server";
import { apiHandler, methodNotAllowed } from "~/lib/http.server";

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  return Response.json({ user: await getPublicUser(actor) });
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
