import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { FormMessage } from "~/components/form";
import { ArchiveButton, ProviderStatusNotice, PublishButton } from "~/components/services";
import { priceLabel, SERVICE_STATUS_LABELS, serviceActionSchema } from "~/domain/services/services.schema";
import { archiveService, listProviderServices, publishService } from "~/domain/services/services.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";

// A provider's own services, every status, with publish and archive at hand (the provider's
// owner and members only). Pages under /me/providers/… opt out of /me's layout (the `me_` prefix).

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `服务管理 · ${data?.provider.name ?? "机构"} · 三社联动服务平台` },
];

/** What the create and edit pages report after redirecting here (codes, never free text). */
const DONE_MESSAGES = {
  published: "服务已发布",
  drafted: "已保存为草稿，发布后居民才能看到",
  saved: "修改已保存",
} as const;
const isDone = (code: string | null): code is keyof typeof DONE_MESSAGES =>
  code !== null && Object.hasOwn(DONE_MESSAGES, code);

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const { provider, services } = await listProviderServices(actor, params.providerId ?? "");
    const done = new URL(request.url).searchParams.get("done");
    return { provider, services, done: isDone(done) ? DONE_MESSAGES[done] : null };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  return runIntent(request, {
    publish: async (form) => {
      const { service } = await publishService(actor, parseInput(serviceActionSchema, form).serviceId);
      return `“${service.title}”已发布`;
    },
    archive: async (form) => {
      const { service } = await archiveService(actor, parseInput(serviceActionSchema, form).serviceId);
      return `“${service.title}”已下架`;
    },
  });
}

export default function ProviderServicesPage() {
  const { provider, services, done } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <BackLink to={`/me/providers/${provider.id}`} label="返回机构工作台" />
      <h1>服务管理</h1>
      <p className="lead">{provider.name}</p>
      <ProviderStatusNotice status={provider.status} />
      <FormMessage message={result && !result.ok ? result.formError : null} />
      <FormMessage tone="success" message={result?.ok ? result.message : done} />
      <p>
        <Link className="button button--primary" to={`/me/providers/${provider.id}/services/new`}>
          发布新服务
        </Link>
      </p>
      {services.length === 0 ? (
        <p className="card empty-state">还没有服务。点“发布新服务”，介绍本机构能为居民做些什么。</p>
      ) : (
        <ul className="service-list">
          {services.map((service) => (
            <li key={service.id}>
              <article className="card service-card" aria-labelledby={`s-${service.id}`}>
                <h2 id={`s-${service.id}`}>
                  <Link className="service-card__link" to={`/services/${service.id}`}>
                    {service.title}
                  </Link>
                </h2>
                <p>
                  <span className={`badge badge--service-${service.status.toLowerCase()}`}>
                    {SERVICE_STATUS_LABELS[service.status]}
                  </span>
                  <span className="badge">{service.categoryName}</span>
                  <span className="badge badge--price">{priceLabel(service.funding, service.priceFen)}</span>
                </p>
                {service.status === "ARCHIVED" ? null : (
                  <div className="actions">
                    <Link className="button" to={`/me/providers/${provider.id}/services/${service.id}/edit`}>
                      编辑
                    </Link>
                    {service.status === "DRAFT" ? <PublishButton serviceId={service.id} /> : null}
                    <ArchiveButton serviceId={service.id} />
                  </div>
                )}
              </article>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
