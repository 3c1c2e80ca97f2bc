import type { LoaderFunctionArgs } from "@remix-run/node";
import { getActivity } from "~/domain/activities/activity-views.server";
import { getActor } from "~/http/auth.server";
import { STATUS_OF, toDomainError } from "~/http/route.server";
import { buildIcs } from "~/lib/ics";

// /activities/:id.ics, "加入日历": the activity as an iCalendar file. Drafts and unknown ids are 404,
// exactly as on the detail page (the domain decides who may see a draft).

export async function loader({ request, params }: LoaderFunctionArgs) {
  try {
    const { activity } = await getActivity(await getActor(request), params.id ?? "");
    const origin = new URL(request.url).origin;
    const place = `${activity.venue}（${activity.communityName}）`;
    const ics = buildIcs({
      uid: `${activity.id}@sanshe`,
      start: new Date(activity.startsAt),
      end: new Date(activity.endsAt),
      summary: activity.title,
      location: place,
      description: activity.description,
      url: `${origin}/activities/${activity.id}`,
      status: activity.status === "CANCELLED" ? "CANCELLED" : "CONFIRMED",
    });
    return new Response(ics, {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": 'attachment; filename="activity.ics"',
        "Cache-Control": "private, no-store",
      },
    });
  } catch (thrown) {
    const error = toDomainError(thrown);
    return new Response(error.code === "NOT_FOUND" ? "该活动不存在或已被删除" : error.message, {
      status: STATUS_OF[error.code],
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}
