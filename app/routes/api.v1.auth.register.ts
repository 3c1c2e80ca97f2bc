import { registerResidentSchema } from "~/domain/accounts/accounts.schema";
import { registerResident } from "~/domain/accounts/accounts.server";
import { apiMethods } from "~/http/api-methods.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, context }) => {
    const values = parseInput(registerResidentSchema, await readJsonBody(request));
    const user = await registerResident(values, { clientIp: context.clientIp });
    return Response.json({ user }, { status: 201 });
  },
});
