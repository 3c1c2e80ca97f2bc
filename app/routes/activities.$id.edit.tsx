import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActivityForm, activityLinks } from "~/components/activities";
import { updateActivitySchema } from "~/domain/activities/activities.schema";
import { updateActivity } from "~/domain/activities/activities.server";
import { getActivity } from "~/domain/activities/activity-views.server";
import { linkableProjects } from "~/domain/projects/project-form.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm } from "~/http/route.server";
import { chinaLocalInput } from "~/lib/china-time";
import { forbidden } from "~/lib/errors";

// Not nested under the activity page (there is no activities.$id layout route, only
// activities.$id._index), so it links the activities styles itself.

export const meta: MetaFunction = () => [{ title: "修改活动 · 三社联动服务平台" }];
export const links = activityLinks;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const { activity } = await getActivity(actor, params.id ?? "");
    // Anyone may read a published activity; only its organisers get the form.
    if (!activity.actions.manage) throw forbidden("只有活动的组织者可以修改活动");
    return { activity, projects: await linkableProjects(actor, activity.projectId) };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const id = params.id ?? "";
    const { activity: stored } = await getActivity(actor, id);
    // The form shows times to the minute: a time sent back as shown is unchanged, and must not
    // count as a new time (which would notify every registrant) because of the seconds it lost.
    const sent = (name: "startsAt" | "endsAt") =>
      form[name] === chinaLocalInput(stored[name]) ? undefined : form[name];
    const values = parseInput(updateActivitySchema, {
      ...form,
      startsAt: sent("startsAt"),
      endsAt: sent("endsAt"),
    });
    const { activity } = await updateActivity(actor, id, values);
    return redirect(`/activities/${activity.id}?done=saved`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function EditActivityPage() {
  const { activity, projects } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const editable = activity.status === "DRAFT" || activity.status === "PUBLISHED";
  return (
    <section className="card narrow-wide" aria-labelledby="edit-activity-title">
      <p>
        <Link to={`/activities/${activity.id}`}>← 返回活动详情</Link>
      </p>
      <h1 id="edit-activity-title">修改活动</h1>
      <p className="lead">{activity.title}</p>
      {editable ? (
        <>
          {activity.status === "PUBLISHED" ? (
            <p className="activity-notice" role="note">
              活动已发布。改了时间的，报名的居民会收到通知；名额不能少于已报名的人数。
            </p>
          ) : null}
          <ActivityForm
            mode="edit"
            communityName={activity.communityName}
            defaults={{
              title: activity.title,
              description: activity.description,
              category: activity.category,
              communityId: activity.communityId,
              organiserProviderId: activity.organiserProviderId ?? "",
              venue: activity.venue,
              startsAt: chinaLocalInput(activity.startsAt),
              endsAt: chinaLocalInput(activity.endsAt),
              capacity: String(activity.capacity),
              projectId: activity.projectId ?? "",
            }}
            projects={projects}
            failure={failure}
          />
        </>
      ) : (
        <p className="activity-notice" role="note">
          {`该活动${activity.statusLabel}，不能再修改。`}
        </p>
      )}
    </section>
  );
}
