import { answerCoOrganiserInvitation } from "~/domain/activities/co-organisers.server";
import { invitationAnswerSchema } from "~/domain/providers/providers.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    parseInput(invitationAnswerSchema, await readJsonBody(request));
    await answerCoOrganiserInvitation(actor, params.id ?? "", true);
    return new Response(null, { status: 204 });
  },
});
