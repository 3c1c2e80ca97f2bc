import { Form, Link } from "@remix-run/react";
import { Field, TextAreaField } from "~/components/form";
import { MatchCard, Reasons } from "~/components/matches";
import { NeedCard } from "~/components/needs";
import {
  MEMBER_ROLE_LABELS,
  ProviderContactFacts,
  ServedCommunities,
  StatusReason,
} from "~/components/providers";
import type { MatchView, NeedSuggestion } from "~/domain/matching/matching.schema";
import {
  INVITATION_DAYS,
  type ProviderDetail,
  type ProviderStatusCode,
} from "~/domain/providers/providers.schema";
import type { FieldErrors } from "~/lib/errors";

// The sections of a provider's dashboard for its owner and members (routes/me_.providers.$id._index.tsx):
// where the application stands, its 对接 once approved, the members, and the application as read.

/** A form of the dashboard that was sent and failed: what was typed, and what was wrong. */
type SentForm = { values: Record<string, string>; fieldErrors: FieldErrors };

const STATUS_TEXT: Record<ProviderStatusCode, string> = {
  PENDING: "申请正在等待社区工作人员审核。审核前仍可修改下面的申请资料。",
  APPROVED:
    "已通过审核，居民可以在“组织”栏目看到本机构和已发布的服务。修改机构名称、信用代码、类型或增加服务社区，须经工作人员审核后生效。",
  REJECTED: "申请未通过审核。请按上面的原因修改申请资料，再点“修改后重新提交审核”。",
  SUSPENDED:
    "本机构已被暂停服务：居民暂时看不到本机构的服务，本机构也不能接单、管理活动或查看居民的联系方式；未回复的对接已撤回。如有疑问请联系街道或社区工作人员。",
};

/** 管理服务项目 and 查看公开页面. */
export function ProviderServiceLinks({
  provider,
  canManageServices,
}: {
  provider: Pick<ProviderDetail, "id" | "status">;
  canManageServices: boolean;
}) {
  return (
    <div className="actions">
      {canManageServices ? (
        <Link className="button button--primary" to={`/me/providers/${provider.id}/services`}>
          管理服务项目
        </Link>
      ) : null}
      {provider.status === "APPROVED" ? (
        <Link className="button" to={`/providers/${provider.id}`}>
          查看公开页面
        </Link>
      ) : null}
    </div>
  );
}

/** 审核状态: the review state, the reviewer's reason, what it means, and (unless the links stand on
 * their own at the top) where to go next. */
export function ProviderStatusCard({
  provider,
  canManageServices,
  withLinks,
}: {
  provider: Pick<ProviderDetail, "id" | "status" | "statusReason">;
  canManageServices: boolean;
  withLinks: boolean;
}) {
  return (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">审核状态</h2>
      <StatusReason status={provider.status} reason={provider.statusReason} />
      <p>{STATUS_TEXT[provider.status]}</p>
      {withLinks ? <ProviderServiceLinks provider={provider} canManageServices={canManageServices} /> : null}
    </section>
  );
}

type Suggestion = NeedSuggestion & { need: { createdText: string } };

/** The field errors of the form about one match or need, when that is the one sent. */
function errorsOf(failed: SentForm | undefined, intent: string, key: string, id: string) {
  const sent = failed?.values.intent === intent && failed.values[key] === id ? failed : undefined;
  const errors = sent?.fieldErrors;
  return errors && Object.keys(errors).length > 0 ? errors : undefined;
}

