import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { SelectField } from "~/components/form";
import { GroupedCommunityOptions, ProviderKindOptions } from "~/components/options";
import { Pager } from "~/components/pager";
import { ProviderCard } from "~/components/providers";
import {
  PROVIDER_STATUS_LABELS,
  PROVIDER_STATUSES,
  providerListQuerySchema,
} from "~/domain/providers/providers.schema";
import { listProviders } from "~/domain/providers/queries.server";
import { getManagedTerritory } from "~/domain/territory/territory.server";
import { placesOf } from "~/domain/territory/tree";
import { requirePageActor } from "~/http/auth.server";
import { pageData, readPageQuery } from "~/http/route.server";
import { formatTime } from "~/lib/format";

// The review queue (审核队列): providers serving the staff member's communities, newest application
// first, pending ones unless another status tab is chosen.

export const meta: MetaFunction = () => [{ title: "入驻审核 · 工作台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const url = new URL(request.url);
    if (!url.searchParams.has("status")) url.searchParams.set("status", "PENDING");
    const { query: filters, typed, errors } = readPageQuery(providerListQuerySchema, url);
    const [list, districts] = await Promise.all([listProviders(actor, filters), getManagedTerritory(actor)]);
    return data(
      {
        list: { ...list, items: list.items.map((p) => ({ ...p, submittedText: formatTime(p.submittedAt) })) },
        subdistricts: placesOf(districts).subdistricts.filter((s) => s.communities.length > 0),
        typed,
        errors,
        search: url.search,
      },
      { status: errors ? 400 : 200 },
    );
  });
}

const TABS = [
  ...PROVIDER_STATUSES.map((status) => ({ status, label: PROVIDER_STATUS_LABELS[status] })),
  { status: "", label: "全部" },
];

export default function ReviewQueuePage() {
  const { list, subdistricts, typed, errors, search } = useLoaderData<typeof loader>();
  const status = typed.status ?? "";
  const tabLink = (tab: string) => {
    const params = new URLSearchParams(typed);
    params.set("status", tab);
    params.delete("page");
    return `?${params}`;
  };
  return (
    <>
      <BackLink to="/workbench" label="返回工作台" />
      <h1>入驻审核</h1>
      <nav aria-label="按状态查看" className="tabs">
        <ul>
          {TABS.map((tab) => (
            <li key={tab.status}>
              <Link
                className="tabs__link"
                to={tabLink(tab.status)}
                aria-current={tab.status === status ? "page" : undefined}
              >
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Form method="get" className="card filter-form" aria-label="筛选机构">
        <input type="hidden" name="status" value={status} />
        <SelectField
          name="kind"
          label="机构类型"
          defaultValue={typed.kind ?? ""}
          errors={errors ?? undefined}
        >
          <option value="">全部类型</option>
          <ProviderKindOptions />
        </SelectField>
        <SelectField
          name="communityId"
          label="服务社区"
          defaultValue={typed.communityId ?? ""}
          errors={errors ?? undefined}
        >
          <option value="">辖区内全部社区</option>
          <GroupedCommunityOptions groups={subdistricts} />
        </SelectField>
        <div className="actions">
          <button type="submit" className="button button--primary">
            筛选
          </button>
        </div>
      </Form>
      {errors?.status ? <p className="field__error">{errors.status}</p> : null}
      <p aria-live="polite">共 {list.total} 家</p>
      {list.items.length === 0 ? (
        <p className="card empty-state">没有符合条件的机构。</p>
      ) : (
        <ul className="provider-list">
          {list.items.map((provider) => (
            <ProviderCard
              key={provider.id}
              provider={provider}
              href={`/workbench/providers/${provider.id}`}
              showStatus
            >
              <p>提交于 {provider.submittedText}</p>
            </ProviderCard>
          ))}
        </ul>
      )}
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} search={search} />
    </>
  );
}
