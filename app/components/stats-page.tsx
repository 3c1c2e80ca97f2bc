import { Link, useLocation } from "@remix-run/react";
import { type ReactNode, useEffect, useId, useState } from "react";
import { MonthlyFigures } from "~/components/monthly-figures-table";
import { StatsChart } from "~/components/stats-charts";
import { TableScroll } from "~/components/table-scroll";
import type { PeriodChoice } from "~/domain/stats/periods";
import { groupedNumber, percent, periodText, reportNumber, reportYuan } from "~/domain/stats/report";
import type { Stats, StatsScope } from "~/domain/stats/stats.schema";

// The 统计 page's parts below its pickers: the figures, charts, tables, report and downloads, and the
// addresses of the page and its exports for a territory and period.

export const PERIOD_LABELS: Record<PeriodChoice, string> = {
  month: "本月",
  year: "今年",
  lastYear: "去年",
  custom: "自定义",
};

export type PeriodState = { period: PeriodChoice; from: string; to: string };

/** An address of this page for a territory and period. */
export function statsHref(
  territory: { scope: StatsScope; id: string },
  when: PeriodState,
  extra: Record<string, string> = {},
) {
  const params = new URLSearchParams({ scope: territory.scope, id: territory.id, period: when.period });
  if (when.period === "custom") {
    params.set("from", when.from);
    params.set("to", when.to);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return `/stats?${params}`;
}

/** The export endpoint's address for the shown territory and period. */
function exportHref(stats: Stats, format: "csv" | "xlsx", dataset: string) {
  const params = new URLSearchParams({
    format,
    dataset,
    scope: stats.scope,
    id: stats.id,
    from: stats.from,
    to: stats.to,
  });
  return `/api/v1/stats/export?${params}`;
}

const hours = (value: number | null) => (value === null ? "—" : `${value}`);

type BodyProps = {
  stats: Stats;
  when: PeriodState;
  canOpen: string[];
  asStaff: boolean;
  report: string | null;
  /** When the workers last counted, formatted by the loader. */
  computedText: string | null;
  elderMode: boolean;
};

export function StatsBody({ stats, when, canOpen, asStaff, report, computedText, elderMode }: BodyProps) {
  const openable = new Set(canOpen);
  const childName = stats.scope === "district" ? "街道" : "社区";
  const { needs, activities, participation, providers } = stats;
  return (
    <>
      <nav className="stats-path" aria-label="地区层级">
        <ol>
          {stats.path.map((ref, index) => (
            <li key={ref.id}>
              {index === stats.path.length - 1 ? (
                <span aria-current="page">{ref.name}</span>
              ) : openable.has(ref.id) ? (
                <Link to={statsHref(ref, when)}>{ref.name}</Link>
              ) : (
                ref.name
              )}
            </li>
          ))}
        </ol>
      </nav>

      <section aria-labelledby="headline-title">
        <h2 id="headline-title">{`${periodText(stats.from, stats.to)}概况`}</h2>
        <ul className="stats-cards">
          <Card label="入驻机构" value={`${providers.total}`} unit="家">
            社会组织 {providers.socialOrgs} 家 · 特色商家 {providers.merchants} 家
            <br />
            本期新入驻 {providers.joined.socialOrgs + providers.joined.merchants} 家
          </Card>
          <Card label="服务" value={`${stats.services}`} unit="项">
            政府购买 {stats.governmentPurchasedServices} 项 · 本期新发布 {stats.servicesPublished} 项
          </Card>
          <Card label="居民需求" value={`${needs.posted}`} unit="件提出">
            对接 {needs.matched} 件 · 办结 {needs.fulfilled} 件
          </Card>
          <Card
            label="对接用时中位数"
            value={hours(needs.medianHoursToMatch)}
            unit={needs.medianHoursToMatch === null ? "" : "小时"}
          >
            从需求提出到对接成功
          </Card>
          <Card
            label="满意度"
            value={needs.averageRating === null ? "—" : needs.averageRating.toFixed(1)}
            unit={needs.averageRating === null ? "" : "分"}
          >
            满分 5 分 · {needs.ratings} 条评价
          </Card>
          <Card label="活动" value={`${activities.held}`} unit="场次">
            报名 {groupedNumber(activities.registered)} 人次 · 现场加入 {groupedNumber(activities.walkIns)}{" "}
            人次
          </Card>
          <Card label="受众" value={reportNumber(participation.personTimes)} unit="人次">
            共 {groupedNumber(participation.personTimes)} 人次（签到加现场加入）
          </Card>
          <Card label="阵地接待" value={reportNumber(stats.venues.bookings)} unit="批">
            到场 {groupedNumber(stats.venues.persons)} 人（已完成的阵地预约）
          </Card>
          <Card label="政府购买服务项目" value={`${stats.projects.active}`} unit="个">
            项目资金 {reportYuan(stats.projects.budgetFen)}（本期在实施的项目）
          </Card>
          <Card label="服务居民" value={reportNumber(participation.uniquePersons)} unit="人">
            到场签到的居民，每人只算一次
          </Card>
          <Card
            label="到场率"
            value={activities.attendanceRate === null ? "—" : percent(activities.attendanceRate)}
            unit=""
          >
            签到 {groupedNumber(activities.checkedIn)} / 报名 {groupedNumber(activities.registered)} 人次
          </Card>
        </ul>
        <p className="aside-text">
          {computedText ? `数据由后台按日统计，最近一次统计于 ${computedText}。` : "这一时段还没有统计数据。"}
        </p>
      </section>

      <ReportSection stats={stats} when={when} report={report} />

      {stats.byChild.length > 0 ? (
        <section aria-labelledby="children-title">
          <h2 id="children-title">{`各${childName}数据`}</h2>
          <StatsChart
            elder={elderMode}
            kind="bars"
            label={`各${childName}受众人次条形图，具体数字见下表`}
            rows={stats.byChild.map((child) => ({ name: child.name, values: [child.figures.personTimes] }))}
            series={["受众人次"]}
          />
          <TableScroll labelledBy="children-caption">
            <table className="table stats-table">
              <caption id="children-caption">{`各${childName}数据（${periodText(stats.from, stats.to)}）`}</caption>
              <thead>
                <tr>
                  <th scope="col">{childName}</th>
                  <th scope="col">入驻机构</th>
                  <th scope="col">需求提出</th>
                  <th scope="col">需求办结</th>
                  <th scope="col">活动场次</th>
                  <th scope="col">受众人次</th>
                  <th scope="col">服务居民</th>
                </tr>
              </thead>
              <tbody>
                {stats.byChild.map((child) => (
                  <tr key={child.id}>
                    <th scope="row">
                      {openable.has(child.id) ? (
                        <Link to={statsHref(child, when)}>{child.name}</Link>
                      ) : (
                        child.name
                      )}
                    </th>
                    <td>{groupedNumber(child.providers)}</td>
                    <td>{groupedNumber(child.figures.needsPosted)}</td>
                    <td>{groupedNumber(child.figures.needsFulfilled)}</td>
                    <td>{groupedNumber(child.figures.activitiesHeld)}</td>
                    <td>{groupedNumber(child.figures.personTimes)}</td>
                    <td>{groupedNumber(child.uniquePersons)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      ) : null}

      <section aria-labelledby="months-title">
        <h2 id="months-title">逐月趋势</h2>
        <MonthlyFigures
          elder={elderMode}
          charted={[1, 0]}
          captionId="months-caption"
          caption="逐月数据"
          columns={["活动场次", "受众人次", "服务居民", "需求提出", "需求办结"]}
          rows={stats.series.map((row) => ({
            month: row.month,
            values: [
              row.figures.activitiesHeld,
              row.figures.personTimes,
              row.uniquePersons,
              row.figures.needsPosted,
              row.figures.needsFulfilled,
            ],
          }))}
        />
      </section>

      <section aria-labelledby="categories-title">
        <h2 id="categories-title">各类别数据</h2>
        {stats.byCategory.length === 0 ? (
          <p className="card empty-state">这一时段还没有按类别统计的需求、服务或活动。</p>
        ) : (
          <>
            <StatsChart
              elder={elderMode}
              kind="bars"
              label="各类别需求提出与办结件数条形图，具体数字见下表"
              rows={stats.byCategory.map((row) => ({
                name: row.name,
                values: [row.figures.needsPosted, row.figures.needsFulfilled],
              }))}
              series={["需求提出", "需求办结"]}
            />
            <TableScroll labelledBy="categories-caption">
              <table className="table stats-table">
                <caption id="categories-caption">{`各类别数据（${periodText(stats.from, stats.to)}）`}</caption>
                <thead>
                  <tr>
                    <th scope="col">类别</th>
                    <th scope="col">需求提出</th>
                    <th scope="col">需求对接</th>
                    <th scope="col">需求办结</th>
                    <th scope="col">新发布服务</th>
                    <th scope="col">活动场次</th>
                    <th scope="col">受众人次</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.byCategory.map((row) => (
                    <tr key={row.category}>
                      <th scope="row">{row.name}</th>
                      <td>{groupedNumber(row.figures.needsPosted)}</td>
                      <td>{groupedNumber(row.figures.needsMatched)}</td>
                      <td>{groupedNumber(row.figures.needsFulfilled)}</td>
                      <td>{groupedNumber(row.figures.servicesPublished)}</td>
                      <td>{groupedNumber(row.figures.activitiesHeld)}</td>
                      <td>{groupedNumber(row.figures.personTimes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="downloads-title">
        <h2 id="downloads-title">下载数据</h2>
        <p>{`${stats.name}${periodText(stats.from, stats.to)}的统计数据，可用 Excel 或 WPS 打开。`}</p>
        <p className="actions">
          <a className="button" href={exportHref(stats, "xlsx", "figures")} download>
            下载 XLSX
          </a>
          <a className="button" href={exportHref(stats, "csv", "figures")} download>
            下载 CSV
          </a>
        </p>
        {asStaff ? (
          <>
            <h3>明细清单（XLSX，不含个人信息）</h3>
            <p className="actions">
              <a className="button" href={exportHref(stats, "xlsx", "activities")} download>
                活动清单
              </a>
              <a className="button" href={exportHref(stats, "xlsx", "providers")} download>
                机构清单
              </a>
              <a className="button" href={exportHref(stats, "xlsx", "needs")} download>
                需求清单
              </a>
            </p>
          </>
        ) : null}
      </section>
    </>
  );
}

function Card({
  label,
  value,
  unit,
  children,
}: {
  label: string;
  value: string;
  unit: string;
  children: ReactNode;
}) {
  return (
    <li className="stats-card">
      <span className="stats-card__label">{label}</span>
      <span className="stats-card__value">
        {value}
        {unit ? <span className="stats-card__unit"> {unit}</span> : null}
      </span>
      <span className="stats-card__detail">{children}</span>
    </li>
  );
}

/** 生成报告: the paragraph comes with the page (a plain link works without JavaScript); 复制 appears
 * once scripts run, since only they can reach the clipboard. */
function ReportSection({ stats, when, report }: { stats: Stats; when: PeriodState; report: string | null }) {
  const location = useLocation();
  const textId = useId();
  const [canCopy, setCanCopy] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => setCanCopy(typeof navigator !== "undefined" && navigator.clipboard !== undefined), []);
  // A fresh paragraph (another territory or period) has not been copied yet.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset whenever the address changes
  useEffect(() => setCopied(null), [location.search]);

  const copy = async () => {
    if (report === null) return;
    try {
      await navigator.clipboard.writeText(report);
      setCopied("已复制，可以粘贴到报告里了。");
    } catch {
      setCopied("没能复制，请选中上面的文字后手动复制。");
    }
  };

  return (
    <section className="card stats-report" id="report" aria-labelledby="report-title">
      <h2 id="report-title">工作报告</h2>
      {report === null ? (
        <>
          <p>按所选地区和时段，把上面的数字写成一段工作报告的文字。</p>
          <p>
            <Link className="button button--primary" to={`${statsHref(stats, when, { report: "1" })}#report`}>
              生成报告
            </Link>
          </p>
        </>
      ) : (
        <>
          <label htmlFor={textId}>{`${stats.name}${periodText(stats.from, stats.to)}工作报告段落`}</label>
          <textarea id={textId} className="stats-report__text" readOnly rows={8} value={report} />
          <p className="actions">
            {canCopy ? (
              <button type="button" className="button button--primary" onClick={copy}>
                复制
              </button>
            ) : null}
            <Link className="button" to={statsHref(stats, when)}>
              收起
            </Link>
          </p>
          <p role="status" className="stats-report__status">
            {copied}
          </p>
        </>
      )}
    </section>
  );
}
