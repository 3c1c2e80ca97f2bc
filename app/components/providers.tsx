import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { BackLink } from "~/components/back-link";
import { ROLE_LABELS } from "~/domain/accounts/actor";
import { PROVIDER_KIND_LABELS } from "~/domain/catalog/categories";
import {
  PROVIDER_STATUS_LABELS,
  type ProviderDetail,
  type ProviderHistoryEntry,
  type ProviderStatusCode,
  type ProviderSummary,
} from "~/domain/providers/providers.schema";
import { formatTime } from "~/lib/format";

// UI of providers: badges, headings and fact lines, the card of the lists, the review history and a
// change waiting for review, and labels. The application form is provider-application-form.tsx.

export function KindBadge({ kind }: { kind: ProviderSummary["kind"] }) {
  return <span className={`badge badge--kind-${kind.toLowerCase()}`}>{PROVIDER_KIND_LABELS[kind]}</span>;
}

/** The business's public phone (ADR 0030) as a tap-to-call fact line; nothing when it gave none. */
export function BusinessPhoneFact({ phone }: { phone: string | null }) {
  if (!phone) return null;
  return (
    <>
      <dt>服务电话</dt>
      <dd>
        <a className="call-link" href={`tel:${phone}`}>
          {phone}
        </a>
        <small>（点击拨打）</small>
      </dd>
    </>
  );
}

/** The registration and contact lines of a provider: the business phone in full, the contact
 * person's phone masked to outsiders. */
export function ProviderContactFacts({
  provider,
}: {
  provider: Pick<
    ProviderDetail,
    "uscc" | "contactName" | "contactPhoneMasked" | "businessPhone" | "address"
  > & {
    contactPhone?: string | null;
  };
}) {
  return (
    <>
      <dt>统一社会信用代码</dt>
      <dd>{provider.uscc}</dd>
      <BusinessPhoneFact phone={provider.businessPhone} />
      <dt>联系人</dt>
      <dd>{provider.contactName}</dd>
      <dt>联系电话</dt>
      <dd>{provider.contactPhone ?? provider.contactPhoneMasked}</dd>
      <dt>地址</dt>
      <dd>{provider.address}</dd>
    </>
  );
}

/** A provider page's top: the way back, the name, its kind and review state. */
export function ProviderHeading({
  provider,
  back,
}: {
  provider: Pick<ProviderDetail, "name" | "kind" | "status">;
  back: { to: string; label: string };
}) {
  return (
    <>
      <BackLink to={back.to} label={back.label} />
      <h1>{provider.name}</h1>
      <p>
        <KindBadge kind={provider.kind} />
        <ProviderStatusBadge status={provider.status} />
      </p>
    </>
  );
}

export function ProviderStatusBadge({ status }: { status: ProviderStatusCode }) {
  return (
    <span className={`badge badge--provider-${status.toLowerCase()}`}>{PROVIDER_STATUS_LABELS[status]}</span>
  );
}

/** The communities served, one line per subdistrict: "东湖街道：映月社区、桃源社区". */
export function ServedCommunities({ communities }: { communities: ProviderSummary["communities"] }) {
  const subdistricts = [...new Set(communities.map((c) => c.subdistrictId))];
  return (
    <ul className="served-list">
      {subdistricts.map((subdistrictId) => {
        const inIt = communities.filter((c) => c.subdistrictId === subdistrictId);
        return (
          <li key={subdistrictId}>
            <strong>{inIt[0]?.subdistrictName}</strong>：{inIt.map((c) => c.name).join("、")}
          </li>
        );
      })}
    </ul>
  );
}

const REASON_LABELS: Partial<Record<ProviderStatusCode, string>> = {
  REJECTED: "未通过原因",
  SUSPENDED: "暂停原因",
  // A re-submitted application still carries the reason it was turned down for.
  PENDING: "上次未通过原因",
};

/** The reviewer's reason for a rejection or suspension, as the applicant and reviewers see it. */
export function StatusReason({ status, reason }: { status: ProviderStatusCode; reason: string | null }) {
  const label = REASON_LABELS[status];
  return label && reason ? (
    <p className="provider-reason">
      <strong>{label}：</strong>
      {reason}
    </p>
  ) : null;
}

