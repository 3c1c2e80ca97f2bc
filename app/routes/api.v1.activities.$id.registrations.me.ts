import { cancelMyRegistration } from "~/domain/activities/registrations.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";

export const { loader, action } = apiMethods({
  DELETE: async ({ request, params }) => {
    const actor = await requireActor(request);
    await cancelMyRegistration(actor, params.id ?? "");
    return new Response(null, { status: 204 });
  },
});
