import ExcelJS from "exceljs";
import type { Cell, Table } from "./csv";

// Tables written as an XLSX workbook, one worksheet per table: a bold, frozen header row, numbers
// as numeric cells and widths fitted to the content. Text goes in as text cells, never formulas, so
// the CSV's formula guard is not needed (and would change the data).

// Excel's limits on worksheet names: 31 characters, none of : \ / ? * [ ].
const SHEET_NAME_FORBIDDEN = /[:\\/?*[\]]/g;
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

/** Display width in Excel's units: CJK and other wide characters take two. */
const displayWidth = (text: string) =>
  [...text].reduce((sum, char) => sum + ((char.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1), 0);

const cellText = (cell: Cell) => (cell === null ? "" : String(cell));

function columnWidth(table: Table, index: number) {
  const header = table.headers[index] ?? "";
  const widest = table.rows.reduce(
    (max, row) => Math.max(max, displayWidth(cellText(row[index] ?? null))),
    displayWidth(header),
  );
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2));
}

export async function xlsxWorkbook(tables: Table[]): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.title.replace(SHEET_NAME_FORBIDDEN, " ").slice(0, 31), {
      views: [{ state: "frozen", ySplit: 1 }],
    });
    sheet.columns = table.headers.map((header, i) => ({ header, width: columnWidth(table, i) }));
    sheet.getRow(1).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
