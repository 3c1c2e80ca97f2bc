import { removeStaffMember } from "~/domain/accounts/accounts.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";

export const { loader, action } = apiMethods({
  /** DELETE takes away the staff roles the caller may take (someone leaving the job). */
  DELETE: async ({ request, params }) => {
    const actor = await requireActor(request);
    return Response.json({ user: await removeStaffMember(actor, params.id ?? "") });
  },
});
