import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/back-link";
import { FormMessage, IntentButton } from "~/components/form";
import {
  queueHealth,
  retryAllQueueJobs,
  retryAllSchema,
  retryJobSchema,
  retryQueueJob,
} from "~/domain/queue-health.server";
import { requirePageActor } from "~/http/auth.server";
import { QUEUE_BOARD_PATH } from "~/http/queue-board.server";
import { pageData, parseInput, runIntent } from "~/http/route.server";
import { formatTime } from "~/lib/format";

// 队列状态 (#15 item 16), for district admins: the background queues in Chinese and China time, with
// a retry of failed jobs; the engineers' full board (bull-board) is one link away.

export const meta: MetaFunction = () => [{ title: "队列状态 · 工作台" }];

const COUNT_LABELS = [
  ["waiting", "等待"],
  ["active", "进行中"],
  ["completed", "已完成"],
  ["failed", "失败"],
  ["delayed", "延迟"],
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const queues = await queueHealth(actor);
    return {
      // From the loader: a server module's constant reads undefined in the browser.
      boardPath: QUEUE_BOARD_PATH,
      queues: queues.map((entry) => ({
        ...entry,
        failed: entry.failed.map((job) => ({
          ...job,
          failedAt: job.failedAt === null ? "未运行" : formatTime(new Date(job.failedAt)),
        })),
      })),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  return runIntent(request, {
    retry: async (form) => {
      const { queue, jobId } = parseInput(retryJobSchema, form);
      await retryQueueJob(actor, queue, jobId);
      return "已将任务重新放回队列，稍后会自动执行。";
    },
    retryAll: async (form) => {
      const { queue } = parseInput(retryAllSchema, form);
      const count = await retryAllQueueJobs(actor, queue);
      return count === 0 ? "没有需要重试的任务。" : `已将 ${count} 个任务重新放回队列，稍后会自动执行。`;
    },
  });
}

export default function QueuesPage() {
  const { boardPath, queues } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failed = result && !result.ok ? result : undefined;
  return (
    <>
      <BackLink to="/workbench" label="返回工作台" />
      <h1>队列状态</h1>
      <p className="lead">
        平台在后台按队列执行的任务：推荐服务、活动开始和结束、提醒、统计。失败的任务查明原因后可以重试。
        {/* The board is served by the express server, not a Remix route: a full page load. */}
        <a href={boardPath}>工程师视图</a>
      </p>
      <FormMessage tone="success" message={result?.ok ? result.message : null} />
      <FormMessage message={failed?.formError ?? null} />
      {queues.map((queue) => (
        <section key={queue.name} aria-labelledby={`queue-${queue.name}`} className="card">
          <h2 id={`queue-${queue.name}`}>{queue.title}</h2>
          <p>{queue.text}</p>
          <ul className="figures">
            {COUNT_LABELS.map(([state, label]) => (
              <li key={state}>
                <span className="figure__value">{queue.counts[state]}</span>
                <span className="figure__label">{label}</span>
              </li>
            ))}
          </ul>
          <p>{queue.waited === null ? "没有等待中的任务。" : `最早的等待任务已等待 ${queue.waited}。`}</p>
          {queue.failed.length === 0 ? null : (
            <>
              <h3>
                失败的任务
                {queue.counts.failed > queue.failed.length
                  ? `（只显示最近 ${queue.failed.length} 个）`
                  : null}
              </h3>
              <IntentButton intent="retryAll" fields={{ queue: queue.name }} primary>
                全部重试
              </IntentButton>
              <ul className="need-list">
                {queue.failed.map((job) => (
                  <li key={job.id} className="card need-card">
                    <h4 className="need-card__title">{job.label}</h4>
                    <dl className="facts">
                      <dt>失败时间</dt>
                      <dd>{job.failedAt}</dd>
                      <dt>已尝试</dt>
                      <dd>{job.attemptsMade} 次</dd>
                      <dt>错误信息</dt>
                      <dd>{job.failedReason || "未记录"}</dd>
                    </dl>
                    <IntentButton intent="retry" fields={{ queue: queue.name, jobId: job.id }}>
                      重试
                    </IntentButton>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      ))}
    </>
  );
}
