import { listNeeds } from "~/domain/needs/need-read.server";
import { needListQuerySchema, postNeedSchema } from "~/domain/needs/needs.schema";
import { submitNeed } from "~/domain/needs/needs.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readJsonBody, readQuery } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request }) => {
    const actor = await requireActor(request);
    const query = readQuery(needListQuerySchema, request);
    return Response.json(await listNeeds(actor, query));
  },
  POST: async ({ request }) => {
    const actor = await requireActor(request);
    const values = parseInput(postNeedSchema, await readJsonBody(request));
    return Response.json({ need: await submitNeed(actor, values) }, { status: 201 });
  },
});
