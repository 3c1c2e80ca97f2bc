import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, TextAreaField } from "~/components/form";
import { MatchCard, Reasons } from "~/components/matches";
import { NeedCard, withCreatedText } from "~/components/needs";
import { ProjectCard } from "~/components/projects";
import {
  historyRows,
  MEMBER_ROLE_LABELS,
  PendingChangeCard,
  ProviderApplicationForm,
  ProviderContactFacts,
  ProviderHeading,
  ProviderHistory,
  providerFormValues,
  ServedCommunities,
  StatusReason,
} from "~/components/providers";
import type { Actor } from "~/domain/accounts/actor";
import {
  declineMatchSchema,
  type NeedSuggestion,
  proposeMatchSchema,
} from "~/domain/matching/matching.schema";
import {
  acceptMatch,
  declineMatch,
  listMatches,
  proposeMatch,
  withdrawMatch,
} from "~/domain/matching/matching.server";
import { suggestNeedsForProvider } from "~/domain/matching/suggestions.server";
import { listProjects } from "~/domain/projects/projects.server";
import { updateProvider } from "~/domain/providers/application.server";
import { inviteMember, listSentInvitations, removeMember } from "~/domain/providers/members.server";
import {
  addMemberSchema,
  applyProviderSchema,
  INVITATION_DAYS,
  type ProviderStatusCode,
  providerInputFromForm,
} from "~/domain/providers/providers.schema";
import { getProviderWorkspace } from "~/domain/providers/queries.server";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import type { FieldErrors } from "~/lib/errors";
import { formatTime } from "~/lib/format";

// A provider's dashboard for its owner and members: where the application stands, the reviewer's
// reason, the application to correct and re-apply (owner), and the members (owner manages them).
// Once approved, its 对接: invitations to answer, the record of the others, and open needs it could
// take on (主动接单).

/** A short list of needs to offer for: the best few, so the page stays easy to read. */
const SUGGESTIONS_SHOWN = 5;

