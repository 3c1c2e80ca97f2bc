import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { AreaChoices, PlaceFilters } from "~/components/filter-form";
import { SelectField } from "~/components/form";
import { NeedCard, withCreatedText } from "~/components/needs";
import { CategoryOptions } from "~/components/options";
import { Pager } from "~/components/pager";
import { listOpenNeeds } from "~/domain/needs/need-read.server";
import { openNeedsQuerySchema } from "~/domain/needs/needs.schema";
import { areaChoices, homeArea, homeCommunityOf, withHomeDefault } from "~/domain/territory/home-area";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { getActor } from "~/http/auth.server";
import { readPageQuery } from "~/http/route.server";
import { useRootData } from "~/root";

export const meta: MetaFunction = () => [{ title: "居民需求 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [actor, tree] = await Promise.all([getActor(request), getTerritoryTree()]);
  const home = homeArea(tree, homeCommunityOf(actor));
  const { query, errors } = readPageQuery(
    openNeedsQuerySchema,
    withHomeDefault(new URL(request.url), home).url,
  );
  const list = await listOpenNeeds(query);
  return {
    list: { ...list, items: list.items.map(withCreatedText) },
    tree,
    home,
    filters: {
      category: query.category ?? "",
      subdistrictId: query.subdistrictId ?? "",
      communityId: query.communityId ?? "",
    },
    errors,
  };
}

export default function NeedsPage() {
  const { list, tree, home, filters, errors } = useLoaderData<typeof loader>();
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
        <PlaceFilters
          tree={tree}
          subdistrictId={filters.subdistrictId}
          communityId={filters.communityId}
          errors={errors}
        />
        <button type="submit" className="button">
          筛选
        </button>
      </Form>
      {home ? (
        <AreaChoices
          choices={areaChoices(home, filters)}
          hrefOf={(place) =>
            `/needs?${new URLSearchParams([...(filters.category ? [["category", filters.category]] : []), ...Object.entries(place)])}`
          }
        />
      ) : null}
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
