import { chinaDate } from "~/lib/china-time";
import type { Table } from "~/lib/csv";
import { db } from "~/lib/db.server";
import { xlsxWorkbook } from "~/lib/xlsx.server";
import type { Actor } from "../accounts/actor";
import { authorize } from "../policy";
import { periodText, reportNumber } from "../stats/report";
import { evaluationsOf } from "./evaluations.server";
import { countActuals, countedSpan, monthlySeries, progressOf } from "./progress.server";
import {
  type EvaluationView,
  type ProjectProgress,
  type ProjectView,
  TARGET_KEYS,
  TARGET_LABELS,
  TARGET_UNITS,
} from "./projects.schema";
import { loadProject, purchaserPathOf, toProjectView } from "./projects.server";

// The 结项报告 (ADR 0026): targets against actuals, the project's activities, the monthly series,
// ratings, evaluations and a paragraph in the work report's style. Figures only: no resident's name,
// phone or registration appears in it.

const yuan = (fen: number) => `${(fen / 100).toLocaleString("en-US", { maximumFractionDigits: 2 })}元`;

/** The paragraph, e.g. "2026年1月1日至12月31日，东湖街道向阳光社工服务中心购买…，开展活动24场次…". */
export function projectParagraph(project: ProjectView, progress: ProjectProgress): string {
  const { actual, target } = progress;
  const met = TARGET_KEYS.filter((key) => target[key] !== null && (actual[key] ?? 0) >= (target[key] ?? 0));
  const set = TARGET_KEYS.filter((key) => target[key] !== null);
  return (
    `${periodText(project.startsOn, project.endsOn)}，${project.purchaserName}以政府购买服务方式向${project.providerName}` +
    `购买“${project.title}”项目，预算${yuan(project.budgetFen)}。` +
    `项目开展活动${actual.activitiesHeld ?? 0}场次，服务居民${reportNumber(actual.personTimes ?? 0, true)}人次、` +
    `${reportNumber(actual.uniquePersons ?? 0, true)}人，解决居民需求${actual.needsFulfilled ?? 0}件` +
    (actual.averageRating === null ? "" : `，居民满意度评分${actual.averageRating.toFixed(1)}分（满分5分）`) +
    "。" +
    (set.length === 0 ? "" : `合同约定的${set.length}项指标中已完成${met.length}项。`)
  );
}

export async function projectReport(actor: Actor, id: string, now = new Date()) {
  const row = await loadProject(id);
  authorize(actor, "project.viewPrivate", {
    purchaserPath: purchaserPathOf(row),
    providerId: row.providerId,
  });
  const [actuals, months, evaluations, activities, project] = await Promise.all([
    countActuals([row.id]),
    monthlySeries(row.id),
    evaluationsOf(row.id),
    db().activity.findMany({
      // The activities progress counts: finished, tallied, inside the counted span.
      where: { projectId: row.id, status: "FINISHED", tally: { isNot: null }, startsAt: countedSpan(row) },
      orderBy: { startsAt: "asc" },
      select: {
        id: true,
        title: true,
        startsAt: true,
        venue: true,
        community: { select: { name: true } },
        tally: { select: { registered: true, checkedIn: true, walkIns: true, personTimes: true } },
      },
    }),
    toProjectView(row),
  ]);
  const progress = progressOf(
    row,
    actuals.get(row.id) ?? {
      activitiesHeld: 0,
      personTimes: 0,
      uniquePersons: 0,
      needsFulfilled: 0,
      ratingX100: null,
    },
    now,
  );
  return {
    project,
    progress,
    paragraph: projectParagraph(project, progress),
    activities: activities.map((a) => ({
      id: a.id,
      title: a.title,
      date: chinaDate(a.startsAt),
      place: `${a.community.name} ${a.venue}`,
      registered: a.tally?.registered ?? 0,
      checkedIn: a.tally?.checkedIn ?? 0,
      walkIns: a.tally?.walkIns ?? 0,
      personTimes: a.tally?.personTimes ?? 0,
    })),
    months,
    evaluations,
  };
}
export type ProjectReport = Awaited<ReturnType<typeof projectReport>>;

const evaluationRows = (evaluations: EvaluationView[]) =>
  evaluations.flatMap((e) => [
    ...e.scores.map((s) => [e.stageLabel, s.indicator, s.score, s.max, null]),
    [e.stageLabel, "合计", e.total, e.totalMax, e.comment],
  ]);

/** The report as worksheets (XLSX download). */
export function reportTables(report: ProjectReport): Table[] {
  const { project, progress } = report;
  return [
    {
      title: "项目概况",
      headers: ["项目", "内容"],
      rows: [
        ["项目名称", project.title],
        ["购买方", project.purchaserName],
        ["承接机构", project.providerName],
        ["预算（元）", project.budgetFen / 100],
        ["周期", `${project.startsOn} 至 ${project.endsOn}`],
        ["状态", project.statusLabel],
        ["报告摘要", report.paragraph],
      ],
    },
    {
      title: "目标完成情况",
      headers: ["指标", "单位", "目标", "实际", "按进度应达", "是否达标"],
      rows: TARGET_KEYS.filter((key) => progress.target[key] !== null).map((key) => [
        TARGET_LABELS[key],
        TARGET_UNITS[key],
        progress.target[key],
        progress.actual[key],
        progress.expectedByNow[key],
        progress.onTrack[key] ? "是" : "否",
      ]),
    },
    {
      title: "活动明细",
      headers: ["日期", "活动", "地点", "报名", "签到", "现场", "受众人次"],
      rows: report.activities.map((a) => [
        a.date,
        a.title,
        a.place,
        a.registered,
        a.checkedIn,
        a.walkIns,
        a.personTimes,
      ]),
    },
    {
      title: "月度数据",
      headers: ["月份", "活动场次", "受众人次", "服务人数"],
      rows: report.months.map((m) => [m.month, m.held, m.personTimes, m.persons]),
    },
    {
      title: "评估",
      headers: ["阶段", "指标", "得分", "满分", "意见"],
      rows: evaluationRows(report.evaluations),
    },
  ];
}

export async function reportXlsx(report: ProjectReport) {
  return {
    body: await xlsxWorkbook(reportTables(report)),
    filename: `${report.project.title}-结项报告.xlsx`,
    asciiFilename: `project-${report.project.id}-report.xlsx`,
  };
}
