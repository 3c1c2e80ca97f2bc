import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { FormMessage, TextAreaField } from "~/components/form";
import { MatchCard, Reasons } from "~/components/matches";
import { NeedStoryTimeline, StatusBadge, UrgencyBadge } from "~/components/needs";
import { KindBadge } from "~/components/providers";
import {
  declineMatchSchema,
  proposeMatchSchema,
  type ServiceSuggestion,
} from "~/domain/matching/matching.schema";
import { acceptMatch, declineMatch, proposeMatch, withdrawMatch } from "~/domain/matching/matching.server";
import { cancelNeed, closeNeed } from "~/domain/needs/need-lifecycle.server";
import { needPageFor } from "~/domain/needs/need-page.server";
import { closeNeedSchema, RATING_LABELS } from "~/domain/needs/needs.schema";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import type { FieldErrors } from "~/lib/errors";
import { formatDate } from "~/lib/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.need.title ?? "需求详情"} · 居民需求` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => needPageFor(await requirePageActor(request), params.id ?? ""));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const id = params.id ?? "";
  return runIntent(request, {
    cancel: async () => {
      await cancelNeed(actor, id);
      return "需求已撤回。";
    },
    close: async (form) => {
      await closeNeed(actor, id, parseInput(closeNeedSchema, form));
      return "需求已关闭。";
    },
    propose: async (form) => {
      const match = await proposeMatch(actor, parseInput(proposeMatchSchema, { ...form, needId: id }));
      return `已推荐给“${match.providerName}”，等对方回复后会通知您。`;
    },
    accept: async (form) => {
      const match = await acceptMatch(actor, form.matchId ?? "");
      return `已接受，“${match.providerName}”将承接这条需求。`;
    },
    decline: async (form) => {
      await declineMatch(actor, form.matchId ?? "", parseInput(declineMatchSchema, form));
      return "已婉拒，对方会收到通知。";
    },
    withdraw: async (form) => {
      await withdrawMatch(actor, form.matchId ?? "");
      return "已撤回这条推荐。";
    },
  });
}

function SuggestionCard({
  suggestion,
  errors,
}: {
  suggestion: ServiceSuggestion & { proposable: boolean };
  errors?: FieldErrors;
}) {
  const { service, provider } = suggestion;
  return (
    <li className="card need-card">
      <h3 className="need-card__title">
        <Link className="need-card__link" to={`/services/${service.id}`}>
          {service.title}
        </Link>
      </h3>
      <p className="need-card__meta">
        <span className="badge">{service.categoryName}</span>
        <KindBadge kind={provider.kind} />
        <Link to={`/providers/${provider.id}`}>{provider.name}</Link>
      </p>
      <Reasons reasons={suggestion.reasons} />
      {suggestion.proposable ? (
        <Form method="post">
          <input type="hidden" name="intent" value="propose" />
          <input type="hidden" name="serviceId" value={service.id} />
          <details open={Boolean(errors)}>
            <summary>给机构留句话（选填）</summary>
            <TextAreaField
              name="note"
              idPrefix={`propose-${service.id}-`}
              label="备注"
              hint="如：老人行动不便，请先打电话给家属"
              maxLength={500}
              rows={2}
              errors={errors}
            />
          </details>
          <button type="submit" className="button button--primary">
            推荐给该机构
          </button>
        </Form>
      ) : suggestion.proposed ? (
        <p className="need-card__note">已推荐，等待机构回复。</p>
      ) : null}
    </li>
  );
}

