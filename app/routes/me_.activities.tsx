import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { ActivityStatusBadge, activityLinks, CheckInCode, formatTimeRange } from "~/components/activities";
import { FormMessage } from "~/components/form";
import { Pager } from "~/components/pager";
import { OPEN_FOR_REGISTRATION } from "~/domain/activities/activities.schema";
import { checkInQrSvg } from "~/domain/activities/check-in.server";
import { listMyRegistrations } from "~/domain/activities/registrations.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, readPageQuery } from "~/http/route.server";
import { formatTime } from "~/lib/format";
import { pagingSchema } from "~/lib/paging";

// /me/activities, outside the /me layout (me.tsx renders no outlet).

export const meta: MetaFunction = () => [{ title: "我的活动 · 三社联动服务平台" }];
export const links = activityLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const url = new URL(request.url);
    const paging = readPageQuery(pagingSchema, url);
    const list = await listMyRegistrations(actor, paging.query);
    const now = Date.now();
    const upcoming = (item: (typeof list.items)[number]) => new Date(item.activity.endsAt).getTime() > now;
    // Upcoming first, soonest first; then the past ones, latest first.
    const items = [...list.items].sort((a, b) => {
      if (upcoming(a) !== upcoming(b)) return upcoming(a) ? -1 : 1;
      const order = a.activity.startsAt.localeCompare(b.activity.startsAt);
      return upcoming(a) ? order : -order;
    });
    return {
      errors: paging.errors ?? null,
      list: {
        ...list,
        items: await Promise.all(
          items.map(async (item) => {
            const { registration, activity } = item;
            // The code is for the door: shown while the activity is still to come or under way.
            const live =
              registration.checkInCode !== null &&
              registration.checkedInAt === null &&
              OPEN_FOR_REGISTRATION.includes(activity.status);
            return {
              ...item,
              live,
              checkedInText: registration.checkedInAt ? formatTime(registration.checkedInAt) : null,
              timeText: formatTimeRange(activity.startsAt, activity.endsAt),
              qrSvg:
                live && registration.checkInCode
                  ? await checkInQrSvg(url.origin, activity.id, registration.checkInCode)
                  : null,
            };
          }),
        ),
      },
    };
  });
}

export default function MyActivitiesPage() {
  const { list, errors } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  return (
    <>
      <h1>我的活动</h1>
      <FormMessage message={errors ? Object.values(errors).join("；") : null} />
      <div className="actions">
        <Link className="button button--primary button--big" to="/activities">
          看看社区活动
        </Link>
        <Link className="button" to="/me">
          返回“我的”
        </Link>
      </div>
      <h2>{`共 ${list.total} 场`}</h2>
      {list.items.length === 0 ? (
        <p className="card">您还没有报名活动。到“社区活动”里看看，喜欢的就报名。</p>
      ) : (
        <ul className="activity-list">
          {list.items.map(({ registration, activity, live, checkedInText, timeText, qrSvg }) => (
            <li key={registration.id}>
              <article className="card activity-card" aria-labelledby={`r-${registration.id}`}>
                <h3 id={`r-${registration.id}`}>
                  <Link className="activity-card__link" to={`/activities/${activity.id}`}>
                    {activity.title}
                  </Link>
                </h3>
                <p>
                  <ActivityStatusBadge status={activity.status} />
                  <span className="badge">{registration.statusLabel}</span>
                </p>
                <p className="activity-card__time">{timeText}</p>
                <p>{`地点：${activity.venue}（${activity.communityName}）`}</p>
                {registration.status === "WAITLISTED" ? (
                  <p>{`候补第 ${registration.waitlistPosition ?? 1} 位，有人退出时会自动为您补上并通知您。`}</p>
                ) : null}
                {checkedInText ? <p>{`已于 ${checkedInText} 签到。`}</p> : null}
                {live && registration.checkInCode ? (
                  <CheckInCode code={registration.checkInCode} qrSvg={qrSvg} />
                ) : null}
              </article>
            </li>
          ))}
        </ul>
      )}
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} search={search} />
    </>
  );
}
