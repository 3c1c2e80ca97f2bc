import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createStaffSchema } from "~/domain/accounts/accounts.schema";
import { createStaffAccount, listStaff } from "~/domain/accounts/accounts.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("GET, POST");
  const actor = await requireActor(request);
  const values = parseInput(createStaffSchema, await readJsonBody(request));
  return Response.json({ user: await createStaffAccount(actor, values) }, { status: 201 });
});

export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const actor = await requireActor(request);
  const items = await listStaff(actor);
  return Response.json({ items, total: items.length });
});
