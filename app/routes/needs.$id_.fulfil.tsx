import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage, RadioGroup, TextAreaField } from "~/components/form";
import { fulfilNeed } from "~/domain/needs/need-lifecycle.server";
import { getNeed } from "~/domain/needs/need-read.server";
import { fulfilNeedSchema, RATING_LABELS } from "~/domain/needs/needs.schema";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm } from "~/http/route.server";

// 确认完成 as a step of its own: the need page only links here, so a single tap never closes a need;
// this page says what confirming means and asks once more.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `确认完成：${data?.need.title ?? "需求"} · 居民需求` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => ({ need: await getNeed(await requirePageActor(request), params.id ?? "") }));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const id = params.id ?? "";
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    await fulfilNeed(actor, id, parseInput(fulfilNeedSchema, form));
    return redirect(`/needs/${id}?fulfilled=1`);
  } catch (error) {
    return formFailure(error, form);
  }
}

const RATING_OPTIONS = [5, 4, 3, 2, 1].map((score) => ({
  value: String(score),
  label: `${score} 分 ${RATING_LABELS[score]}`,
}));

export default function FulfilNeedPage() {
  const { need } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors = failure?.fieldErrors;
  return (
    <section className="card narrow stack" aria-labelledby="fulfil-title">
      <h1 id="fulfil-title">确认需求已完成</h1>
      <p className="lead">“{need.title}”</p>
      <FormMessage message={failure?.formError} errors={errors} />
      {need.actions.fulfil ? (
        <Form method="post" noValidate>
          <p>确认后，这条需求就结束了，社区和服务机构不再跟进。服务还没有做完的话，请先不要确认。</p>
          {need.actions.rate ? (
            <>
              <RadioGroup
                name="rating"
                legend="服务满意吗？（选填）"
                options={RATING_OPTIONS}
                defaultValue={failure?.values.rating}
                errors={errors}
              />
              <TextAreaField
                name="comment"
                label="评价（选填）"
                maxLength={500}
                rows={3}
                defaultValue={failure?.values.comment}
                errors={errors}
              />
            </>
          ) : (
            <p>居民的需求已经得到满足时，请确认完成。</p>
          )}
          <p className="actions">
            <button type="submit" className="button button--primary">
              是的，已经完成
            </button>
            <Link className="button" to={`/needs/${need.id}`}>
              还没有，返回
            </Link>
          </p>
        </Form>
      ) : (
        <>
          <p>
            这条需求现在“{need.statusLabel}”，
            {need.status === "OPEN" ? "还没有对接服务，对接之后才能确认完成。" : "不能再确认完成。"}
          </p>
          <p className="actions">
            <Link className="button" to={`/needs/${need.id}`}>
              返回需求
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
