import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormMessage, RadioGroup, TextAreaField } from "~/components/form";
import { StatusBadge, UrgencyBadge } from "~/components/needs";
import { closeNeedSchema, fulfilNeedSchema, RATING_LABELS } from "~/domain/needs/needs.schema";
import { cancelNeed, closeNeed, fulfilNeed, getNeed } from "~/domain/needs/needs.server";
import { requirePageActor } from "~/lib/auth.server";
import { formatDate } from "~/lib/format";
import { pageData, parseInput, runIntent } from "~/lib/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.need.title ?? "需求详情"} · 居民需求` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    return { need: await getNeed(actor, params.id ?? "") };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const id = params.id ?? "";
  return runIntent(request, {
    cancel: async () => {
      await cancelNeed(actor, id);
      return "需求已取消。";
    },
    close: async (form) => {
      await closeNeed(actor, id, parseInput(closeNeedSchema, form));
      return "需求已关闭。";
    },
    fulfil: async (form) => {
      const need = await fulfilNeed(actor, id, parseInput(fulfilNeedSchema, form));
      return need.rating ? "已确认完成，感谢您的评价！" : "已确认完成。";
    },
  });
}

const RATING_OPTIONS = [5, 4, 3, 2, 1].map((score) => ({
  value: String(score),
  label: `${score} 分 ${RATING_LABELS[score]}`,
}));

export default function NeedPage() {
  const { need } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const failed = result && !result.ok ? result : undefined;
  const errorsFor = (intent: string) => (failed?.values.intent === intent ? failed.fieldErrors : undefined);
  const { actions } = need;
  return (
    <article className="stack" aria-labelledby="need-title">
      <h1 id="need-title">{need.title}</h1>
      <p className="need-card__meta">
        <StatusBadge status={need.status} />
        <UrgencyBadge urgency={need.urgency} />
        <span className="badge">{need.categoryName}</span>
      </p>
      {params.get("posted") && !result ? (
        <FormMessage tone="success" message="需求已提交，社区工作者会尽快与您联系。" />
      ) : null}
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      <FormMessage message={failed?.formError} />
      <section className="card" aria-labelledby="need-facts">
        <h2 id="need-facts">需求情况</h2>
        <p className="need-description">{need.description}</p>
        <dl className="facts">
          <dt>社区</dt>
          <dd>{need.communityName}</dd>
          <dt>希望的时间</dt>
          <dd>{need.preferredTime ?? "未填写"}</dd>
          <dt>提交时间</dt>
          <dd>
            {formatDate(need.createdAt)}
            {need.onBehalf ? "（社区工作人员代办）" : null}
          </dd>
          <dt>状态</dt>
          <dd>{need.statusLabel}</dd>
          {need.requester ? (
            <>
              <dt>联系人</dt>
              <dd>
                {need.requester.name}（<a href={`tel:${need.requester.phone}`}>{need.requester.phone}</a>）
              </dd>
            </>
          ) : (
            <>
              <dt>联系电话</dt>
              <dd>{need.requesterPhoneMasked}</dd>
            </>
          )}
          {need.fulfilledAt ? (
            <>
              <dt>完成时间</dt>
              <dd>{formatDate(need.fulfilledAt)}</dd>
            </>
          ) : null}
          {need.rating ? (
            <>
              <dt>评价</dt>
              <dd>
                {need.rating} 分 {RATING_LABELS[need.rating]}
                {need.ratingComment ? `：${need.ratingComment}` : null}
              </dd>
            </>
          ) : null}
          {need.cancelledAt ? (
            <>
              <dt>取消时间</dt>
              <dd>{formatDate(need.cancelledAt)}</dd>
            </>
          ) : null}
          {need.closedAt ? (
            <>
              <dt>关闭时间</dt>
              <dd>{formatDate(need.closedAt)}</dd>
            </>
          ) : null}
          {need.closeReason ? (
            <>
              <dt>关闭原因</dt>
              <dd>{need.closeReason}</dd>
            </>
          ) : null}
        </dl>
      </section>
      {actions.fulfil ? (
        <Form method="post" className="card" aria-labelledby="fulfil-title">
          <h2 id="fulfil-title">确认完成</h2>
          <input type="hidden" name="intent" value="fulfil" />
          {actions.rate ? (
            <>
              <RadioGroup
                name="rating"
                legend="服务满意吗？（选填）"
                options={RATING_OPTIONS}
                defaultValue={failed?.values.rating}
                errors={errorsFor("fulfil")}
              />
              <TextAreaField
                name="comment"
                label="评价（选填）"
                maxLength={500}
                rows={3}
                defaultValue={failed?.values.comment}
                errors={errorsFor("fulfil")}
              />
            </>
          ) : (
            <p>居民的需求已经得到满足时，请确认完成。</p>
          )}
          <button type="submit" className="button button--primary">
            确认完成
          </button>
        </Form>
      ) : null}
      {actions.close ? (
        <details className="card" open={Boolean(errorsFor("close"))}>
          <summary>关闭（填写原因）</summary>
          <Form method="post">
            <input type="hidden" name="intent" value="close" />
            <TextAreaField
              name="reason"
              label="关闭原因"
              hint="如：居民已搬离本社区、需求重复提交（居民可以看到）"
              maxLength={500}
              rows={3}
              defaultValue={failed?.values.reason}
              errors={errorsFor("close")}
              required
            />
            <button type="submit" className="button button--danger">
              关闭需求
            </button>
          </Form>
        </details>
      ) : null}
      {actions.cancel ? (
        <details className="card">
          <summary>取消需求</summary>
          <p>取消后，社区将不再跟进这条需求。</p>
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <button type="submit" className="button button--danger">
              确认取消需求
            </button>
          </Form>
        </details>
      ) : null}
      <p className="actions">
        <Link className="button" to="/needs">
          返回需求列表
        </Link>
      </p>
    </article>
  );
}
