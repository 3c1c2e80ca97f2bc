import { changePasswordSchema } from "~/domain/accounts/security.schema";
import { changePassword } from "~/domain/accounts/security.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor, sessionCookieHeader } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, context }) => {
    const actor = await requireActor(request);
    const values = parseInput(changePasswordSchema, await readJsonBody(request));
    const rotated = await changePassword(actor, values, { clientIp: context.clientIp });
    const body = { expiresAt: rotated.expiresAt.toISOString(), revokedSessions: rotated.revokedSessions };
    if (rotated.kind === "API") return Response.json({ token: rotated.token, ...body });
    // Called with the web session cookie: the new session goes back in the cookie, never in the body.
    return Response.json(body, {
      headers: { "Set-Cookie": await sessionCookieHeader(request, rotated.token) },
    });
  },
});
