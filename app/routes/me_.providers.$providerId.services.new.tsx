import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { EMPTY_SERVICE_FORM, ProviderStatusNotice, ServiceForm } from "~/components/services";
import { readServiceForm, serviceFormSchema } from "~/domain/services/services.schema";
import { createService, getProviderForServices } from "~/domain/services/services.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "发布新服务 · 三社联动服务平台" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    return getProviderForServices(actor, params.providerId ?? "");
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const providerId = params.providerId ?? "";
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const values = parseInput(serviceFormSchema, readServiceForm(form));
    const draft = form.intent === "draft";
    await createService(actor, { ...values, providerId, status: draft ? "DRAFT" : "PUBLISHED" });
    return redirect(`/me/providers/${providerId}/services?done=${draft ? "drafted" : "published"}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function NewServicePage() {
  const { provider, communities } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section className="card" aria-labelledby="new-service-title">
      <BackLink to={`/me/providers/${provider.id}/services`} label="返回服务管理" />
      <h1 id="new-service-title">发布新服务</h1>
      <p className="lead">{provider.name}</p>
      <ProviderStatusNotice status={provider.status} />
      <ServiceForm mode="create" communities={communities} defaults={EMPTY_SERVICE_FORM} failure={failure} />
    </section>
  );
}
