import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MonthlyFiguresTable } from "~/components/monthly-figures-table";
import { EvaluationList, yuanText } from "~/components/projects";
import { TableScroll } from "~/components/table-scroll";
import { TARGET_KEYS, TARGET_LABELS, TARGET_UNITS } from "~/domain/projects/projects.schema";
import { projectReport } from "~/domain/projects/report.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";
import projectStylesHref from "~/styles/projects.css";
import statsStylesHref from "~/styles/stats.css";

// The 结项报告 as a page to read and print (ADR 0026): the same report as the XLSX download and the
// same authorization (staff in the purchaser's scope and the provider's people). Figures only.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.project.title ?? "项目"} 结项报告 · 三社联动服务平台` },
];
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: statsStylesHref },
  { rel: "stylesheet", href: projectStylesHref },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => projectReport(await requirePageActor(request), params.id ?? ""));
}

export default function ProjectReportPage() {
  const { project, progress, paragraph, activities, months, evaluations } = useLoaderData<typeof loader>();
  const targets = TARGET_KEYS.filter((key) => progress.target[key] !== null);
  return (
    <article className="report" aria-labelledby="report-title">
      <p className="no-print">
        <Link to={`/projects/${project.id}`}>← 返回项目</Link>
      </p>
      <h1 id="report-title">{`${project.title} 结项报告`}</h1>
      <div className="project-actions no-print">
        <a className="button" href={`/api/v1/projects/${project.id}/report?format=xlsx`} download>
          下载结项报告（XLSX）
        </a>
      </div>
      <p className="aside-text no-print">
        要打印或存为 PDF，请用浏览器菜单里的“打印”，页面会只打印报告本身。
      </p>
      <dl className="facts">
        <dt>购买方</dt>
        <dd>{project.purchaserName}</dd>
        <dt>承接机构</dt>
        <dd>{project.providerName}</dd>
        <dt>预算</dt>
        <dd>{yuanText(project.budgetFen)}</dd>
        <dt>周期</dt>
        <dd>{`${project.startsOn} 至 ${project.endsOn}`}</dd>
        <dt>状态</dt>
        <dd>{project.statusLabel}</dd>
      </dl>

      <section aria-labelledby="summary-title">
        <h2 id="summary-title">总体情况</h2>
        <p className="report-paragraph">{paragraph}</p>
      </section>

      <section aria-labelledby="targets-caption-title">
        <h2 id="targets-caption-title">目标完成情况</h2>
        {targets.length === 0 ? (
          <p>本项目没有设定目标。</p>
        ) : (
          <TableScroll labelledBy="targets-caption">
            <table className="table stats-table">
              <caption id="targets-caption">目标与实际</caption>
              <thead>
                <tr>
                  <th scope="col">指标</th>
                  <th scope="col">目标</th>
                  <th scope="col">实际</th>
                  <th scope="col">按进度应达</th>
                  <th scope="col">是否达标</th>
                </tr>
              </thead>
              <tbody>
                {targets.map((key) => (
                  <tr key={key}>
                    <th scope="row">{`${TARGET_LABELS[key]}（${TARGET_UNITS[key]}）`}</th>
                    <td>{progress.target[key]}</td>
                    <td>{progress.actual[key] ?? "—"}</td>
                    <td>{progress.expectedByNow[key] ?? "—"}</td>
                    <td>{progress.onTrack[key] ? "是" : "否"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <p>
          {progress.actual.averageRating === null
            ? "通过本项目服务办结的需求还没有居民评分。"
            : `居民评分：平均 ${progress.actual.averageRating.toFixed(2)} 分（满分5分），办结需求 ${progress.actual.needsFulfilled ?? 0} 件。`}
        </p>
      </section>

      <section aria-labelledby="activities-caption-title">
        <h2 id="activities-caption-title">活动明细</h2>
        {activities.length === 0 ? (
          <p>还没有已结束并统计的活动。</p>
        ) : (
          <TableScroll labelledBy="activities-caption">
            <table className="table stats-table">
              <caption id="activities-caption">{`共 ${activities.length} 场活动`}</caption>
              <thead>
                <tr>
                  <th scope="col">日期</th>
                  <th scope="col">活动</th>
                  <th scope="col">地点</th>
                  <th scope="col">报名</th>
                  <th scope="col">签到</th>
                  <th scope="col">现场加入</th>
                  <th scope="col">受众人次</th>
                </tr>
              </thead>
              <tbody>
                {activities.map((activity) => (
                  <tr key={activity.id}>
                    <td>{activity.date}</td>
                    <th scope="row">{activity.title}</th>
                    <td>{activity.place}</td>
                    <td>{activity.registered}</td>
                    <td>{activity.checkedIn}</td>
                    <td>{activity.walkIns}</td>
                    <td>{activity.personTimes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </section>

      <section aria-labelledby="report-months-title">
        <h2 id="report-months-title">月度数据</h2>
        {months.length === 0 ? (
          <p>还没有月度数据。</p>
        ) : (
          <MonthlyFiguresTable
            captionId="report-months-caption"
            caption="逐月数据"
            columns={["活动场次", "受众人次", "服务人数"]}
            rows={months.map((m) => ({ month: m.month, values: [m.held, m.personTimes, m.persons] }))}
          />
        )}
      </section>

      <section aria-labelledby="report-evaluations-title">
        <h2 id="report-evaluations-title">评估</h2>
        <EvaluationList evaluations={evaluations} />
      </section>
    </article>
  );
}
