import { inviteMember, listSentInvitations } from "~/domain/providers/members.server";
import { addMemberSchema } from "~/domain/providers/providers.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) => {
    const actor = await requireActor(request);
    return Response.json({ items: await listSentInvitations(actor, params.id ?? "") });
  },
  /** Adding a member is an invitation (ADR 0017): 202, the same answer for any number. */
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(addMemberSchema, await readJsonBody(request));
    return Response.json({ invitation: await inviteMember(actor, params.id ?? "", values) }, { status: 202 });
  },
});
