import { reportQuerySchema } from "~/domain/projects/projects.schema";
import { projectReport, reportXlsx } from "~/domain/projects/report.server";
import { apiMethods } from "~/http/api-methods.server";
import { requireActor } from "~/http/auth.server";
import { readQuery } from "~/http/route.server";
import { attachmentDisposition } from "~/lib/download";

export const { loader, action } = apiMethods({
  // Also a link from the project page: the session cookie signs the download.
  GET: async ({ request, params }) => {
    const { format } = readQuery(reportQuerySchema, request);
    const report = await projectReport(await requireActor(request), params.id ?? "");
    if (format !== "xlsx") return Response.json(report);
    const file = await reportXlsx(report);
    return new Response(file.body, {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": attachmentDisposition(file.filename, file.asciiFilename),
      },
    });
  },
});
