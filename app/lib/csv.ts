// Tables written as CSV for Excel and WPS: UTF-8 with a byte-order mark (without it Excel on a
// Chinese Windows reads UTF-8 as GBK and shows mojibake), CRLF line ends and RFC 4180 quoting.

/** A cell: text, a number (written as a number), or nothing. */
export type Cell = string | number | null;

/** One table of an export: a CSV section, or a worksheet of an XLSX file. */
export type Table = { title: string; headers: string[]; rows: Cell[][] };

const BOM = "\uFEFF";
const CRLF = "\r\n";

// Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field: numbers as they are, text with a leading apostrophe when a spreadsheet would take it
 * for a formula, quoted when it holds a comma, a quote or a line break. */
export function csvField(cell: Cell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLines = (rows: Cell[][]) => rows.map((row) => `${row.map(csvField).join(",")}${CRLF}`).join("");

/** A single table: the header row, then the rows. */
export const csvTable = (table: Table) => BOM + csvLines([table.headers, ...table.rows]);

/** Several tables in one file, the way statistics offices hand them out: each under a title row,
 * separated by a blank line. */
export const csvSections = (tables: Table[]) =>
  BOM + tables.map((table) => csvLines([[table.title], table.headers, ...table.rows])).join(CRLF);
