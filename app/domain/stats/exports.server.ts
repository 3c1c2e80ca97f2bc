import { csvSections, csvTable, type Table } from "~/lib/csv";
import { xlsxWorkbook } from "~/lib/xlsx.server";
import type { z } from "~/lib/zod";
import type { Actor } from "../accounts/actor";
import { authorize } from "../policy";
import { figureTables } from "./export-figures";
import { activitiesTable, type Limits, needsTable, providersTable } from "./export-lists.server";
import { figuresOf, type Period } from "./figures.server";
import type { ExportDataset, statsExportQuerySchema } from "./stats.schema";
import { authorizeStats, findStatsTerritory, periodOf, type StatsTerritory } from "./stats.server";
// Exports of the statistics (issue #6): the figures, public for the district like the figures
// themselves, and the lists behind them for staff in scope, as CSV (UTF-8 with BOM) or XLSX. The
// lists carry no personal data: no requester, contact, phone, address or free text but need titles,
// whose phone numbers are masked.

export type StatsExportQuery = z.output<typeof statsExportQuerySchema>;

export type ExportFile = {
  /** The Chinese file name, and an ASCII one for clients that cannot take it. */
  filename: string;
  asciiFilename: string;
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
  /** Readable only by staff in scope: no shared cache may keep it. */
  restricted: boolean;
};

/** Beyond this an export is refused: it would hold too much in memory, and nobody reads it. */
export const MAX_EXPORT_ROWS = 50_000;
const BATCH_ROWS = 2_000;

const DATASET_NAMES: Record<ExportDataset, { zh: string; en: string }> = {
  figures: { zh: "统计", en: "stats-figures" },
  activities: { zh: "活动清单", en: "stats-activities" },
  providers: { zh: "服务机构清单", en: "stats-providers" },
  needs: { zh: "需求清单", en: "stats-needs" },
};

export async function exportStatistics(
  actor: Actor | null,
  query: StatsExportQuery,
  limits: Partial<Limits> = {},
): Promise<ExportFile> {
  const period = periodOf(query);
  const territory = await findStatsTerritory(query);
  if (query.dataset === "figures") authorizeStats(actor, territory);
  else authorize(actor, "stats.view", territory.policyPath);

  const content = await contentOf(query.dataset, territory, period, {
    maxRows: limits.maxRows ?? MAX_EXPORT_ROWS,
    batchRows: limits.batchRows ?? BATCH_ROWS,
  });
  const body =
    query.format === "xlsx" ? await xlsxWorkbook(content.tables) : new TextEncoder().encode(content.csv());

  const from = period.from.toISOString().slice(0, 10);
  const to = period.to.toISOString().slice(0, 10);
  const place = territory.path.map((ref) => ref.name).join("");
  const names = DATASET_NAMES[query.dataset];
  return {
    filename: `${names.zh}-${place}-${from}至${to}.${query.format}`.replace(/[\\/:*?"<>|\s]/g, "_"),
    asciiFilename: `${names.en}-${from}-${to}.${query.format}`,
    contentType:
      query.format === "xlsx"
        ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        : "text/csv; charset=utf-8",
    body,
    restricted: query.dataset !== "figures" || territory.scope !== "district",
  };
}

/** The tables of an export. In CSV the figures' tables follow one another in one file (an XLSX has
 * a worksheet each); a list is one plain table, its header on the first line, ready to filter. */
async function contentOf(
  dataset: ExportDataset,
  territory: StatsTerritory,
  period: Period,
  limits: Limits,
): Promise<{ tables: Table[]; csv: () => string }> {
  if (dataset === "figures") {
    const tables = figureTables(await figuresOf(territory, territory.children, period), territory);
    return { tables, csv: () => csvSections(tables) };
  }
  const read = { activities: activitiesTable, providers: providersTable, needs: needsTable }[dataset];
  const table = await read(territory, period, limits);
  return { tables: [table], csv: () => csvTable(table) };
}