/** One provider in a list: name (linked), kind, status when asked, communities served. */
export function ProviderCard({
  provider,
  href,
  showStatus = false,
  children,
}: {
  provider: ProviderSummary;
  href: string;
  showStatus?: boolean;
  children?: ReactNode;
}) {
  return (
    <li>
      <article className="card provider-card" aria-labelledby={`p-${provider.id}`}>
        <h2 id={`p-${provider.id}`}>
          <Link className="provider-card__link" to={href}>
            {provider.name}
          </Link>
        </h2>
        <p>
          <KindBadge kind={provider.kind} />
          {showStatus ? <ProviderStatusBadge status={provider.status} /> : null}
        </p>
        <ServedCommunities communities={provider.communities} />
        {children}
      </article>
    </li>
  );
}

export const MEMBER_ROLE_LABELS = { OWNER: "负责人", MEMBER: "成员" } as const;

const ACTION_LABELS: Record<string, string> = {
  "provider.apply": "提交入驻申请",
  "provider.update": "修改机构资料",
  "provider.reapply": "修改后重新提交",
  "provider.approve": "审核通过",
  "provider.reject": "审核不通过",
  "provider.suspend": "暂停服务",
  "provider.restore": "恢复服务",
  "provider.member.add": "添加成员",
  "provider.member.invite": "邀请成员",
  "provider.member.join": "成员接受邀请加入",
  "provider.member.leave": "成员退出",
  "provider.member.remove": "移除成员",
  "provider.change.request": "申请变更名称、信用代码、类型或服务社区",
  "provider.change.approve": "变更审核通过",
  "provider.change.reject": "变更审核不通过",
};
const ACTOR_LABELS: Record<string, string> = { ...ROLE_LABELS, OWNER: "机构负责人" };

/** A provider's audit history as the pages show it (times formatted by the loader, so the server's
 * and the browser's rendering agree). */
export const historyRows = (entries: ProviderHistoryEntry[]): ProviderHistoryEntry[] =>
  entries.map((entry) => ({ ...entry, at: formatTime(entry.at) }));

export function ProviderHistory({ rows }: { rows: ProviderHistoryEntry[] }) {
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">处理记录</h2>
      {rows.length === 0 ? (
        <p>暂无记录。</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">时间</th>
              <th scope="col">操作</th>
              <th scope="col">操作人身份</th>
              <th scope="col">结果</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>{row.at}</td>
                <td>{ACTION_LABELS[row.action] ?? row.action}</td>
                <td>
                  {row.role ? (ACTOR_LABELS[row.role] ?? row.role) : "—"}
                  {row.conflictOfInterest ? "（本人是该机构成员，已记录）" : null}
                </td>
                <td>{row.to ? PROVIDER_STATUS_LABELS[row.to] : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const communityList = (communities: { name: string; subdistrictName: string }[]) =>
  communities.map((community) => `${community.subdistrictName} · ${community.name}`).join("、");

/** An approved provider's change waiting for review: what would change, as its people and the
 * reviewing staff see it (ADR 0017). */
export function PendingChangeCard({
  change,
  submittedText,
  children,
}: {
  change: NonNullable<ProviderDetail["pendingChange"]>;
  /** When it was submitted, formatted by the loader. */
  submittedText: string;
  children?: ReactNode;
}) {
  return (
    <section className="card" aria-labelledby="pending-change-title">
      <h2 id="pending-change-title">待审核的变更</h2>
      <p>提交于 {submittedText}。审核通过前，机构仍按原名称、原服务社区提供服务。</p>
      <dl className="facts">
        {change.name !== undefined ? (
          <>
            <dt>新名称</dt>
            <dd>{change.name}</dd>
          </>
        ) : null}
        {change.uscc !== undefined ? (
          <>
            <dt>新统一社会信用代码</dt>
            <dd>{change.uscc}</dd>
          </>
        ) : null}
        {change.kind !== undefined ? (
          <>
            <dt>新机构类型</dt>
            <dd>{PROVIDER_KIND_LABELS[change.kind]}</dd>
          </>
        ) : null}
        {change.addedCommunities?.length ? (
          <>
            <dt>新增服务社区</dt>
            <dd>{communityList(change.addedCommunities)}</dd>
          </>
        ) : null}
        {change.removedCommunities?.length ? (
          <>
            <dt>不再服务的社区</dt>
            <dd>{communityList(change.removedCommunities)}</dd>
          </>
        ) : null}
      </dl>
      {children}
    </section>
  );
}
