import { memberIdFromPath, removeMember } from "~/domain/providers/members.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";

export const { loader, action } = apiMethods({
  /** The owner removes a member; a member (`me` or their own id) leaves. */
  DELETE: async ({ request, params }) => {
    const actor = await requireActor(request);
    await removeMember(actor, params.id ?? "", memberIdFromPath(actor, params.userId ?? ""));
    return new Response(null, { status: 204 });
  },
});
