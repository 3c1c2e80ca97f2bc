import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { MEMBER_ROLE_LABELS, ProviderCard, StatusReason } from "~/components/providers";
import {
  answerCoOrganiserInvitation,
  listCoOrganiserInvitations,
} from "~/domain/activities/co-organisers.server";
import { PROVIDER_KIND_LABELS } from "~/domain/catalog/categories";
import { acceptInvitation, declineInvitation, listMyInvitations } from "~/domain/providers/members.server";
import { listMyProviders } from "~/domain/providers/queries.server";
import { requirePageActor } from "~/http/auth.server";
import { runIntent } from "~/http/route.server";
import { formatTime } from "~/lib/format";

// The providers the signed-in person belongs to, the invitations waiting for their answer (to join a
// provider, or for a provider they own to co-organise an activity), and their way out of a provider
// (on its page). Pages under /me/providers/… opt out of /me's layout (the `me_` prefix).

export const meta: MetaFunction = () => [{ title: "我的机构 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requirePageActor(request);
  const [providers, invitations, coOrganiserInvitations] = await Promise.all([
    listMyProviders(actor),
    listMyInvitations(actor),
    listCoOrganiserInvitations(actor),
  ]);
  return {
    providers,
    invitations: invitations.map((invitation) => ({
      ...invitation,
      expiresText: formatTime(invitation.expiresAt),
    })),
    coOrganiserInvitations: coOrganiserInvitations.map((invitation) => ({
      ...invitation,
      startsText: formatTime(invitation.startsAt),
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  return runIntent(request, {
    acceptInvitation: async (form) => {
      await acceptInvitation(actor, form.invitationId ?? "");
      return "已加入该机构。";
    },
    declineInvitation: async (form) => {
      await declineInvitation(actor, form.invitationId ?? "");
      return "已谢绝邀请，对方不会收到通知。";
    },
    acceptCoOrganiser: async (form) => {
      await answerCoOrganiserInvitation(actor, form.invitationId ?? "", true);
      return "已同意共同组织该活动。";
    },
    declineCoOrganiser: async (form) => {
      await answerCoOrganiserInvitation(actor, form.invitationId ?? "", false);
      return "已谢绝共同组织该活动。";
    },
  });
}

/** Accept and decline for one invitation: two small forms, so it works without JavaScript. */
function Answer({ intent, invitationId, label }: { intent: string; invitationId: string; label: string }) {
  return (
    <div className="actions">
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value={`accept${intent}`} />
        <input type="hidden" name="invitationId" value={invitationId} />
        <button type="submit" className="button button--primary" aria-label={`接受：${label}`}>
          接受
        </button>
      </Form>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value={`decline${intent}`} />
        <input type="hidden" name="invitationId" value={invitationId} />
        <button type="submit" className="button" aria-label={`谢绝：${label}`}>
          谢绝
        </button>
      </Form>
    </div>
  );
}

export default function MyProvidersPage() {
  const { providers, invitations, coOrganiserInvitations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>我的机构</h1>
      <FormMessage message={result && !result.ok ? result.formError : null} />
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      <FormMessage tone="success" message={params.has("left") ? "您已退出该机构。" : null} />
      {invitations.length > 0 ? (
        <section className="card" aria-labelledby="invitations-title">
          <h2 id="invitations-title">邀请您加入的机构</h2>
          <p>加入后，您可以代表该机构管理服务、接单和组织活动。是否加入由您决定，加入后也可以随时退出。</p>
          <ul className="plain-list">
            {invitations.map((invitation) => (
              <li key={invitation.id}>
                <p>
                  <strong>{invitation.providerName}</strong>（{PROVIDER_KIND_LABELS[invitation.providerKind]}
                  ） · 有效期至 {invitation.expiresText}
                </p>
                <Answer intent="Invitation" invitationId={invitation.id} label={invitation.providerName} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {coOrganiserInvitations.length > 0 ? (
        <section className="card" aria-labelledby="co-organiser-title">
          <h2 id="co-organiser-title">邀请共同组织的活动</h2>
          <ul className="plain-list">
            {coOrganiserInvitations.map((invitation) => (
              <li key={invitation.id}>
                <p>
                  <Link to={`/activities/${invitation.activityId}`}>{invitation.activityTitle}</Link>（
                  {invitation.startsText}）邀请“{invitation.providerName}”共同组织
                </p>
                <Answer intent="CoOrganiser" invitationId={invitation.id} label={invitation.activityTitle} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {providers.length === 0 ? (
        <p className="card empty-state">您还没有加入任何社会组织或商家。</p>
      ) : (
        <ul className="provider-list">
          {providers.map((provider) => (
            <ProviderCard
              key={provider.id}
              provider={provider}
              href={`/me/providers/${provider.id}`}
              showStatus
            >
              <p>我的身份：{MEMBER_ROLE_LABELS[provider.myRole]}</p>
              <StatusReason status={provider.status} reason={provider.statusReason} />
              <Link className="button" to={`/me/providers/${provider.id}`}>
                进入机构管理
              </Link>
            </ProviderCard>
          ))}
        </ul>
      )}
      <p>
        <Link className="button button--primary" to="/providers/apply">
          申请入驻新机构
        </Link>
      </p>
    </>
  );
}