/** The matching sections, for an approved provider only: the others cannot take on needs yet. */
async function matchingOf(actor: Actor, providerId: string) {
  const [matches, suggestions] = await Promise.all([
    listMatches(actor, { providerId }),
    suggestNeedsForProvider(actor, providerId, SUGGESTIONS_SHOWN),
  ]);
  return {
    // Proposals still waiting for an answer come first, the settled ones are the record.
    waiting: matches.filter((match) => match.status === "PROPOSED"),
    settled: matches.filter((match) => match.status !== "PROPOSED"),
    suggestions: suggestions.map((suggestion) => ({ ...suggestion, need: withCreatedText(suggestion.need) })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.provider.name ?? "我的机构"} · 我的机构 · 三社联动服务平台` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const [workspace, tree] = await Promise.all([
      getProviderWorkspace(actor, params.id ?? ""),
      getTerritoryTree(),
    ]);
    return {
      ...workspace,
      sentInvitations: workspace.can.edit
        ? (await listSentInvitations(actor, workspace.provider.id)).map((invitation) => ({
            ...invitation,
            expiresText: formatTime(invitation.expiresAt),
          }))
        : [],
      history: historyRows(workspace.history),
      // Times for people are formatted here, so the server's and the browser's rendering agree.
      changeSubmittedText: workspace.provider.pendingChange
        ? formatTime(workspace.provider.pendingChange.submittedAt)
        : "",
      tree,
      applied: new URL(request.url).searchParams.has("applied"),
      matching:
        workspace.provider.status === "APPROVED" ? await matchingOf(actor, workspace.provider.id) : null,
      projects: (await listProjects(actor, { providerId: workspace.provider.id, page: 1, pageSize: 50 }))
        .items,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const id = params.id ?? "";
  return runIntent(request, {
    update: async (form) => {
      const values = parseInput(applyProviderSchema, providerInputFromForm(form));
      const provider = await updateProvider(actor, id, values);
      if (provider.status === "PENDING") return "已保存并提交审核，请等待工作人员审核";
      return provider.pendingChange
        ? "修改已保存。名称、信用代码、类型或新增的服务社区须经工作人员审核，审核前仍按原信息服务"
        : "修改已保存";
    },
    addMember: async (form) => {
      const sent = await inviteMember(actor, id, parseInput(addMemberSchema, form));
      return `邀请已发出（${sent.phoneMasked}）。对方接受后才会成为成员，${INVITATION_DAYS}天内有效。`;
    },
    removeMember: async (form) => {
      await removeMember(actor, id, form.userId ?? "");
      return "已移除该成员";
    },
    leave: async () => {
      await removeMember(actor, id, actor.userId);
      throw redirect("/me/providers?left=1");
    },
    accept: async (form) => {
      await acceptMatch(actor, form.matchId ?? "");
      return "已接受对接。请点需求标题查看居民的联系方式，尽快与居民联系。";
    },
    decline: async (form) => {
      await declineMatch(actor, form.matchId ?? "", parseInput(declineMatchSchema, form));
      return "已婉拒，社区工作人员会收到通知。";
    },
    withdraw: async (form) => {
      await withdrawMatch(actor, form.matchId ?? "");
      return "已撤回接单。";
    },
    offer: async (form) => {
      await proposeMatch(actor, parseInput(proposeMatchSchema, form));
      return "已主动接单，等社区工作人员确认后会通知您。";
    },
  });
}

const STATUS_TEXT: Record<ProviderStatusCode, string> = {
  PENDING: "申请正在等待社区工作人员审核。审核前仍可修改下面的申请资料。",
  APPROVED:
    "已通过审核，居民可以在“组织”栏目看到本机构和已发布的服务。修改机构名称、信用代码、类型或增加服务社区，须经工作人员审核后生效。",
  REJECTED: "申请未通过审核。请按上面的原因修改申请资料，再点“修改后重新提交审核”。",
  SUSPENDED:
    "本机构已被暂停服务：居民暂时看不到本机构的服务，本机构也不能接单、管理活动或查看居民的联系方式；未回复的对接已撤回。如有疑问请联系街道或社区工作人员。",
};

/** An open need the provider could take on, with 主动接单 for its own people (staff who open the
 * dashboard recommend services from the need's page instead). */
function SuggestedNeed({
  suggestion,
  canOffer,
  errors,
}: {
  suggestion: NeedSuggestion & { need: { createdText: string } };
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

export default function ProviderDashboardPage() {
  const { provider, history, can, tree, applied, matching, projects, sentInvitations, changeSubmittedText } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  const sentBy = (intent: string) => (failed?.values.intent === intent ? failed : undefined);
  const update = sentBy("update");
  /** The field errors of the form about one match or need, when that is the one sent. */
  const errorsOf = (intent: string, key: string, id: string) => {
    const errors = sentBy(intent)?.values[key] === id ? sentBy(intent)?.fieldErrors : undefined;
    return errors && Object.keys(errors).length > 0 ? errors : undefined;
  };
  const approved = provider.status === "APPROVED" && !provider.statusReason;
  const serviceLinks = (
    <div className="actions">
      {can.manageServices ? (
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
  const statusCard = (
    <section className="card" aria-labelledby="status-title">
      <h2 id="status-title">审核状态</h2>
      <StatusReason status={provider.status} reason={provider.statusReason} />
      <p>{STATUS_TEXT[provider.status]}</p>
      {approved ? null : serviceLinks}
    </section>
  );
  return (
    <>
      <ProviderHeading provider={provider} back={{ to: "/me/providers", label: "我的机构" }} />
      {applied ? (
        <FormMessage tone="success" message="申请已提交！工作人员审核后，结果会显示在这里。" />
      ) : null}
      <FormMessage message={failed && !update ? failed.formError : null} />
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      {/* An approved provider's people come for the work (issue #15, item 4): the needs waiting for
          them come first, and the review status, which no longer changes, after them. */}
      {approved ? serviceLinks : statusCard}

      {provider.pendingChange ? (
        <PendingChangeCard change={provider.pendingChange} submittedText={changeSubmittedText} />
      ) : null}

      {matching ? (
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
                    declineErrors={errorsOf("decline", "matchId", match.id)}
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
                    canOffer={can.manageServices}
                    errors={errorsOf("offer", "needId", suggestion.need.id)}
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
      ) : null}

      {approved ? statusCard : null}

      {projects.length > 0 ? (
        <section aria-labelledby="projects-title">
          <h2 id="projects-title">承接的政府购买服务项目</h2>
          <p>在“新建活动”里选择项目，活动结束后自动计入项目进度。</p>
          <ul className="card-list">
            {projects.map((item) => (
              <ProjectCard key={item.project.id} item={item} headingLevel={3} />
            ))}
          </ul>
        </section>
      ) : null}

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
            {(provider.members ?? []).map((member) => (
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
              defaultValue={sentBy("addMember")?.values.phone}
              errors={sentBy("addMember")?.fieldErrors}
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

      {can.edit ? (
        <section aria-labelledby="application-title">
          <h2 id="application-title">申请资料</h2>
          <ProviderApplicationForm
            tree={tree}
            values={update?.values ?? providerFormValues(provider)}
            errors={update?.fieldErrors}
            formError={update?.formError}
            intent="update"
            submitLabel={provider.status === "REJECTED" ? "修改后重新提交审核" : "保存修改"}
          />
        </section>
      ) : (
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
      )}

      <ProviderHistory rows={history} />
    </>
  );
}
