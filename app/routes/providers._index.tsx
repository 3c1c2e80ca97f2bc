import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilterForm, PlaceFilters } from "~/components/filter-form";
import { SelectField } from "~/components/form";
import { ProviderKindOptions } from "~/components/options";
import { Pager } from "~/components/pager";
import { ProviderCard } from "~/components/providers";
import { directoryQuerySchema } from "~/domain/providers/providers.schema";
import { listDirectory } from "~/domain/providers/queries.server";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { readPageQuery } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "社会组织与特色商家 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { query: filters, typed, errors } = readPageQuery(directoryQuerySchema, url);
  const [list, tree] = await Promise.all([listDirectory(filters), getTerritoryTree()]);
  return data({ list, tree, typed, errors, search: url.search }, { status: errors ? 400 : 200 });
}

export default function ProvidersPage() {
  const { list, tree, typed, errors, search } = useLoaderData<typeof loader>();
  const filtered = Boolean(typed.kind || typed.subdistrictId || typed.communityId);
  return (
    <>
      <h1>社会组织与特色商家</h1>
      <p className="lead">已入驻平台、通过审核的社会组织和特色商家，为社区居民提供服务。</p>
      <p className="apply-call">
        <Link className="button button--primary" to="/providers/apply">
          申请入驻
        </Link>
        <span>您的社会组织或商家想为社区居民服务？在线申请，社区审核通过后即可发布服务。</span>
      </p>

      <FilterForm label="筛选机构" clearTo={filtered ? "/providers" : null}>
        <SelectField
          name="kind"
          label="机构类型"
          defaultValue={typed.kind ?? ""}
          errors={errors ?? undefined}
        >
          <option value="">全部类型</option>
          <ProviderKindOptions />
        </SelectField>
        <PlaceFilters
          tree={tree}
          subdistrictId={typed.subdistrictId}
          communityId={typed.communityId}
          errors={errors ?? undefined}
        />
      </FilterForm>

      <p aria-live="polite">共 {list.total} 家</p>
      {list.items.length === 0 ? (
        <p className="card empty-state">
          {filtered ? "没有符合条件的机构，换个条件试试。" : "还没有通过审核的机构。"}
        </p>
      ) : (
        <ul className="provider-list">
          {list.items.map((provider) => (
            <ProviderCard key={provider.id} provider={provider} href={`/providers/${provider.id}`}>
              <p className="provider-card__description">{provider.description}</p>
            </ProviderCard>
          ))}
        </ul>
      )}
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} search={search} />
    </>
  );
}
