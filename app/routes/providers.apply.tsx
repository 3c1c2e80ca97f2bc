import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ProviderApplicationForm } from "~/components/provider-application-form";
import { applyForProvider } from "~/domain/providers/application.server";
import { applyProviderSchema, providerInputFromForm } from "~/domain/providers/providers.schema";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, parseInput, readForm } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "申请入驻 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePageActor(request);
  return { tree: await getTerritoryTree() };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const provider = await applyForProvider(
      actor,
      parseInput(applyProviderSchema, providerInputFromForm(form)),
    );
    return redirect(`/me/providers/${provider.id}?applied=1`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function ApplyPage() {
  const { tree } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section aria-labelledby="apply-title" className="narrow-wide">
      <h1 id="apply-title">申请入驻</h1>
      <p className="lead">
        社会组织、特色商家填写以下 4
        步信息。提交后，服务社区所在的社区、街道工作人员会进行审核，结果可在“我的机构”中查看。
      </p>
      <ProviderApplicationForm
        tree={tree}
        values={failure?.values ?? {}}
        errors={failure?.fieldErrors}
        formError={failure?.formError}
        submitLabel="提交申请"
      />
    </section>
  );
}
