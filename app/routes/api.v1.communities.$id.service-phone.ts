import { getCommunityServicePhone, setCommunityServicePhone } from "~/domain/territory/service-phones.server";
import { servicePhoneSchema } from "~/domain/territory/territory.schema";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ params }) => Response.json(await getCommunityServicePhone(params.id ?? "")),
  PATCH: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(servicePhoneSchema, await readJsonBody(request));
    return Response.json(await setCommunityServicePhone(actor, params.id ?? "", values));
  },
});
