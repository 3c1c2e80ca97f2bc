import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ProjectEvidence } from "~/components/project-evidence";
import { StatsChart } from "~/components/stats-charts";
import { TableScroll } from "~/components/table-scroll";
import { evidenceOnPage } from "~/domain/projects/declarations.server";
import { evaluationsOf } from "~/domain/projects/evaluations.server";
import { monthlySeries } from "~/domain/projects/progress.server";
import { TARGET_KEYS, TARGET_LABELS, TARGET_UNITS } from "~/domain/projects/projects.schema";
import { getProject, loadProject, projectActions } from "~/domain/projects/projects.server";
import { getActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";
import { useRootData } from "~/root";
import statsStylesHref from "~/styles/stats.css";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.project.title ?? "项目"} · 政府购买服务 · 三社联动服务平台` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: statsStylesHref }];

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

const yuan = (fen: number) => `${(fen / 100).toLocaleString("zh-CN", { maximumFractionDigits: 2 })} 元`;
const shown = (value: number | null) => (value === null ? "—" : String(value));

export default function ProjectPage() {
  const { project, progress, months, actions, evaluations, evidence } = useLoaderData<typeof loader>();
  const elderMode = useRootData()?.elderMode ?? false;
  const targets = TARGET_KEYS.filter((key) => progress.target[key] !== null);
  return (
    <>
      <p>
        <Link to="/projects">← 政府购买服务项目</Link>
      </p>
      <h1>{project.title}</h1>
      <dl className="facts">
        <dt>购买方</dt>
        <dd>{project.purchaserName}</dd>
        <dt>承接机构</dt>
        <dd>
          <Link to={`/providers/${project.providerId}`}>{project.providerName}</Link>
        </dd>
        <dt>预算</dt>
        <dd>{yuan(project.budgetFen)}</dd>
        <dt>周期</dt>
        <dd>{`${project.startsOn} 至 ${project.endsOn}`}</dd>
        <dt>状态</dt>
        <dd>{project.statusLabel}</dd>
      </dl>
      {project.endReason ? <p>{`提前终止原因：${project.endReason}`}</p> : null}
      <p>{project.description}</p>

      <h2 id="progress-heading">目标进度</h2>
      <p>{`周期已过 ${Math.round(progress.elapsed * 100)}%。数字由平台根据活动签到、现场人数和办结的需求自动统计。`}</p>
      {targets.length === 0 ? <p>本项目没有设定目标。</p> : null}
      <ul className="progress-list" aria-labelledby="progress-heading">
        {targets.map((key) => {
          const target = progress.target[key] ?? 0;
          const actual = progress.actual[key];
          const onTrack = progress.onTrack[key];
          return (
            <li key={key}>
              <p>
                <strong>{TARGET_LABELS[key]}</strong>
                {`：实际 ${shown(actual)} / 目标 ${target} ${TARGET_UNITS[key]}`}
                {key === "averageRating" ? "" : `，按进度应达 ${shown(progress.expectedByNow[key])}`}
                {" · "}
                <span className={onTrack ? "status-on-track" : "status-behind"}>
                  {onTrack ? "进度正常" : "进度落后"}
                </span>
              </p>
              <meter
                min={0}
                max={target || 1}
                value={Math.min(actual ?? 0, target || 1)}
                aria-label={`${TARGET_LABELS[key]}完成情况`}
              />
            </li>
          );
        })}
      </ul>

      <h2 id="months-caption">月度数据</h2>
      {months.length === 0 ? (
        <p>还没有已结束并统计的活动。</p>
      ) : (
        <>
          <StatsChart
            elder={elderMode}
            kind="trend"
            label="每月受众人次和服务人数趋势图，具体数字见下表"
            rows={months.map((m) => ({ name: m.month, values: [m.personTimes, m.persons] }))}
            series={["受众人次", "服务人数"]}
          />
          <TableScroll labelledBy="months-caption">
            <table className="table stats-table">
              <thead>
                <tr>
                  <th scope="col">月份</th>
                  <th scope="col">活动场次</th>
                  <th scope="col">受众人次</th>
                  <th scope="col">服务人数</th>
                </tr>
              </thead>
              <tbody>
                {months.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{m.month}</th>
                    <td>{m.held}</td>
                    <td>{m.personTimes}</td>
                    <td>{m.persons}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}

      <ProjectEvidence projectId={project.id} counted={progress.actual} {...evidence} />

      {actions.viewPrivate ? (
        <>
          <h2>评估</h2>
          {evaluations.length === 0 ? <p>尚未评估。</p> : null}
          {evaluations.map((evaluation) => (
            <section key={evaluation.id} aria-label={evaluation.stageLabel}>
              <h3>{`${evaluation.stageLabel}：${evaluation.total} / ${evaluation.totalMax} 分`}</h3>
              <ul>
                {evaluation.scores.map((s) => (
                  <li key={s.indicator}>{`${s.indicator}：${s.score} / ${s.max}`}</li>
                ))}
              </ul>
              <p>{evaluation.comment}</p>
            </section>
          ))}
          <h2>结项报告</h2>
          <p>
            <a className="button" href={`/api/v1/projects/${project.id}/report?format=xlsx`} download>
              下载结项报告（XLSX）
            </a>
          </p>
        </>
      ) : null}
    </>
  );
}
