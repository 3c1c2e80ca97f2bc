import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { FormMessage, IntentButton } from "~/components/form";
import { outboxHealth, retryAllDeadOutboxRows, retryDeadOutboxRow } from "~/domain/outbox.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import { formatTime } from "~/lib/format";
import { z } from "~/lib/zod";

// 索引同步队列, for district admins: how many outbox rows wait for the relay, and the rows that failed
// every attempt (DEAD), which an administrator puts back in the queue once the cause is fixed.

export const meta: MetaFunction = () => [{ title: "索引同步队列 · 工作台" }];

/** What each kind of row is for, in words an administrator reads at a glance. */
const TOPIC_LABELS: Record<string, string> = {
  "provider.changed": "机构资料变更，更新搜索",
  "service.changed": "服务变更，更新搜索",
  "need.changed": "需求变更，更新搜索",
  "activity.changed": "活动变更，更新搜索",
  "need.posted": "新需求，通知社区工作人员",
};
const AGGREGATE_LABELS: Record<string, string> = {
  Provider: "机构",
  Service: "服务",
  Need: "需求",
  Activity: "活动",
};

/** Row ids are bigints; 18 digits stay within PostgreSQL's bigint, so a forged id never reaches it
 * as an out-of-range number. */
const retrySchema = z.object({
  rowId: z
    .string({ error: "请选择要重试的记录" })
    .trim()
    .regex(/^\d{1,18}$/, "记录编号不正确"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const { pending, dead } = await outboxHealth(actor);
    return {
      pending,
      dead: dead.map((row) => ({
        // Strings, not bigints and dates: what a hidden form field and the page show.
        id: String(row.id),
        topic: row.topic,
        topicLabel: TOPIC_LABELS[row.topic] ?? row.topic,
        aggregate: `${AGGREGATE_LABELS[row.aggregateType] ?? row.aggregateType} ${row.aggregateId}`,
        attempts: row.attempts,
        lastError: row.lastError,
        createdAt: formatTime(row.createdAt),
      })),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  return runIntent(request, {
    retry: async (form) => {
      const { rowId } = parseInput(retrySchema, form);
      await retryDeadOutboxRow(actor, BigInt(rowId));
      return "已重新放回队列，稍后会自动处理。";
    },
    retryAll: async () => {
      const count = await retryAllDeadOutboxRows(actor);
      return count === 0 ? "没有需要重试的记录。" : `已将 ${count} 条记录重新放回队列，稍后会自动处理。`;
    },
  });
}

export default function OutboxPage() {
  const { pending, dead } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  return (
    <>
      <BackLink to="/workbench" label="返回工作台" />
      <h1>索引同步队列</h1>
      <p className="lead">
        平台上的每次修改都先记在这里，再由后台同步到搜索、发出通知。多次失败的记录需要管理员查明原因后重试。
      </p>
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      <FormMessage message={failed?.formError ?? null} />
      <ul className="figures">
        <li>
          <span className="figure__value">{pending}</span>
          <span className="figure__label">条等待同步</span>
        </li>
        <li>
          <span className="figure__value">{dead.length}</span>
          <span className="figure__label">
            条多次失败{dead.length >= 100 ? "（只显示最近 100 条）" : null}
          </span>
        </li>
      </ul>
      <section aria-labelledby="dead-title">
        <h2 id="dead-title">失败的记录</h2>
        {dead.length === 0 ? (
          <p className="card">没有失败的记录。</p>
        ) : (
          <>
            <IntentButton intent="retryAll" primary>
              全部重试
            </IntentButton>
            <ul className="need-list">
              {dead.map((row) => (
                <li key={row.id} className="card need-card">
                  <h3 className="need-card__title">{row.topicLabel}</h3>
                  <dl className="facts">
                    <dt>类型</dt>
                    <dd>
                      <code>{row.topic}</code>
                    </dd>
                    <dt>对象</dt>
                    <dd>{row.aggregate}</dd>
                    <dt>尝试次数</dt>
                    <dd>{row.attempts}</dd>
                    <dt>最后的错误</dt>
                    <dd>{row.lastError ?? "未记录"}</dd>
                    <dt>记录时间</dt>
                    <dd>{row.createdAt}</dd>
                  </dl>
                  <IntentButton intent="retry" fields={{ rowId: row.id }}>
                    重试
                  </IntentButton>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
