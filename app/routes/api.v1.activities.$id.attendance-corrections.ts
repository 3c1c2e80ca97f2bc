import type { ActionFunctionArgs } from "@remix-run/node";
import { attendanceCorrectionSchema } from "~/domain/activities/activities.schema";
import { correctAttendance } from "~/domain/activities/check-in.server";
import { requireActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, parseInput, readJsonBody } from "~/http/route.server";

export const action = apiHandler(async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") throw methodNotAllowed("POST");
  const actor = await requireActor(request);
  const values = parseInput(attendanceCorrectionSchema, await readJsonBody(request));
  return Response.json(await correctAttendance(actor, params.id ?? "", values), { status: 201 });
});

export const loader = apiHandler(async () => {
  throw methodNotAllowed("POST");
});
