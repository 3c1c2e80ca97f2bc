import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage, TextAreaField } from "~/components/form";
import {
  historyRows,
  MEMBER_ROLE_LABELS,
  PendingChangeCard,
  ProviderContactFacts,
  ProviderHeading,
  ProviderHistory,
  ServedCommunities,
  StatusReason,
} from "~/components/providers";
import { categoryName, FUNDING_LABELS } from "~/domain/catalog/categories";
import { authorize } from "~/domain/policy";
import { reviewProviderSchema, suspendProviderSchema } from "~/domain/providers/providers.schema";
import { getProviderWorkspace } from "~/domain/providers/queries.server";
import {
  restoreProvider,
  reviewProvider,
  reviewProviderChange,
  suspendProvider,
} from "~/domain/providers/review.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import type { FieldErrors } from "~/lib/errors";
import { formatTime } from "~/lib/format";

// One application as the reviewer sees it: every field, the communities served, approve / reject
// with a reason, suspend / restore for admins, and the audit history.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.provider.name ?? "机构"} · 入驻审核 · 工作台` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    authorize(actor, "workbench.open", null);
    const workspace = await getProviderWorkspace(actor, params.id ?? "");
    const { provider } = workspace;
    return {
      ...workspace,
      history: historyRows(workspace.history),
      submittedText: formatTime(provider.submittedAt),
      reviewedText: provider.reviewedAt ? formatTime(provider.reviewedAt) : null,
      changeSubmittedText: provider.pendingChange ? formatTime(provider.pendingChange.submittedAt) : "",
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const id = params.id ?? "";
  return runIntent(request, {
    review: async (form) => {
      const values = parseInput(reviewProviderSchema, form);
      await reviewProvider(actor, id, values);
      return values.decision === "APPROVE" ? "已通过审核" : "已退回申请，申请人会看到您填写的原因";
    },
    suspend: async (form) => {
      await suspendProvider(actor, id, parseInput(suspendProviderSchema, form));
      return "已暂停该机构，居民暂时看不到它的服务";
    },
    restore: async () => {
      await restoreProvider(actor, id);
      return "已恢复该机构";
    },
    reviewChange: async (form) => {
      const values = parseInput(reviewProviderSchema, form);
      await reviewProviderChange(actor, id, values);
      return values.decision === "APPROVE"
        ? "变更已通过并生效"
        : "已退回变更，机构继续按原信息服务，负责人会收到您填写的原因";
    },
  });
}

/** The approve / reject-with-a-reason pair, for an application and for a pending change alike. */
function ReviewDecision(props: {
  intent: "review" | "reviewChange";
  approveNote: string;
  approveLabel: string;
  rejectLabel: string;
  reasonHint: string;
  idPrefix: string;
  sent?: { values: Record<string, string | undefined>; fieldErrors?: FieldErrors };
}) {
  return (
    <div className="columns">
      <Form method="post">
        <input type="hidden" name="intent" value={props.intent} />
        <input type="hidden" name="decision" value="APPROVE" />
        <p>{props.approveNote}</p>
        <button type="submit" className="button button--primary">
          {props.approveLabel}
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value={props.intent} />
        <input type="hidden" name="decision" value="REJECT" />
        <TextAreaField
          name="reason"
          idPrefix={props.idPrefix}
          label="不通过的原因"
          hint={props.reasonHint}
          maxLength={200}
          defaultValue={props.sent?.values.reason}
          errors={props.sent?.fieldErrors}
        />
        <button type="submit" className="button button--danger">
          {props.rejectLabel}
        </button>
      </Form>
    </div>
  );
}

