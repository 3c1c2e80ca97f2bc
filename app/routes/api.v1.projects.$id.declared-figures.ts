import { declarationSchema, EVIDENCE_FIELD } from "~/domain/projects/declarations.schema";
import { declareFigure, listDeclarations } from "~/domain/projects/declarations.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { parseInput, readUpload } from "~/http/route.server";

export const { loader, action } = apiMethods({
  GET: async ({ request, params }) => {
    const actor = await requireActor(request);
    return Response.json({ items: await listDeclarations(actor, params.id ?? "") });
  },
  // multipart/form-data with the evidence in repeated `files` fields, or JSON without files.
  POST: async ({ request, params }) => {
    const actor = await requireActor(request);
    const { fields, files } = await readUpload(request, EVIDENCE_FIELD);
    const values = parseInput(declarationSchema, fields);
    const declaration = await declareFigure(actor, params.id ?? "", values, files);
    return Response.json({ declaration }, { status: 201 });
  },
});
