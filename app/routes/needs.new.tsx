import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormMessage, RadioGroup, SelectField, TextAreaField } from "~/components/form";
import { CategoryOptions, CommunityOptions } from "~/components/options";
import { URGENCY_LABELS } from "~/domain/catalog/categories";
import { needFormOptions } from "~/domain/needs/need-form-options.server";
import { postNeedSchema, URGENCIES } from "~/domain/needs/needs.schema";
import { submitNeed } from "~/domain/needs/needs.server";
import { requestableService } from "~/domain/needs/requested-service.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "我要提需求 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    // A signed-out resident coming from 「我要这个服务」 signs in and comes back here, query and all.
    const actor = await requirePageActor(request);
    const [options, requested] = await Promise.all([
      needFormOptions(actor),
      requestableService(new URL(request.url).searchParams.get("serviceId")),
    ]);
    return { ...options, requested };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const need = await submitNeed(actor, parseInput(postNeedSchema, form));
    return redirect(`/needs/${need.id}?posted=1`);
  } catch (error) {
    return formFailure(error, form);
  }
}

const URGENCY_OPTIONS = URGENCIES.map((urgency) => ({ value: urgency, label: URGENCY_LABELS[urgency] }));

export default function NewNeedPage() {
  const { ownCommunity, onBehalf, defaultBehalfCommunityId, requested } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = failure?.fieldErrors;
  const typed = failure?.values;
  return (
    <section className="card narrow" aria-labelledby="new-need-title">
      <h1 id="new-need-title">我要提需求</h1>
      <p className="lead">告诉社区您需要什么帮助，社区工作者会尽快与您联系。</p>
      <FormMessage message={failure?.formError} errors={errors} />
      <Form method="post" noValidate>
        {requested ? (
          <p className="field requested-service">
            <input type="hidden" name="requestedServiceId" value={requested.id} />
            您想要的服务：<Link to={`/services/${requested.id}`}>{requested.title}</Link>（
            {requested.providerName}）。社区工作者和该机构都会看到您的选择。
          </p>
        ) : null}
        {onBehalf ? (
          <fieldset className="behalf">
            <legend>代办：为居民填写</legend>
            <p className="field__hint">
              为没有智能手机的老人等居民代为提交。填写居民本人的手机号；不是您辖区内已登记的居民时，请同时填写姓名并选择社区，新居民会开通居民账号。
            </p>
            <Field
              name="requesterPhone"
              label="居民手机号"
              type="tel"
              inputMode="tel"
              maxLength={20}
              defaultValue={typed?.requesterPhone}
              errors={errors}
            />
            <Field
              name="requesterName"
              label="居民姓名"
              hint="辖区内已登记的居民可不填"
              maxLength={30}
              defaultValue={typed?.requesterName}
              errors={errors}
            />
            <SelectField
              name="communityId"
              label="居民所在社区"
              defaultValue={typed?.communityId ?? defaultBehalfCommunityId}
              errors={errors}
            >
              <option value="">按居民登记的社区</option>
              <CommunityOptions tree={onBehalf} />
            </SelectField>
          </fieldset>
        ) : ownCommunity ? (
          <p className="field">
            <input type="hidden" name="communityId" value={ownCommunity.id} />
            所在社区：<strong>{ownCommunity.name}</strong>
          </p>
        ) : null}
        <Field
          name="title"
          label="需求标题"
          hint="一句话说清楚，如：老人需要每周上门探访"
          maxLength={60}
          defaultValue={typed?.title ?? requested?.title.slice(0, 60)}
          errors={errors}
          required
        />
        <TextAreaField
          name="description"
          label="具体情况"
          hint="需要什么帮助、在哪里、有什么需要注意的（至少10个字）"
          maxLength={2000}
          rows={5}
          defaultValue={typed?.description}
          errors={errors}
          required
        />
        <SelectField
          name="category"
          label="类别"
          defaultValue={typed?.category ?? requested?.category ?? ""}
          errors={errors}
          required
        >
          <option value="">请选择类别</option>
          <CategoryOptions />
        </SelectField>
        <RadioGroup
          name="urgency"
          legend="紧急程度"
          options={URGENCY_OPTIONS}
          defaultValue={typed?.urgency ?? "NORMAL"}
          errors={errors}
        />
        <Field
          name="preferredTime"
          label="希望的时间（选填）"
          hint="如：工作日上午、每周六下午"
          maxLength={60}
          defaultValue={typed?.preferredTime}
          errors={errors}
        />
        <p className="field__hint">您的完整手机号只有您本人和社区工作人员能看到。</p>
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? "正在提交…" : "提交需求"}
        </button>
      </Form>
    </section>
  );
}
