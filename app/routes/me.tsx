import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { getPublicUser } from "~/domain/accounts/accounts.server";
import { ROLE_LABELS } from "~/domain/accounts/actor";
import { describeScopes } from "~/domain/territory/territory.server";
import { requirePageActor } from "~/http/auth.server";
import { useRootData } from "~/root";

export const meta: MetaFunction = () => [{ title: "我的 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePageActor(request);
  const user = await getPublicUser(actor);
  const scopeNames = await describeScopes(user.roles.map((role) => role.scopeId));
  return {
    user: {
      name: user.name,
      phoneMasked: user.phoneMasked,
      roles: user.roles.map((role) => ({
        label: ROLE_LABELS[role.role],
        scope: scopeNames.get(role.scopeId) ?? "",
      })),
    },
  };
}

export default function MePage() {
  const { user } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const unread = useRootData()?.unreadNotifications ?? 0;
  return (
    <section className="card narrow" aria-labelledby="me-title">
      <h1 id="me-title">我的</h1>
      {params.get("welcome") ? <FormMessage tone="success" message="注册成功，欢迎您！" /> : null}
      <dl className="facts">
        <dt>姓名</dt>
        <dd>{user.name}</dd>
        <dt>手机号</dt>
        <dd>{user.phoneMasked}</dd>
        <dt>身份</dt>
        <dd>
          <ul className="plain-list">
            {user.roles.map((role) => (
              <li key={`${role.label}-${role.scope}`}>
                {role.label}
                {role.scope ? `（${role.scope}）` : null}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <div className="actions">
        <Link className="button button--primary" to="/me/needs">
          我的需求
        </Link>
        <Link className="button button--primary" to="/me/activities">
          我的活动
        </Link>
        <Link className="button button--primary" to="/me/bookings">
          我的预约
        </Link>
        <Link className="button" to="/me/notifications">
          {unread ? `我的通知（${unread} 条未读）` : "我的通知"}
        </Link>
        <Link className="button" to="/me/providers">
          我的机构
        </Link>
        <Link className="button" to="/me/security">
          账号安全
        </Link>
        <Link className="button" to="/">
          返回首页
        </Link>
        <Form method="post" action="/logout">
          <button type="submit" className="button button--danger">
            退出登录
          </button>
        </Form>
      </div>
      <h2>我的个人信息</h2>
      <p>
        我们如何使用您的信息，请看<Link to="/privacy">《隐私政策》</Link>。
      </p>
      <div className="actions">
        {/* A plain link, not client navigation: the browser saves the JSON file the response names. */}
        <a className="button" href="/api/v1/me/export">
          下载我的数据
        </a>
        <Link className="button" to="/me/delete">
          注销账号
        </Link>
      </div>
    </section>
  );
}