/** An approved provider's 对接: invitations to answer, needs it could take on, and the record. */
export function ProviderMatching({
  matching,
  canOffer,
  failed,
}: {
  matching: { waiting: MatchView[]; settled: MatchView[]; suggestions: Suggestion[] };
  /** Whether the viewer may offer the provider's services (its own people; staff recommend
   * services from the need's page instead). */
  canOffer: boolean;
  failed: SentForm | undefined;
}) {
  return (
    <>
      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title">待回复的对接邀请</h2>
        {matching.waiting.length === 0 ? (
          <p className="card">现在没有待回复的对接邀请。</p>
        ) : (
          <ul className="need-list">
            {matching.waiting.map((match) => (
              <MatchCard
                seenFrom="provider"
                key={match.id}
                match={match}
                declineErrors={errorsOf(failed, "decline", "matchId", match.id)}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="suggested-title">
        <h2 id="suggested-title">适合本机构的需求</h2>
        {matching.suggestions.length === 0 ? (
          <p className="card">暂时没有适合本机构服务的需求。发布更多服务，能看到更多需求。</p>
        ) : (
          <ul className="need-list">
            {matching.suggestions.map((suggestion) => (
              <SuggestedNeed
                key={suggestion.need.id}
                suggestion={suggestion}
                canOffer={canOffer}
                errors={errorsOf(failed, "offer", "needId", suggestion.need.id)}
              />
            ))}
          </ul>
        )}
      </section>
      {matching.settled.length > 0 ? (
        <section aria-labelledby="matches-title">
          <h2 id="matches-title">对接记录</h2>
          <ul className="need-list">
            {matching.settled.map((match) => (
              <MatchCard seenFrom="provider" key={match.id} match={match} />
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

/** An open need the provider could take on, with 主动接单 for its own people. */
function SuggestedNeed({
  suggestion,
  canOffer,
  errors,
}: {
  suggestion: Suggestion;
  canOffer: boolean;
  errors?: FieldErrors;
}) {
  const { need, service } = suggestion;
  return (
    <NeedCard need={need}>
      <p className="need-card__note">可以用本机构的服务：{service.title}</p>
      <Reasons reasons={suggestion.reasons} />
      {suggestion.proposed ? (
        <p className="need-card__note">已在上面的“待回复的对接邀请”中。</p>
      ) : canOffer ? (
        <Form method="post">
          <input type="hidden" name="intent" value="offer" />
          <input type="hidden" name="needId" value={need.id} />
          {suggestion.offerable.length > 1 ? (
            <fieldset className="offer-services">
              <legend>用哪项服务接单</legend>
              {suggestion.offerable.map((offered) => (
                <label key={offered.id}>
                  <input
                    type="radio"
                    name="serviceId"
                    value={offered.id}
                    defaultChecked={offered.id === service.id}
                  />{" "}
                  {offered.title}
                </label>
              ))}
            </fieldset>
          ) : (
            <input type="hidden" name="serviceId" value={service.id} />
          )}
          <details open={Boolean(errors)}>
            <summary>给社区留句话（选填）</summary>
            <TextAreaField
              name="note"
              idPrefix={`offer-${need.id}-`}
              label="备注"
              hint="如：明天上午就可以上门"
              maxLength={500}
              rows={2}
              errors={errors}
            />
          </details>
          <button type="submit" className="button button--primary">
            主动接单
          </button>
        </Form>
      ) : null}
    </NeedCard>
  );
}

/** 机构成员: the members (the owner removes them), invitations waiting, inviting, and leaving. */
export function ProviderMembers({
  members,
  can,
  sentInvitations,
  sentInvite,
}: {
  members: NonNullable<ProviderDetail["members"]>;
  can: { edit: boolean; invite: boolean; leave: boolean };
  /** Invitations waiting for an answer, their expiry formatted by the loader. */
  sentInvitations: { id: string; phoneMasked: string; expiresText: string }[];
  /** The invitation form, when it was sent and failed. */
  sentInvite: SentForm | undefined;
}) {
  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">机构成员</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">姓名</th>
            <th scope="col">手机号</th>
            <th scope="col">身份</th>
            {can.edit ? <th scope="col">操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId}>
              <td>{member.name}</td>
              <td>{member.phoneMasked}</td>
              <td>{MEMBER_ROLE_LABELS[member.role]}</td>
              {can.edit ? (
                <td>
                  {member.role === "MEMBER" ? (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="removeMember" />
                      <input type="hidden" name="userId" value={member.userId} />
                      <button type="submit" className="button button--danger">
                        移除
                      </button>
                    </Form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {sentInvitations.length > 0 ? (
        <>
          <h3>已发出、等待对方回复的邀请</h3>
          <ul>
            {sentInvitations.map((invitation) => (
              <li key={invitation.id}>
                {invitation.phoneMasked}，有效期至 {invitation.expiresText}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {can.invite ? (
        <Form method="post" className="inline-fields add-member">
          <input type="hidden" name="intent" value="addMember" />
          <Field
            name="phone"
            idPrefix="member-"
            label="邀请成员（对方的手机号）"
            type="tel"
            inputMode="tel"
            maxLength={20}
            hint={`对方在 我的 → 我的机构 中接受后才成为成员（${INVITATION_DAYS}天内有效）；尚未注册的，注册后即可看到。成员可以管理本机构的服务项目`}
            defaultValue={sentInvite?.values.phone}
            errors={sentInvite?.fieldErrors}
          />
          <button type="submit" className="button">
            发送邀请
          </button>
        </Form>
      ) : can.edit ? (
        <p className="form-hint">机构通过审核后，才能邀请成员。</p>
      ) : null}
      {can.leave ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="leave" />
          <button type="submit" className="button button--danger">
            退出本机构
          </button>
        </Form>
      ) : null}
    </section>
  );
}

/** 申请资料 as a member who may not edit it reads it. */
export function ProviderApplicationFacts({ provider }: { provider: ProviderDetail }) {
  return (
    <section className="card" aria-labelledby="application-title">
      <h2 id="application-title">申请资料</h2>
      <dl className="facts">
        <ProviderContactFacts provider={provider} />
      </dl>
      <h3>服务社区</h3>
      <ServedCommunities communities={provider.communities} />
      <h3>机构简介</h3>
      <p className="provider-description">{provider.description}</p>
    </section>
  );
}
