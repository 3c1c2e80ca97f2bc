import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActivityForm, activityLinks, EMPTY_ACTIVITY_FORM } from "~/components/activities";
import { createActivitySchema } from "~/domain/activities/activities.schema";
import { createActivity } from "~/domain/activities/activities.server";
import { activityDraftFromNeed, activityFormOptions } from "~/domain/activities/activity-form.server";
import { linkableProjects } from "~/domain/projects/project-form.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "新建活动 · 三社联动服务平台" }];
export const links = activityLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const needId = new URL(request.url).searchParams.get("needId");
    const [choices, projects, draft] = await Promise.all([
      activityFormOptions(actor),
      linkableProjects(actor),
      needId ? activityDraftFromNeed(actor, needId) : null,
    ]);
    return { choices: { ...choices, projects }, draft };
  });
}

/** Hidden lists travel as one comma-separated field each; none given means none. */
const idsOf = (text: string | undefined) => (text ? text.split(",") : undefined);

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const input = parseInput(createActivitySchema, {
      ...form,
      providerIds: idsOf(form.providerIds),
      needIds: idsOf(form.needIds),
      publish: form.publish === "on",
    });
    const { activity } = await createActivity(actor, input);
    return redirect(`/activities/${activity.id}?done=${activity.status === "DRAFT" ? "draft" : "published"}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function NewActivityPage() {
  const { choices, draft } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const onlyCommunity = choices.groups.length === 1 && choices.groups[0]?.communities.length === 1;
  const defaults = {
    ...EMPTY_ACTIVITY_FORM,
    communityId: onlyCommunity ? (choices.groups[0]?.communities[0]?.id ?? "") : "",
    // A provider's people organise for their provider; with one, it is already chosen.
    organiserProviderId: choices.asStaff ? "" : (choices.providers[0]?.id ?? ""),
    ...(draft
      ? {
          title: draft.title,
          category: draft.category,
          communityId: draft.communityId,
          organiserProviderId:
            draft.organiserProviderId ?? (choices.asStaff ? "" : (choices.providers[0]?.id ?? "")),
        }
      : {}),
  };
  const hidden: Record<string, string> = draft
    ? {
        needIds: draft.needId,
        ...(draft.providerIds.length ? { providerIds: draft.providerIds.join(",") } : {}),
        ...(draft.serviceId ? { serviceId: draft.serviceId } : {}),
      }
    : {};
  return (
    <section className="card narrow-wide" aria-labelledby="new-activity-title">
      <p>
        <Link to="/activities">← 返回活动列表</Link>
      </p>
      <h1 id="new-activity-title">新建活动</h1>
      {draft ? (
        <p className="lead">
          为已对接的需求安排活动：<Link to={`/needs/${draft.needId}`}>{draft.needTitle}</Link>
          。活动发布后，这条需求会变为“已安排”。
        </p>
      ) : (
        <p className="lead">填好活动信息。发布后居民就能在“社区活动”里看到并报名。</p>
      )}
      <ActivityForm mode="create" defaults={defaults} failure={failure} choices={choices} hidden={hidden} />
    </section>
  );
}
