import { signInSchema } from "~/domain/accounts/accounts.schema";
import { signIn } from "~/domain/accounts/accounts.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor, revokeCredential } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, context }) => {
    const values = parseInput(signInSchema, await readJsonBody(request));
    const { token, expiresAt, user } = await signIn(values, "API", { clientIp: context.clientIp });
    return Response.json({ token, expiresAt: expiresAt.toISOString(), user });
  },
  DELETE: async ({ request }) => {
    await requireActor(request);
    await revokeCredential(request);
    return new Response(null, { status: 204 });
  },
});
