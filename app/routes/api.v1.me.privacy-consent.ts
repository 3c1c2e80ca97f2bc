import type { ActionFunctionArgs } from "@remix-run/node";
import { privacyConsentSchema } from "~/domain/accounts/privacy.schema";
import { agreeToPrivacyNotice } from "~/domain/accounts/privacy.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

/** POST { privacyConsent: true }: agree to the current privacy notice after sign-up. */
export const action = apiHandler(async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  parseInput(privacyConsentSchema, await readJsonBody(request));
  return Response.json(await agreeToPrivacyNotice(actor));
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
