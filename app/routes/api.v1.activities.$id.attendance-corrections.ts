import { attendanceCorrectionSchema } from "~/domain/activities/activities.schema";
import { correctAttendance } from "~/domain/activities/registrations.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody } from "~/http/route.server";

export const { loader, action } = apiMethods({
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const values = parseInput(attendanceCorrectionSchema, await readJsonBody(request));
    return Response.json(await correctAttendance(actor, params.id ?? "", values), { status: 201 });
  },
});
