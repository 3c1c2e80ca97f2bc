import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useLocation } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { NeedCard, withCreatedText } from "~/components/needs";
import { Pager } from "~/components/pager";
import { listMyNeeds } from "~/domain/needs/need-read.server";
import { requirePageActor } from "~/http/auth.server";
import { readPageQuery } from "~/http/route.server";
import { pagingSchema } from "~/lib/paging";

// /me/needs, outside the /me layout (me.tsx renders no outlet).

export const meta: MetaFunction = () => [{ title: "我的需求 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePageActor(request);
  const { query, errors } = readPageQuery(pagingSchema, request);
  const list = await listMyNeeds(actor, query);
  return { list: { ...list, items: list.items.map(withCreatedText) }, errors };
}

export default function MyNeedsPage() {
  const { list, errors } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  return (
    <>
      <h1>我的需求</h1>
      <FormMessage message={errors ? Object.values(errors).join("；") : null} />
      <div className="actions">
        <Link className="button button--primary button--big" to="/needs/new">
          我要提需求
        </Link>
        <Link className="button" to="/me">
          返回“我的”
        </Link>
      </div>
      <h2>共 {list.total} 条</h2>
      {list.items.length === 0 ? (
        <p className="card">您还没有提交过需求。有需要时，点“我要提需求”告诉社区。</p>
      ) : (
        <ul className="need-list">
          {list.items.map((need) => (
            <NeedCard key={need.id} need={need}>
              {need.onBehalf ? <p className="need-card__note">由社区工作人员代为提交</p> : null}
            </NeedCard>
          ))}
        </ul>
      )}
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} search={search} />
    </>
  );
}
