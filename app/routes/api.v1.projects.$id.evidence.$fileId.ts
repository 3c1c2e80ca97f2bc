import { createReadableStreamFromReadable } from "@remix-run/node";
import { openEvidence } from "~/domain/projects/declarations.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { evidenceHeaders } from "~/lib/download";

export const { loader, action } = apiMethods({
  // Also a link from the project page: the session cookie signs the read.
  GET: async ({ request, params }) => {
    const actor = await requireActor(request);
    const file = await openEvidence(actor, params.id ?? "", params.fileId ?? "");
    return new Response(createReadableStreamFromReadable(file.stream), {
      headers: evidenceHeaders(file),
    });
  },
});
