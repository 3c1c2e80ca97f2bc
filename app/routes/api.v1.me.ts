import { deleteAccountSchema } from "~/domain/accounts/accounts.schema";
import { getPublicUser } from "~/domain/accounts/accounts.server";
import { needsPrivacyConsent } from "~/domain/accounts/privacy";
import { deleteMyAccount } from "~/domain/accounts/privacy.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const actor = await requireActor(request);
    return Response.json({
      user: await getPublicUser(actor),
      privacyConsentRequired: needsPrivacyConsent(actor),
    });
  },
  /** DELETE: 注销账号, confirmed with the password in the body. */
  DELETE: async ({ request }) => {
    const actor = await requireActor(request);
    await deleteMyAccount(actor, parseInput(deleteAccountSchema, await readJsonBody(request)));
    return new Response(null, { status: 204 });
  },
});
