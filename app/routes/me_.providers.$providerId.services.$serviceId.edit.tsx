import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { ProviderStatusNotice, ServiceForm, serviceFormDefaults } from "~/components/services";
import { readServiceForm, serviceFormSchema } from "~/domain/services/services.schema";
import { getProviderForServices, getService, updateService } from "~/domain/services/services.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm } from "~/http/route.server";
import { notFound } from "~/lib/errors";

export const meta: MetaFunction = () => [{ title: "修改服务 · 三社联动服务平台" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const { provider, communities } = await getProviderForServices(actor, params.providerId ?? "");
    const { service } = await getService(actor, params.serviceId ?? "");
    // The address names both; a service of another provider is not found here.
    if (service.providerId !== provider.id) throw notFound("该服务不存在");
    return { provider, communities, service };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const values = parseInput(serviceFormSchema, readServiceForm(form));
    const publish = form.intent === "publish";
    const { service } = await updateService(actor, params.serviceId ?? "", values, { publish });
    const done = publish ? "published" : service.status === "DRAFT" ? "drafted" : "saved";
    return redirect(`/me/providers/${service.providerId}/services?done=${done}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function EditServicePage() {
  const { provider, communities, service } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section className="card" aria-labelledby="edit-service-title">
      <BackLink to={`/me/providers/${provider.id}/services`} label="返回服务管理" />
      <h1 id="edit-service-title">修改服务</h1>
      <p className="lead">
        {provider.name} · {service.title}
      </p>
      <ProviderStatusNotice status={provider.status} />
      {service.status === "ARCHIVED" ? (
        <p className="service-notice" role="note">
          该服务已下架，不能再修改。
        </p>
      ) : (
        <ServiceForm
          mode={service.status === "DRAFT" ? "editDraft" : "editPublished"}
          communities={communities}
          defaults={serviceFormDefaults(service)}
          failure={failure}
        />
      )}
    </section>
  );
}
