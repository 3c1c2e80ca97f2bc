import { signOutEverywhere } from "~/domain/accounts/security.server";
import { apiMethods } from "~/http/api-methods.server";
import { clearedSessionCookieHeader, requireActor } from "~/http/auth.server";

export const { loader, action } = apiMethods({
  /** Sign out everywhere: every session and token of the caller, the one in use included. */
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const result = await signOutEverywhere(actor);
    return Response.json(result, { headers: { "Set-Cookie": await clearedSessionCookieHeader(request) } });
  },
});
