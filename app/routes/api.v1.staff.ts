import { createStaffSchema } from "~/domain/accounts/accounts.schema";
import { createStaffAccount, listStaff } from "~/domain/accounts/accounts.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const actor = await requireActor(request);
    const items = await listStaff(actor);
    return Response.json({ items, total: items.length });
  },
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(createStaffSchema, await readJsonBody(request));
    return Response.json({ user: await createStaffAccount(actor, values) }, { status: 201 });
  },
});
