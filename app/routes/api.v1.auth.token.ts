import type { ActionFunctionArgs } from "@remix-run/node";
import { signInSchema } from "~/domain/accounts/accounts.schema";
import { signIn } from "~/domain/accounts/accounts.server";
import { requireActor, revokeCredential } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method === "POST") {
    const values = parseInput(signInSchema, await readJsonBody(request));
    const { token, expiresAt, user } = await signIn(values, "API", { clientIp: context.clientIp });
    return Response.json({ token, expiresAt: expiresAt.toISOString(), user });
  }
  if (request.method === "DELETE") {
    await requireActor(request);
    await revokeCredential(request);
    return new Response(null, { status: 204 });
  }
  throw methodNotAllowed("POST, DELETE");
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST, DELETE");
});
