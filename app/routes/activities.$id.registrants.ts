import type { LoaderFunctionArgs } from "@remix-run/node";
import { registrantsQuerySchema } from "~/domain/activities/activities.schema";
import { exportRegistrants } from "~/domain/activities/registrants.server";
import { requireActor } from "~/http/auth.server";
import { readQuery, STATUS_OF, toDomainError } from "~/http/route.server";
import { attachmentDisposition } from "~/lib/download";

// /activities/:id/registrants?format=csv|xlsx: the 报名名单 download from the activity's management
// page, for its organisers only (the domain decides and audits it). A link, signed by the session cookie.

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { format } = readQuery(registrantsQuerySchema, request);
    const file = await exportRegistrants(await requireActor(request), params.id ?? "", format);
    return new Response(file.body, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Disposition": attachmentDisposition(file.filename, `registrants.${format}`),
        "Cache-Control": "private, no-store",
      },
    });
  } catch (thrown) {
    const error = toDomainError(thrown);
    return new Response(error.message, {
      status: STATUS_OF[error.code],
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
    });
  }
}
