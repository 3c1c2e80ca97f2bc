import { getNeedStory } from "~/domain/needs/need-story.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) => {
    const actor = await requireActor(request);
    return Response.json({ story: await getNeedStory(actor, params.id ?? "") });
  },
});
