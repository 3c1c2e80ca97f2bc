import { listMyRegistrations } from "~/domain/activities/registrations.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { readQuery } from "~/http/route.server";
import { pagingSchema } from "~/lib/paging";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const actor = await requireActor(request);
    const query = readQuery(pagingSchema, request);
    return Response.json(await listMyRegistrations(actor, query));
  },
});
