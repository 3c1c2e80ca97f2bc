import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { SelectField } from "~/components/form";
import { NeedCard, withCreatedText } from "~/components/needs";
import { CategoryOptions, CommunityOptions } from "~/components/options";
import { Pager } from "~/components/pager";
import { URGENCY_LABELS } from "~/domain/catalog/categories";
import { triageCommunities } from "~/domain/needs/need-form-options.server";
import { listNeeds } from "~/domain/needs/need-read.server";
import {
  DAY_MS,
  NEED_STATUS_LABELS,
  NEED_STATUSES,
  needListQuerySchema,
  URGENCIES,
} from "~/domain/needs/needs.schema";
import { requirePageActor } from "~/http/auth.server";
import { pageData, readPageQuery } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "需求分派 · 工作台" }];

const AGE_OPTIONS = [3, 7, 30];

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const communities = await triageCommunities(actor);
    const { query, errors } = readPageQuery(needListQuerySchema, request);
    const list = await listNeeds(actor, query);
    const now = Date.now();
    return {
      communities,
      errors,
      filters: {
        status: query.status ?? "",
        category: query.category ?? "",
        urgency: query.urgency ?? "",
        communityId: query.communityId ?? "",
        olderThanDays: query.olderThanDays ? String(query.olderThanDays) : "",
      },
      list: {
        ...list,
        items: list.items.map((need) => ({
          ...withCreatedText(need),
          waitingDays: Math.floor((now - new Date(need.createdAt).getTime()) / DAY_MS),
        })),
      },
    };
  });
}

export default function TriagePage() {
  const { communities, errors, filters, list } = useLoaderData<typeof loader>();
  const { search } = useLocation();
  return (
    <>
      <BackLink to="/workbench" label="返回工作台" />
      <h1>需求分派</h1>
      <p className="lead">辖区内居民的需求，等待最久的待对接需求排在最前。</p>
      <Form method="get" className="card filter-form" key={search} aria-label="筛选需求">
        <SelectField name="status" label="状态" defaultValue={filters.status} errors={errors}>
          <option value="">全部状态</option>
          {NEED_STATUSES.map((status) => (
            <option key={status} value={status}>
              {NEED_STATUS_LABELS[status]}
            </option>
          ))}
        </SelectField>
        <SelectField name="category" label="类别" defaultValue={filters.category} errors={errors}>
          <option value="">全部类别</option>
          <CategoryOptions />
        </SelectField>
        <SelectField name="urgency" label="紧急程度" defaultValue={filters.urgency} errors={errors}>
          <option value="">全部</option>
          {URGENCIES.map((urgency) => (
            <option key={urgency} value={urgency}>
              {URGENCY_LABELS[urgency]}
            </option>
          ))}
        </SelectField>
        <SelectField name="communityId" label="社区" defaultValue={filters.communityId} errors={errors}>
          <option value="">辖区内全部社区</option>
          <CommunityOptions tree={communities} />
        </SelectField>
        <SelectField name="olderThanDays" label="已等待" defaultValue={filters.olderThanDays} errors={errors}>
          <option value="">不限</option>
          {AGE_OPTIONS.map((days) => (
            <option key={days} value={days}>
              {days}天以上
            </option>
          ))}
        </SelectField>
        <div className="actions">
          <button type="submit" className="button button--primary">
            筛选
          </button>
          <Link className="button" to="/workbench/needs">
            清除筛选
          </Link>
        </div>
      </Form>
      <h2>共 {list.total} 条需求</h2>
      {list.items.length === 0 ? (
        <p className="card">没有符合条件的需求。</p>
      ) : (
        <ul className="need-list">
          {list.items.map((need) => (
            <NeedCard key={need.id} need={need}>
              <p className="need-card__note">
                {need.requesterName}（{need.requesterPhoneMasked}）{need.onBehalf ? " · 代办" : null}
                {need.status === "OPEN" ? ` · 已等待 ${need.waitingDays} 天` : null}
              </p>
            </NeedCard>
          ))}
        </ul>
      )}
      <Pager page={list.page} pageSize={list.pageSize} total={list.total} search={search} />
    </>
  );
}
