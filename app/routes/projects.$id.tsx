import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { MonthlyFigures } from "~/components/monthly-figures-table";
import { ProjectEvidence } from "~/components/project-evidence";
import { EvaluationList, ProgressList, ProjectFacts } from "~/components/projects";
import { evidenceOnPage } from "~/domain/projects/declarations.server";
import { evaluationsOf } from "~/domain/projects/evaluations.server";
import { monthlySeries } from "~/domain/projects/progress.server";
import { getProject, loadProject, projectActions } from "~/domain/projects/projects.server";
import { getActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";
import { useRootData } from "~/root";
import projectStylesHref from "~/styles/projects.css";
import statsStylesHref from "~/styles/stats.css";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.project.title ?? "项目"} · 政府购买服务 · 三社联动服务平台` },
];
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: statsStylesHref },
  { rel: "stylesheet", href: projectStylesHref },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await getActor(request);
    const id = params.id ?? "";
    const [{ project, progress }, row, months] = await Promise.all([
      getProject(actor, id),
      loadProject(id),
      monthlySeries(id),
    ]);
    const actions = projectActions(actor, row);
    // Evaluations are the purchaser's and the provider's business; the public sees the figures.
    const evaluations = actions.viewPrivate ? await evaluationsOf(id) : [];
    const evidence = await evidenceOnPage(actor, row);
    return { project, progress, months, actions, evaluations, evidence };
  });
}

const DONE_MESSAGES: Record<string, string> = {
  created: "项目已创建。",
  saved: "修改已保存。",
  unchanged: "没有修改任何内容。",
  ended: "项目已提前终止。",
  evaluated: "中期评估已提交。",
  completed: "结项评估已提交，项目已结项。",
};

export default function ProjectPage() {
  const { project, progress, months, actions, evaluations, evidence } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const done = DONE_MESSAGES[searchParams.get("done") ?? ""];
  const elderMode = useRootData()?.elderMode ?? false;
  return (
    <>
      <p>
        <Link to="/projects">← 政府购买服务项目</Link>
      </p>
      <h1>{project.title}</h1>
      {done ? <FormMessage message={done} tone="success" /> : null}
      <ProjectFacts project={project} />
      {project.endReason ? <p>{`提前终止原因：${project.endReason}`}</p> : null}
      <p>{project.description}</p>
      {actions.manage || actions.evaluate || actions.viewPrivate ? (
        <div className="project-actions">
          {actions.manage ? (
            <Link className="button" to={`/projects/${project.id}/edit`}>
              修改项目
            </Link>
          ) : null}
          {actions.evaluate ? (
            <Link className="button button--primary" to={`/projects/${project.id}/evaluations/new`}>
              评估项目
            </Link>
          ) : null}
          {actions.viewPrivate ? (
            <Link className="button" to={`/projects/${project.id}/report`}>
              结项报告
            </Link>
          ) : null}
          {actions.manage ? (
            <Link className="button button--danger" to={`/projects/${project.id}/end`}>
              提前终止
            </Link>
          ) : null}
        </div>
      ) : null}

      <h2 id="progress-heading">目标进度</h2>
      <p>{`周期已过 ${Math.round(progress.elapsed * 100)}%。数字由平台根据活动签到、现场人数和办结的需求自动统计。`}</p>
      <ProgressList progress={progress} labelledBy="progress-heading" />

      <h2 id="months-title">月度数据</h2>
      {months.length === 0 ? (
        <p>还没有已结束并统计的活动。</p>
      ) : (
        <MonthlyFigures
          elder={elderMode}
          charted={[1, 2]}
          captionId="months-caption"
          caption="逐月数据"
          columns={["活动场次", "受众人次", "服务人数"]}
          rows={months.map((m) => ({ month: m.month, values: [m.held, m.personTimes, m.persons] }))}
        />
      )}

      <ProjectEvidence projectId={project.id} counted={progress.actual} {...evidence} />

      {actions.viewPrivate ? (
        <>
          <h2>评估</h2>
          <EvaluationList evaluations={evaluations} />
          <h2>结项报告</h2>
          <p className="project-actions">
            <Link className="button" to={`/projects/${project.id}/report`}>
              查看和打印结项报告
            </Link>
            <a className="button" href={`/api/v1/projects/${project.id}/report?format=xlsx`} download>
              下载结项报告（XLSX）
            </a>
          </p>
        </>
      ) : null}
    </>
  );
}
