import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { withCreatedText } from "~/components/needs";
import { ProjectCard, projectLinks } from "~/components/projects";
import { ProviderApplicationForm, providerFormValues } from "~/components/provider-application-form";
import {
  ProviderApplicationFacts,
  ProviderMatching,
  ProviderMembers,
  ProviderServiceLinks,
  ProviderStatusCard,
} from "~/components/provider-dashboard";
import { historyRows, PendingChangeCard, ProviderHeading, ProviderHistory } from "~/components/providers";
import { declineMatchSchema, proposeMatchSchema } from "~/domain/matching/matching.schema";
import { acceptMatch, declineMatch, proposeMatch, withdrawMatch } from "~/domain/matching/matching.server";
import { providerMatching } from "~/domain/matching/provider-matching.server";
import { listProjects } from "~/domain/projects/projects.server";
import { updateProvider } from "~/domain/providers/application.server";
import { inviteMember, listSentInvitations, removeMember } from "~/domain/providers/members.server";
import {
  addMemberSchema,
  applyProviderSchema,
  INVITATION_DAYS,
  providerInputFromForm,
} from "~/domain/providers/providers.schema";
import { getProviderWorkspace } from "~/domain/providers/queries.server";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import { formatTime } from "~/lib/format";

// A provider's dashboard for its owner and members: where the application stands, the reviewer's
// reason, the application to correct and re-apply (owner), and the members (owner manages them).
// Once approved, its 对接: invitations to answer, the record of the others, and open needs it could
// take on (主动接单).

/** The provider's 对接 (approved providers only), the needs' dates formatted here so the server's and
 * the browser's rendering agree. */
async function matchingWithDates(...args: Parameters<typeof providerMatching>) {
  const matching = await providerMatching(...args);
  return matching
    ? {
        ...matching,
        suggestions: matching.suggestions.map((suggestion) => ({
          ...suggestion,
          need: withCreatedText(suggestion.need),
        })),
      }
    : null;
}

// The project cards of 承接的政府购买服务项目 are styled by the projects stylesheet.
export const links = projectLinks;

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
      matching: await matchingWithDates(actor, workspace.provider),
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

export default function ProviderDashboardPage() {
  const { provider, history, can, tree, applied, matching, projects, sentInvitations, changeSubmittedText } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  const sentBy = (intent: string) => (failed?.values.intent === intent ? failed : undefined);
  const update = sentBy("update");
  const approved = provider.status === "APPROVED" && !provider.statusReason;
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
      {approved ? (
        <ProviderServiceLinks provider={provider} canManageServices={can.manageServices} />
      ) : (
        <ProviderStatusCard provider={provider} canManageServices={can.manageServices} withLinks />
      )}

      {provider.pendingChange ? (
        <PendingChangeCard change={provider.pendingChange} submittedText={changeSubmittedText} />
      ) : null}

      {matching ? (
        <ProviderMatching matching={matching} canOffer={can.manageServices} failed={failed} />
      ) : null}

      {approved ? (
        <ProviderStatusCard provider={provider} canManageServices={can.manageServices} withLinks={false} />
      ) : null}

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

      <ProviderMembers
        members={provider.members ?? []}
        can={can}
        sentInvitations={sentInvitations}
        sentInvite={sentBy("addMember")}
      />

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
        <ProviderApplicationFacts provider={provider} />
      )}

      <ProviderHistory rows={history} />
    </>
  );
}
