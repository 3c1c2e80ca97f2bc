import type { NeedStatus, Urgency } from "@prisma/client";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { URGENCY_LABELS } from "~/domain/catalog/categories";
import { NEED_STATUS_LABELS } from "~/domain/needs/needs.schema";
import { formatDate } from "~/lib/format";

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
        <span>{need.communityName}</span> · <span>{need.createdText}提交</span>
      </p>
      {children}
    </li>
  );
}
