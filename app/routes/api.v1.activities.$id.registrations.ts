import { registerSchema } from "~/domain/activities/activities.schema";
import { listDesk, registerForActivity } from "~/domain/activities/registrations.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  /** The organiser's list of registrants (names, masked phones, codes, who checked in). */
  GET: async ({ request, params }) => {
    const actor = await requireActor(request);
    return Response.json({ items: await listDesk(actor, params.id ?? "") });
  },
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(registerSchema, await readJsonBody(request));
    return Response.json(
      { registration: await registerForActivity(actor, params.id ?? "", values) },
      { status: 201 },
    );
  },
});
