import type { ActionFunctionArgs } from "@remix-run/node";
import { registerResidentSchema } from "~/domain/accounts/accounts.schema";
import { registerResident } from "~/domain/accounts/accounts.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const values = parseInput(registerResidentSchema, await readJsonBody(request));
  const user = await registerResident(values, { clientIp: context.clientIp });
  return Response.json({ user }, { status: 201 });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
