import { issueResetCodeSchema } from "~/domain/accounts/password-reset.schema";
import { issuePasswordResetCode } from "~/domain/accounts/password-reset.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(issueResetCodeSchema, await readJsonBody(request));
    const issued = await issuePasswordResetCode(actor, values);
    return Response.json(
      {
        // Only the in-person channel hands the code to the caller; a device channel sends it.
        code: issued.delivery.via === "in-person" ? issued.delivery.code : null,
        expiresAt: issued.expiresAt.toISOString(),
        residentName: issued.residentName,
        phoneMasked: issued.phoneMasked,
      },
      { status: 201 },
    );
  },
});
