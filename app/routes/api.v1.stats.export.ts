import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportStatistics } from "~/domain/stats/exports.server";
import { statsExportQuerySchema } from "~/domain/stats/stats.schema";
import { getActor } from "~/http/auth.server";
import { apiHandler, methodNotAllowed, readQuery } from "~/http/route.server";
import { attachmentDisposition } from "~/lib/download";

// A link, not a fetch: the 统计 page's export buttons point here and the session cookie signs it.
export const loader = apiHandler(async ({ request }: LoaderFunctionArgs) => {
  const query = readQuery(statsExportQuerySchema, request);
  const file = await exportStatistics(await getActor(request), query);
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": attachmentDisposition(file.filename, file.asciiFilename),
      ...(file.restricted ? { "Cache-Control": "no-store" } : {}),
    },
  });
});

export const action = apiHandler(async () => {
  throw methodNotAllowed("GET");
});
