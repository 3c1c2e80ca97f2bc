import { Form, Link } from "@remix-run/react";
import type { MatchView } from "~/domain/matching/matching.schema";
import type { FieldErrors } from "~/lib/errors";
import { formatDate } from "~/lib/format";
import { TextAreaField } from "./form";

// The pieces of matching shown on a need's page and on a provider's dashboard.

/** The reasons a suggestion was made, as small chips: 同类别 · 服务本社区 · 已完成 3 次. */
export function Reasons({ reasons }: { reasons: string[] }) {
  if (!reasons.length) return null;
  return (
    <p className="need-card__note">
      推荐理由：
      {reasons.map((reason) => (
        <span key={reason} className="badge">
          {reason}
        </span>
      ))}
    </p>
  );
}

function IntentButton({
  intent,
  matchId,
  label,
  primary,
}: {
  intent: string;
  matchId: string;
  label: string;
  primary?: boolean;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="matchId" value={matchId} />
      <button type="submit" className={primary ? "button button--primary" : "button"}>
        {label}
      </button>
    </Form>
  );
}

/** One proposal or offer with the buttons the viewer may use on it. Seen from the need's page it is
 * about a service; seen from the provider's dashboard, about a need. */
export function MatchCard({
  match,
  seenFrom,
  declineErrors,
}: {
  match: MatchView;
  seenFrom: "need" | "provider";
  declineErrors?: FieldErrors;
}) {
  const { actions } = match;
  const pending = match.status === "PROPOSED";
  return (
    <li className="card need-card">
      <h3 className="need-card__title">
        {seenFrom === "need" ? (
          match.serviceTitle
        ) : (
          <Link className="need-card__link" to={`/needs/${match.needId}`}>
            {match.needTitle}
          </Link>
        )}
      </h3>
      <p className="need-card__meta">
        <span className="badge">{match.statusLabel}</span>
        <span className="badge">{match.proposedByLabel}</span>
        <span>{formatDate(match.createdAt)}</span>
      </p>
      <dl className="facts">
        <dt>{seenFrom === "need" ? "服务机构" : "承接服务"}</dt>
        <dd>{seenFrom === "need" ? match.providerName : match.serviceTitle}</dd>
        {match.note ? (
          <>
            <dt>备注</dt>
            <dd>{match.note}</dd>
          </>
        ) : null}
        {match.declineReason ? (
          <>
            <dt>婉拒原因</dt>
            <dd>{match.declineReason}</dd>
          </>
        ) : null}
        {match.decidedAt ? (
          <>
            <dt>回复时间</dt>
            <dd>{formatDate(match.decidedAt)}</dd>
          </>
        ) : null}
      </dl>
      {seenFrom === "provider" && pending ? <Reasons reasons={match.reasons} /> : null}
      {seenFrom === "provider" && pending && match.proposedBy === "PROVIDER" ? (
        <p className="need-card__note">等待社区工作人员确认。</p>
      ) : null}
      {actions.accept || actions.withdraw ? (
        <div className="actions">
          {actions.accept ? <IntentButton intent="accept" matchId={match.id} label="接受" primary /> : null}
          {actions.withdraw ? <IntentButton intent="withdraw" matchId={match.id} label="撤回" /> : null}
        </div>
      ) : null}
      {actions.decline ? (
        <details open={Boolean(declineErrors)}>
          <summary>婉拒</summary>
          <Form method="post">
            <input type="hidden" name="intent" value="decline" />
            <input type="hidden" name="matchId" value={match.id} />
            <TextAreaField
              name="reason"
              idPrefix={`decline-${match.id}-`}
              label="婉拒原因（选填）"
              hint="如：本周人手已满、不在服务时间（对方可以看到）"
              maxLength={300}
              rows={2}
              errors={declineErrors}
            />
            <button type="submit" className="button button--danger">
              确认婉拒
            </button>
          </Form>
        </details>
      ) : null}
    </li>
  );
}
