import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { SelectField } from "~/components/form";
import { NeedCard, withCreatedText } from "~/components/needs";
import { CategoryOptions, CommunityOptions } from "~/components/options";
import { Pager } from "~/components/pager";
import { listOpenNeeds } from "~/domain/needs/need-read.server";
import { openNeedsQuerySchema } from "~/domain/needs/needs.schema";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { readPageQuery } from "~/http/route.server";
import { useRootData } from "~/root";

export const meta: MetaFunction = () => [{ title: "居民需求 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { query, errors } = readPageQuery(openNeedsQuerySchema, request);
  const [list, tree] = await Promise.all([listOpenNeeds(query), getTerritoryTree()]);
  return {
    list: { ...list, items: list.items.map(withCreatedText) },
    tree,
    filters: { category: query.category ?? "", communityId: query.communityId ?? "" },
    errors,
  };
}

export default function NeedsPage() {
  const { list, tree, filters, errors } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  const signedIn = Boolean(useRootData()?.user);
  return (
    <>
      <h1>居民需求</h1>
      <p className="lead">居民提出需求，社区工作者帮您对接社会组织和特色商家的服务。</p>
      <div className="actions">
        <Link className="button button--primary button--big" to="/needs/new">
          我要提需求
        </Link>
        {signedIn ? (
          <Link className="button" to="/me/needs">
            我的需求
          </Link>
        ) : null}
      </div>
      <Form method="get" className="card filter-form" key={search} aria-label="筛选需求">
        <SelectField name="category" label="类别" defaultValue={filters.category} errors={errors}>
          <option value="">全部类别</option>
          <CategoryOptions />
        </SelectField>
        <SelectField name="communityId" label="社区" defaultValue={filters.communityId} errors={errors}>
          <option value="">全部社区</option>
          <CommunityOptions tree={tree} />
        </SelectField>
        <button type="submit" className="button">
          筛选
        </button>
      </Form>
      <h2>待对接的需求（{list.total}）</h2>
      {list.items.length === 0 ? (
        <p className="card">暂时没有待对接的需求。</p>
      ) : (
        <ul className="need-list">
          {list.items.map((need) => (
            <NeedCard key={need.id} need={need} />
          ))}
        </ul>
      )}
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} search={search} />
    </>
  );
}
