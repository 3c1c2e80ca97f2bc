import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { BackLink } from "~/components/back-link";
import { Field, FormMessage, RadioGroup, TextAreaField } from "~/components/form";
import { ROLE_LABELS } from "~/domain/accounts/actor";
import { PROVIDER_KIND_LABELS } from "~/domain/catalog/categories";
import {
  PLACE_FIELD_PREFIX,
  PROVIDER_KINDS,
  PROVIDER_STATUS_LABELS,
  type ProviderDetail,
  type ProviderHistoryEntry,
  type ProviderStatusCode,
  type ProviderSummary,
} from "~/domain/providers/providers.schema";
import type { TerritoryTree } from "~/domain/territory/territory.schema";
import type { FieldErrors } from "~/lib/errors";
import { formatTime } from "~/lib/format";

// UI of provider onboarding (入驻): badges, the card of the lists, the application form with its
// service-area picker, and labels. The generic textarea, radio group and pager are the needs area's
// (components/needs.tsx).

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

/** The application's fields as the form sends them, for pre-filling it with a stored provider. */
export function providerFormValues(provider: ProviderDetail): Record<string, string> {
  const values: Record<string, string> = {
    kind: provider.kind,
    name: provider.name,
    uscc: provider.uscc,
    contactName: provider.contactName,
    contactPhone: provider.contactPhone ?? "",
    businessPhone: provider.businessPhone ?? "",
    address: provider.address,
    description: provider.description,
  };
  for (const community of provider.communities)
    values[`${PLACE_FIELD_PREFIX.community}${community.id}`] = "on";
  return values;
}

const KIND_HINTS = {
  SOCIAL_ORG: "社会团体、民办非企业单位、基金会等，信用代码一般以 5 开头",
  MERCHANT: "为居民提供服务的企业、个体工商户，信用代码一般以 9 开头",
} as const;

/** The guided application (4 steps on one page, works without JavaScript). Used to apply and, on the
 * dashboard, to correct and re-apply. */
export function ProviderApplicationForm({
  tree,
  values,
  errors,
  formError,
  intent,
  submitLabel,
}: {
  tree: TerritoryTree;
  /** What to show: the typed values of a rejected submission, or the stored application. */
  values: Record<string, string>;
  errors?: FieldErrors;
  formError?: string;
  /** Names the form on pages with several forms. */
  intent?: string;
  submitLabel: string;
}) {
  const placeError = errors?.communityIds ?? errors?.subdistrictIds;
  return (
    <Form method="post" noValidate className="application-form">
      <FormMessage message={formError} />
      {intent ? <input type="hidden" name="intent" value={intent} /> : null}

      <fieldset className="card step">
        <legend>
          <span className="step__number">1</span>机构信息
        </legend>
        <RadioGroup
          name="kind"
          legend="机构类型"
          options={PROVIDER_KINDS.map((kind) => ({
            value: kind,
            label: `${PROVIDER_KIND_LABELS[kind]}（${KIND_HINTS[kind]}）`,
          }))}
          defaultValue={values.kind}
          errors={errors}
        />
        <Field
          name="name"
          label="机构名称"
          hint="与营业执照或登记证书上的名称一致"
          maxLength={50}
          defaultValue={values.name}
          errors={errors}
          required
        />
        <Field
          name="uscc"
          label="统一社会信用代码"
          hint="18位，印在营业执照或登记证书上（一般在左上角或二维码旁）。小写字母、全角字符和空格会自动转换"
          maxLength={40}
          autoComplete="off"
          defaultValue={values.uscc}
          errors={errors}
          required
        />
      </fieldset>

      <fieldset className="card step">
        <legend>
          <span className="step__number">2</span>联系人
        </legend>
        <Field
          name="contactName"
          label="联系人姓名"
          maxLength={30}
          autoComplete="name"
          defaultValue={values.contactName}
          errors={errors}
          required
        />
        <Field
          name="contactPhone"
          label="联系电话"
          type="tel"
          inputMode="tel"
          maxLength={20}
          autoComplete="tel"
          hint="审核人员和本机构成员能看到完整号码，其他人只看到 138****1234"
          defaultValue={values.contactPhone}
          errors={errors}
          required
        />
        <Field
          name="businessPhone"
          label="对外服务电话（选填）"
          type="tel"
          inputMode="tel"
          maxLength={20}
          hint="此电话将公开显示，供居民联系：完整号码会出现在机构和服务页面上，居民可一键拨打。请填写店面或办公电话（手机或带区号的固定电话），不要填写个人私人号码"
          defaultValue={values.businessPhone}
          errors={errors}
        />
        <Field
          name="address"
          label="机构地址"
          hint="写到门牌号，如：幸福路12号3楼"
          maxLength={100}
          defaultValue={values.address}
          errors={errors}
          required
        />
      </fieldset>

      <fieldset
        className={placeError ? "card step field--invalid" : "card step"}
        aria-describedby={placeError ? "places-error" : "places-hint"}
      >
        <legend>
          <span className="step__number">3</span>服务范围
        </legend>
        <p className="field__hint" id="places-hint">
          选择机构服务的社区。服务整个街道的，勾选“整个街道”即可，以后新增的社区不会自动加入。
        </p>
        {placeError ? (
          <p className="field__error" id="places-error">
            {placeError}
          </p>
        ) : null}
        {tree.districts.flatMap((district) =>
          district.subdistricts.map((subdistrict) => (
            <fieldset key={subdistrict.id} className="choice-group place-group">
              <legend>
                {district.name} · {subdistrict.name}
              </legend>
              <label className="choice choice--whole">
                <input
                  type="checkbox"
                  name={`${PLACE_FIELD_PREFIX.subdistrict}${subdistrict.id}`}
                  defaultChecked={values[`${PLACE_FIELD_PREFIX.subdistrict}${subdistrict.id}`] !== undefined}
                />
                整个{subdistrict.name}（全部 {subdistrict.communities.length} 个社区）
              </label>
              <div className="place-group__communities">
                {subdistrict.communities.map((community) => (
                  <label key={community.id} className="choice">
                    <input
                      type="checkbox"
                      name={`${PLACE_FIELD_PREFIX.community}${community.id}`}
                      defaultChecked={values[`${PLACE_FIELD_PREFIX.community}${community.id}`] !== undefined}
                    />
                    {community.name}
                  </label>
                ))}
              </div>
            </fieldset>
          )),
        )}
      </fieldset>

      <fieldset className="card step">
        <legend>
          <span className="step__number">4</span>机构简介
        </legend>
        <TextAreaField
          name="description"
          label="机构简介"
          hint="介绍机构做什么、服务过哪些居民、有哪些专业人员，至少10个字"
          maxLength={1000}
          rows={6}
          defaultValue={values.description}
          errors={errors}
        />
      </fieldset>

      <button type="submit" className="button button--primary button--block">
        {submitLabel}
      </button>
    </Form>
  );
}
