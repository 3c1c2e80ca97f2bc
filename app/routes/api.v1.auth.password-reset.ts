import { redeemResetCodeSchema } from "~/domain/accounts/password-reset.schema";
import { redeemPasswordResetCode } from "~/domain/accounts/password-reset.server";
import { apiMethods } from "~/http/api-methods.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, context }) => {
    const values = parseInput(redeemResetCodeSchema, await readJsonBody(request));
    return Response.json(await redeemPasswordResetCode(values, { clientIp: context.clientIp }));
  },
});
