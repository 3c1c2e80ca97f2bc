import { exportStatistics } from "~/domain/stats/exports.server";
import { statsExportQuerySchema } from "~/domain/stats/stats.schema";
import { apiMethods } from "~/http/api-methods.server";
import { getActor } from "~/http/auth.server";
import { readQuery } from "~/http/route.server";
import { attachmentDisposition } from "~/lib/download";

export const { loader, action } = apiMethods({
  // A link, not a fetch: the 统计 page's export buttons point here and the session cookie signs it.
  GET: async ({ request }) => {
    const query = readQuery(statsExportQuerySchema, request);
    const file = await exportStatistics(await getActor(request), query);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": attachmentDisposition(file.filename, file.asciiFilename),
        ...(file.restricted ? { "Cache-Control": "no-store" } : {}),
      },
    });
  },
});
