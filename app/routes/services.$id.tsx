import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { FormMessage } from "~/components/form";
import { BusinessPhoneFact } from "~/components/providers";
import { ArchiveButton, ProviderStatusNotice, PublishButton } from "~/components/services";
import { FUNDING_LABELS, PROVIDER_KIND_LABELS } from "~/domain/catalog/categories";
import { priceLabel } from "~/domain/services/services.schema";
import { archiveService, getService, publishService } from "~/domain/services/services.server";
import { getActor, requirePageActor } from "~/http/auth.server";
import { pageData, runIntent } from "~/http/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.service.title ?? "服务项目"} · 三社联动服务平台` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => getService(await getActor(request), params.id ?? ""));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const serviceId = params.id ?? "";
  return runIntent(request, {
    publish: async () => {
      await publishService(actor, serviceId);
      return "服务已发布";
    },
    archive: async () => {
      await archiveService(actor, serviceId);
      return "服务已下架，居民将不再看到它";
    },
  });
}

const HIDDEN_BECAUSE = {
  DRAFT: "这是草稿，只有本机构人员和辖区工作人员能看到。发布后居民才能看到。",
  ARCHIVED: "该服务已下架，居民看不到。",
} as const;

export default function ServicePage() {
  const { service, provider, isPublic, canManage, canArchive } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <article className="card service-detail" aria-labelledby="service-title">
      <BackLink to="/services" label="返回服务列表" />
      <h1 id="service-title">{service.title}</h1>
      <FormMessage message={result && !result.ok ? result.formError : null} />
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      {service.status === "PUBLISHED" ? null : (
        <p className="service-notice" role="note">
          {HIDDEN_BECAUSE[service.status]}
        </p>
      )}
      {service.status === "PUBLISHED" && !isPublic ? <ProviderStatusNotice status={provider.status} /> : null}
      <p>
        <span className="badge">{service.categoryName}</span>
        <span className="badge badge--price">{priceLabel(service.funding, service.priceFen)}</span>
      </p>
      {isPublic ? (
        // The primary action near the top (适老化): ask for it through the community, or call the business.
        <div className="actions">
          <Link className="button button--primary button--big" to={`/needs/new?serviceId=${service.id}`}>
            我要这个服务
          </Link>
          {provider.businessPhone ? (
            <a className="button button--big button--call" href={`tel:${provider.businessPhone}`}>
              打电话：<span className="unbroken">{provider.businessPhone}</span>
            </a>
          ) : null}
        </div>
      ) : null}
      <p className="service-detail__description">{service.description}</p>
      <dl className="facts">
        <dt>服务类别</dt>
        <dd>{service.categoryName}</dd>
        <dt>收费方式</dt>
        <dd>{FUNDING_LABELS[service.funding]}</dd>
        {service.funding === "PAID" ? (
          <>
            <dt>价格</dt>
            <dd>{priceLabel(service.funding, service.priceFen)}</dd>
          </>
        ) : null}
        <dt>每周可服务</dt>
        <dd>{service.capacityPerWeek == null ? "不限" : `${service.capacityPerWeek} 人次`}</dd>
        <dt>服务社区</dt>
        <dd>
          <ul className="plain-list">
            {service.communities.map((community) => (
              <li key={community.id}>{`${community.subdistrictName} · ${community.name}`}</li>
            ))}
          </ul>
        </dd>
        <dt>提供机构</dt>
        <dd>
          <Link to={`/providers/${provider.id}`}>{provider.name}</Link>
          <small>（{PROVIDER_KIND_LABELS[provider.kind]}）</small>
        </dd>
        <BusinessPhoneFact phone={provider.businessPhone} />
      </dl>
      {canManage || canArchive ? (
        <div className="actions">
          {canManage ? (
            <Link className="button" to={`/me/providers/${provider.id}/services/${service.id}/edit`}>
              编辑
            </Link>
          ) : null}
          {canManage && service.status === "DRAFT" ? <PublishButton /> : null}
          {canArchive ? <ArchiveButton /> : null}
        </div>
      ) : null}
    </article>
  );
}