export default function NeedPage() {
  const { need, suggestions, matches, story, schedulable, back } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const failed = result && !result.ok ? result : undefined;
  const errorsFor = (intent: string) => (failed?.values.intent === intent ? failed.fieldErrors : undefined);
  /** The field errors of the form of one suggestion or match, when that is the one sent. */
  const errorsOf = (intent: string, key: string, id: string) => {
    const errors = failed?.values[key] === id ? errorsFor(intent) : undefined;
    return errors && Object.keys(errors).length > 0 ? errors : undefined;
  };
  const { actions } = need;
  return (
    <article className="stack" aria-labelledby="need-title">
      <BackLink to={back.to} label={back.label} />
      <h1 id="need-title">{need.title}</h1>
      <p className="need-card__meta">
        <StatusBadge status={need.status} />
        <UrgencyBadge urgency={need.urgency} />
        <span className="badge">{need.categoryName}</span>
      </p>
      {params.get("posted") && !result ? (
        <FormMessage tone="success" message="需求已提交，社区工作者会尽快与您联系。" />
      ) : null}
      {params.get("fulfilled") && !result ? (
        <FormMessage tone="success" message={need.rating ? "已确认完成，感谢您的评价！" : "已确认完成。"} />
      ) : null}
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      <FormMessage message={failed?.formError} />
      {actions.fulfil ? (
        <p className="actions">
          <Link className="button button--primary" to={`/needs/${need.id}/fulfil`}>
            确认完成…
          </Link>
        </p>
      ) : null}
      {story ? <NeedStoryTimeline story={story} /> : null}
      <section className="card" aria-labelledby="need-facts">
        <h2 id="need-facts">需求情况</h2>
        <p className="need-description">{need.description}</p>
        <dl className="facts">
          <dt>编号</dt>
          <dd>
            <span className="unbroken">{need.caseNumber}</span>
          </dd>
          <dt>社区</dt>
          <dd>{need.communityName}</dd>
          <dt>希望的时间</dt>
          <dd>{need.preferredTime ?? "未填写"}</dd>
          {need.requestedService ? (
            <>
              <dt>居民选择的服务</dt>
              <dd>
                <Link to={`/services/${need.requestedService.id}`}>{need.requestedService.title}</Link>
                <small>（{need.requestedService.providerName}）</small>
              </dd>
            </>
          ) : null}
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
      {suggestions ? (
        <section aria-labelledby="suggestions-title">
          <h2 id="suggestions-title">推荐服务</h2>
          {suggestions.length > 0 ? (
            <p>
              这些服务可能适合这条需求，按内容、类别、服务范围和以往记录排好了先后。
              {suggestions.some((s) => s.proposable) ? "点“推荐给该机构”，机构会收到邀请。" : null}
            </p>
          ) : null}
          {suggestions.length === 0 ? (
            <p className="card">暂时没有找到合适的服务。</p>
          ) : (
            <ul className="need-list">
              {suggestions.map((suggestion) => (
                <SuggestionCard
                  key={suggestion.service.id}
                  suggestion={suggestion}
                  errors={errorsOf("propose", "serviceId", suggestion.service.id)}
                />
              ))}
            </ul>
          )}
        </section>
      ) : null}
      {matches ? (
        <section aria-labelledby="matches-title">
          <h2 id="matches-title">对接记录</h2>
          {matches.length === 0 ? (
            <p className="card">还没有对接记录。</p>
          ) : (
            <ul className="need-list">
              {matches.map((match) => (
                <MatchCard
                  seenFrom="need"
                  key={match.id}
                  match={match}
                  declineErrors={errorsOf("decline", "matchId", match.id)}
                />
              ))}
            </ul>
          )}
        </section>
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
          <summary>撤回需求</summary>
          <p>撤回后，社区将不再跟进这条需求。</p>
          <Form method="post">
            <input type="hidden" name="intent" value="cancel" />
            <button type="submit" className="button button--danger">
              确认撤回需求
            </button>
          </Form>
        </details>
      ) : null}
      <p className="actions">
        {schedulable ? (
          <Link className="button button--primary" to={`/activities/new?needId=${need.id}`}>
            安排活动
          </Link>
        ) : null}
        <Link className="button" to={back.to}>
          {back.label}
        </Link>
      </p>
    </article>
  );
}
