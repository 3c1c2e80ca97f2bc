import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { withTimeText } from "~/components/activities";
import { ROLE_LABELS } from "~/domain/accounts/actor";
import { authorize, can } from "~/domain/policy";
import { describeScopes } from "~/domain/territory/territory.server";
import { workbenchSummary } from "~/domain/workbench/workbench.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "工作台 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    authorize(actor, "workbench.open", null);
    const staffRoles = actor.roles.filter((grant) => grant.role !== "RESIDENT");
    const [names, summary] = await Promise.all([
      describeScopes(staffRoles.map((grant) => grant.scopeId)),
      workbenchSummary(actor),
    ]);
    return {
      counts: summary.counts,
      today: summary.today.map(withTimeText),
      operations: can(actor, "operations.view", null),
      roles: staffRoles.map((grant) => ({
        label: ROLE_LABELS[grant.role],
        scope: names.get(grant.scopeId) ?? "",
      })),
    };
  });
}

export default function WorkbenchPage() {
  const { roles, operations, counts, today } = useLoaderData<typeof loader>();
  const waiting = [
    { to: "/workbench/needs?status=OPEN", label: "待分派需求", count: counts.needsToAssign, unit: "条" },
    {
      to: "/workbench/providers?status=PENDING",
      label: "待审核入驻",
      count: counts.providersToReview,
      unit: "家",
    },
    { to: "/workbench/activities?show=today", label: "今日活动", count: counts.activitiesToday, unit: "场" },
    {
      to: "/workbench/activities?show=waitlisted",
      label: "候补待处理",
      count: counts.waitlisted,
      unit: "人",
    },
  ];
  return (
    <>
      <h1>工作台</h1>
      <p className="lead">
        {roles.map((role) => (
          <span key={`${role.label}${role.scope}`} className="badge">
            {role.label} · {role.scope}
          </span>
        ))}
      </p>
      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title">待办</h2>
        <ul className="waiting-counts">
          {waiting.map((item) => (
            <li key={item.label}>
              <Link className="waiting-count" to={item.to}>
                <span className="waiting-count__label">{item.label}</span>
                <span className="waiting-count__figure">
                  {item.count}
                  <small>{item.unit}</small>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="today-title">
        <h2 id="today-title">今日活动</h2>
        {today.length === 0 ? (
          <p>今天辖区内没有活动。</p>
        ) : (
          <ul className="plain-list today-list">
            {today.map((activity) => (
              <li key={activity.id}>
                <Link to={`/activities/${activity.id}`}>{activity.title}</Link>
                <small>
                  {" "}
                  {activity.timeText} · {activity.communityName}
                </small>
                {activity.actions.checkIn ? (
                  <>
                    {" "}
                    <Link to={`/activities/${activity.id}/desk`}>签到台</Link>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <h2>常用功能</h2>
      <ul className="tiles">
        <li>
          <Link className="tile" to="/workbench/needs">
            <span className="tile__title">需求分派</span>
            <span className="tile__text">查看辖区居民的需求，跟进、关闭或确认完成</span>
          </Link>
        </li>
        <li>
          <Link className="tile" to="/workbench/activities">
            <span className="tile__title">活动管理</span>
            <span className="tile__text">新建和发布社区活动，查看报名，到场签到</span>
          </Link>
        </li>
        <li>
          <Link className="tile" to="/workbench/bookings">
            <span className="tile__title">预约审核</span>
            <span className="tile__text">审核辖区阵地的预约申请，预约开始后登记到场人数</span>
          </Link>
        </li>
        <li>
          <Link className="tile" to="/venues">
            <span className="tile__title">阵地管理</span>
            <span className="tile__text">新建和修改阵地、开放时间和项目，暂停开放，代订电话和纸质预约</span>
          </Link>
        </li>
        <li>
          <Link className="tile" to="/workbench/providers">
            <span className="tile__title">入驻审核</span>
            <span className="tile__text">审核社会组织和特色商家的入驻申请，暂停或恢复服务</span>
          </Link>
        </li>
        <li>
          <Link className="tile" to="/workbench/territory">
            <span className="tile__title">辖区管理</span>
            <span className="tile__text">查看街道和社区，新增或修改社区信息</span>
          </Link>
        </li>
        <li>
          <Link className="tile" to="/workbench/staff">
            <span className="tile__title">工作人员</span>
            <span className="tile__text">查看辖区内的工作人员，开设街道管理员、社区工作者账号</span>
          </Link>
        </li>
        <li>
          <Link className="tile" to="/workbench/password-reset">
            <span className="tile__title">密码重置码</span>
            <span className="tile__text">居民忘记密码时，当面核实身份后发放一次性重置码</span>
          </Link>
        </li>
        {operations ? (
          <li>
            <Link className="tile" to="/workbench/outbox">
              <span className="tile__title">索引同步队列</span>
              <span className="tile__text">查看等待同步和多次失败的记录，排除故障后重试</span>
            </Link>
          </li>
        ) : null}
        {operations ? (
          <li>
            <Link className="tile" to="/workbench/queues">
              <span className="tile__title">队列状态</span>
              <span className="tile__text">查看后台任务：等待、进行中和失败的任务，失败的可以重试</span>
            </Link>
          </li>
        ) : null}
      </ul>
    </>
  );
}
