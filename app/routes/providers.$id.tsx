import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import {
  KindBadge,
  ProviderContactFacts,
  ProviderStatusBadge,
  ServedCommunities,
} from "~/components/providers";
import { categoryName, FUNDING_LABELS } from "~/domain/catalog/categories";
import { getProvider } from "~/domain/providers/queries.server";
import { getActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.provider.name ?? "机构"} · 三社联动服务平台` },
];

/** The public profile of an approved provider (its own people and staff in scope may preview others). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => ({
    provider: await getProvider(await getActor(request), params.id ?? ""),
  }));
}

export default function ProviderProfilePage() {
  const { provider } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="provider-title">
      <BackLink to="/providers" label="返回机构名录" />
      <h1 id="provider-title">{provider.name}</h1>
      <p>
        <KindBadge kind={provider.kind} />
        {provider.status === "APPROVED" ? null : (
          <>
            <ProviderStatusBadge status={provider.status} />
            <span className="provider-preview-note">此页面尚未公开，仅本机构成员和审核人员可见</span>
          </>
        )}
      </p>
      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title">机构简介</h2>
        <p className="provider-description">{provider.description}</p>
        <dl className="facts">
          <ProviderContactFacts provider={provider} />
        </dl>
      </section>
      <section className="card" aria-labelledby="served-title">
        <h2 id="served-title">服务社区</h2>
        <ServedCommunities communities={provider.communities} />
      </section>
      <section className="card" aria-labelledby="services-title">
        <h2 id="services-title">服务项目</h2>
        {provider.services.length === 0 ? (
          <p>暂无已发布的服务项目。</p>
        ) : (
          <ul className="community-list">
            {provider.services.map((service) => (
              <li key={service.id}>
                <Link to={`/services/${service.id}`}>{service.title}</Link>{" "}
                <span className="badge">{categoryName(service.category)}</span>
                <span className="badge">{FUNDING_LABELS[service.funding]}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
