import type { ActionFunctionArgs } from "@remix-run/node";
import { signOutEverywhere } from "~/domain/accounts/security.server";
import { clearedSessionCookieHeader, requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed } from "~/http/route.server";

/** Sign out everywhere: every session and token of the caller, the one in use included. */
export const action = apiHandler(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const result = await signOutEverywhere(actor);
  return Response.json(result, { headers: { "Set-Cookie": await clearedSessionCookieHeader(request) } });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
