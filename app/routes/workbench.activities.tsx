import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { ActivityCard, activityLinks, withTimeText } from "~/components/activities";
import { BackLink } from "~/components/back-link";
import { FormMessage } from "~/components/form";
import { Pager } from "~/components/pager";
import { isStaff } from "~/domain/accounts/actor";
import { type OrganisedShow, organisedListQuerySchema } from "~/domain/activities/activities.schema";
import { listOrganisedActivities } from "~/domain/activities/activity-views.server";
import { communityDailyFigures } from "~/domain/activities/daily-stats.server";
import { reachableTerritory } from "~/domain/territory/territory.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, readPageQuery } from "~/http/route.server";
import { forbidden } from "~/lib/errors";

// 活动管理: the activities the actor organises (staff: every community in reach; a provider's people:
// their provider's own), drafts included, with the links to edit them and to run the desk.

export const meta: MetaFunction = () => [{ title: "活动管理 · 工作台" }];
export const links = activityLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    if (!isStaff(actor) && actor.memberships.length === 0) {
      throw forbidden("只有社区工作人员和机构人员可以管理活动");
    }
    const paging = readPageQuery(organisedListQuerySchema, request);
    const reach = await reachableTerritory(actor);
    const list = await listOrganisedActivities(actor, reach.communityIds, paging.query);
    // A worker's own community: the last 30 days as the worker tallied them.
    const [home] = actor.roles.filter((r) => r.role === "COMMUNITY_WORKER").map((r) => r.scopeId);
    const figures = home ? await communityDailyFigures(actor, home, {}) : null;
    return {
      list: { ...list, items: list.items.map(withTimeText) },
      figures,
      errors: paging.errors ?? null,
      show: paging.query.show ?? null,
      staff: isStaff(actor),
    };
  });
}

const SHOW_TABS: { show: OrganisedShow | null; label: string }[] = [
  { show: null, label: "全部" },
  { show: "today", label: "今日活动" },
  { show: "waitlisted", label: "有候补的活动" },
];

export default function OrganisedActivitiesPage() {
  const { list, figures, errors, show, staff } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  return (
    <>
      {staff ? (
        <BackLink to="/workbench" label="返回工作台" />
      ) : (
        <BackLink to="/me/providers" label="返回我的机构" />
      )}
      <h1>活动管理</h1>
      <p className="lead">您组织的活动（含草稿），最近的排在前面。</p>
      <nav aria-label="筛选活动" className="tabs">
        <ul>
          {SHOW_TABS.map((tab) => (
            <li key={tab.label}>
              <Link
                className="tabs__link"
                to={tab.show ? `?show=${tab.show}` : "?"}
                aria-current={tab.show === show ? "page" : undefined}
              >
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <FormMessage message={errors ? Object.values(errors).join("；") : null} />
      <div className="actions">
        <Link className="button button--primary button--big" to="/activities/new">
          新建活动
        </Link>
        <Link className="button" to="/activities">
          查看社区活动
        </Link>
      </div>
      {figures ? (
        <section className="card" aria-labelledby="recent-figures">
          <h2 id="recent-figures">本社区近30天</h2>
          <dl className="facts">
            <dt>举办活动</dt>
            <dd>{`${figures.total.activitiesHeld} 场`}</dd>
            <dt>签到</dt>
            <dd>{`${figures.total.checkedIn} 人次`}</dd>
            <dt>现场参与</dt>
            <dd>{`${figures.total.walkIns} 人次`}</dd>
            <dt>受众人次</dt>
            <dd>{`${figures.total.personTimes} 人次`}</dd>
          </dl>
          <p className="lead">活动结束后几秒内自动统计；每晚还会重新核对近40天的数字。</p>
        </section>
      ) : null}
      <h2>{`共 ${list.total} 场`}</h2>
      {list.items.length === 0 ? (
        <p className="card">还没有活动。点“新建活动”发布第一场活动。</p>
      ) : (
        <ul className="activity-list">
          {list.items.map((activity) => (
            <ActivityCard key={activity.id} activity={activity}>
              <p className="actions">
                {activity.actions.manage &&
                (activity.status === "DRAFT" || activity.status === "PUBLISHED") ? (
                  <Link className="button" to={`/activities/${activity.id}/edit`}>
                    编辑
                  </Link>
                ) : null}
                {activity.actions.checkIn ? (
                  <Link className="button" to={`/activities/${activity.id}/desk`}>
                    签到台
                  </Link>
                ) : null}
              </p>
            </ActivityCard>
          ))}
        </ul>
      )}
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} search={search} />
    </>
  );
}