export default function ReviewPage() {
  const { provider, history, can, conflictOfInterest, submittedText, reviewedText, changeSubmittedText } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  const sentBy = (intent: string) => (failed?.values.intent === intent ? failed : undefined);
  return (
    <>
      <ProviderHeading provider={provider} back={{ to: "/workbench/providers", label: "审核队列" }} />
      <FormMessage message={failed?.formError} />
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      <StatusReason status={provider.status} reason={provider.statusReason} />
      {conflictOfInterest ? (
        <p className="card">
          您是该机构的成员。社区工作者不能审核自己所在的机构；街道、区管理员可以处理，但处理记录会注明这一关系。
        </p>
      ) : null}

      <section className="card" aria-labelledby="application-title">
        <h2 id="application-title">申请资料</h2>
        <dl className="facts">
          <dt>机构名称</dt>
          <dd>{provider.name}</dd>
          <ProviderContactFacts provider={provider} />
          <dt>提交时间</dt>
          <dd>{submittedText}</dd>
          <dt>审核时间</dt>
          <dd>{reviewedText ?? "尚未审核"}</dd>
        </dl>
        <h3>机构简介</h3>
        <p className="provider-description">{provider.description}</p>
        <h3>服务社区（{provider.communities.length} 个）</h3>
        <ServedCommunities communities={provider.communities} />
        <h3>机构成员</h3>
        {provider.members?.length ? null : <p>暂无</p>}
        <ul className="plain-list">
          {(provider.members ?? []).map((member) => (
            <li key={member.userId}>
              {member.name}（{member.phoneMasked}）· {MEMBER_ROLE_LABELS[member.role]}
            </li>
          ))}
        </ul>
        <h3>已发布的服务</h3>
        {provider.services.length === 0 ? (
          <p>暂无</p>
        ) : (
          <ul className="plain-list">
            {provider.services.map((service) => (
              <li key={service.id}>
                <Link to={`/services/${service.id}`}>{service.title}</Link>（{categoryName(service.category)}{" "}
                · {FUNDING_LABELS[service.funding]}）
              </li>
            ))}
          </ul>
        )}
      </section>

      {provider.pendingChange ? (
        <PendingChangeCard change={provider.pendingChange} submittedText={changeSubmittedText}>
          {can.reviewChange ? (
            <ReviewDecision
              intent="reviewChange"
              approveNote="核对证照后通过，变更立即生效；新增的社区由该社区所在辖区的工作人员审核。"
              approveLabel="通过变更"
              rejectLabel="不通过变更"
              reasonHint="机构负责人会看到这段话；机构继续按原信息服务"
              idPrefix="reject-change-"
              sent={sentBy("reviewChange")}
            />
          ) : (
            <p>新增的服务社区须由其所在辖区的工作人员审核。</p>
          )}
        </PendingChangeCard>
      ) : null}

      {can.review && provider.status === "PENDING" ? (
        <section className="card" aria-labelledby="review-title">
          <h2 id="review-title">审核</h2>
          <ReviewDecision
            intent="review"
            approveNote="资料齐全、信用代码与证照一致的，可以通过。"
            approveLabel="通过"
            rejectLabel="不通过"
            reasonHint="申请人会看到这段话，请写清需要补充或更正什么"
            idPrefix="reject-"
            sent={sentBy("review")}
          />
        </section>
      ) : null}

      {can.suspend && provider.status === "APPROVED" ? (
        <section className="card" aria-labelledby="suspend-title">
          <h2 id="suspend-title">暂停服务</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="suspend" />
            <TextAreaField
              name="reason"
              idPrefix="suspend-"
              label="暂停的原因"
              hint="机构成员会看到这段话；暂停期间居民看不到该机构的服务"
              maxLength={200}
              defaultValue={sentBy("suspend")?.values.reason}
              errors={sentBy("suspend")?.fieldErrors}
            />
            <button type="submit" className="button button--danger">
              暂停
            </button>
          </Form>
        </section>
      ) : null}

      {can.suspend && provider.status === "SUSPENDED" ? (
        <section className="card" aria-labelledby="restore-title">
          <h2 id="restore-title">恢复服务</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="restore" />
            <button type="submit" className="button button--primary">
              恢复
            </button>
          </Form>
        </section>
      ) : null}

      <ProviderHistory rows={history} />
    </>
  );
}
