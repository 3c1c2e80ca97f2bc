import { privacyConsentSchema } from "~/domain/accounts/privacy.schema";
import { agreeToPrivacyNotice } from "~/domain/accounts/privacy.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  /** POST { privacyConsent: true }: agree to the current privacy notice after sign-up. */
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    parseInput(privacyConsentSchema, await readJsonBody(request));
    return Response.json(await agreeToPrivacyNotice(actor));
  },
});
