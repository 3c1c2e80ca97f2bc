import type { NeedStatus, Urgency } from "@prisma/client";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { URGENCY_LABELS } from "~/domain/catalog/categories";
import { NEED_STATUS_LABELS, type NeedStory } from "~/domain/needs/needs.schema";
import { formatDate, formatTime } from "~/lib/format";

// UI pieces of the needs pages (居民需求): badges and the need card of the lists.

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  return <span className={`badge badge--urgency-${urgency.toLowerCase()}`}>{URGENCY_LABELS[urgency]}</span>;
}

export function StatusBadge({ status }: { status: NeedStatus }) {
  return <span className={`badge badge--status-${status.toLowerCase()}`}>{NEED_STATUS_LABELS[status]}</span>;
}

/** A need with its posting date as the cards show it: for loaders, so the server's and the browser's
 * rendering agree. */
export const withCreatedText = <N extends { createdAt: string }>(need: N) => ({
  ...need,
  createdText: formatDate(need.createdAt),
});

/** One need in a list: what it is, where, how urgent, when; `children` adds what the viewer may see. */
export function NeedCard({
  need,
  children,
}: {
  need: {
    id: string;
    /** XQ-2026-000123: what the resident and staff quote on the phone. */
    caseNumber: string;
    title: string;
    categoryName: string;
    communityName: string;
    urgency: Urgency;
    /** When it was posted, formatted by the loader (withCreatedText). */
    createdText: string;
    status?: NeedStatus;
  };
  children?: ReactNode;
}) {
  return (
    <li className={need.urgency === "HIGH" ? "card need-card need-card--urgent" : "card need-card"}>
      <h3 className="need-card__title">
        <Link className="need-card__link" to={`/needs/${need.id}`}>
          {need.title}
        </Link>
      </h3>
      <p className="need-card__meta">
        {need.status ? <StatusBadge status={need.status} /> : null}
        <UrgencyBadge urgency={need.urgency} />
        <span className="badge">{need.categoryName}</span>
        <span>{need.communityName}</span> · <span>{need.createdText}提交</span> ·{" "}
        <span className="unbroken">编号 {need.caseNumber}</span>
      </p>
      {children}
    </li>
  );
}

const STORY_STATE_TEXT = { done: "已完成", current: "进行中", todo: "未开始" } as const;

/** A need's story as a timeline (已提交 → 社区已受理 → 已对接 → 已安排 → 待评价): each step says
 * whether it happened, when, and what she needs to know (机构, 联系电话, 活动, 时间, 地点). */
export function NeedStoryTimeline({ story }: { story: NeedStory }) {
  return (
    <section className="card" aria-labelledby="story-title">
      <h2 id="story-title">需求进展</h2>
      <ol className="story">
        {story.steps.map((step) => (
          <li
            key={step.key}
            className={`story__step story__step--${step.state}`}
            aria-current={step.state === "current" ? "step" : undefined}
          >
            <p className="story__label">
              <strong>{step.label}</strong>
              <span className="visually-hidden">（{STORY_STATE_TEXT[step.state]}）</span>
              {step.at ? <time dateTime={step.at}>{formatTime(step.at)}</time> : null}
            </p>
            {step.details.length > 0 ? (
              <dl className="facts">
                {step.details.map((item) => (
                  <div key={item.label} className="facts__row">
                    <dt>{item.label}</dt>
                    <dd>{item.href ? <a href={item.href}>{item.value}</a> : item.value}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
