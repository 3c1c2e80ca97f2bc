import { markReadSchema } from "~/domain/notifications/notifications.schema";
import { markNotificationsRead } from "~/domain/notifications/notifications.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(markReadSchema, await readJsonBody(request));
    return Response.json(await markNotificationsRead(actor, values.ids ?? "all"));
  },
});
