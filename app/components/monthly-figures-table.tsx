import { StatsChart } from "~/components/stats-charts";
import { TableScroll } from "~/components/table-scroll";
import { groupedNumber } from "~/domain/stats/report";

// The month-by-month figures (统计 and a project's page and report): a table, one row per month,
// each figure grouped by thousands, and on the pages a trend chart of two of its columns over it,
// the table being the chart's accessible twin and what a page without JavaScript shows.

/** "2026-03" → "2026年3月". */
const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

/** "3月" under a chart of one year, "25年12月" when the months span years. */
const shortMonthLabel = (month: string, oneYear: boolean) =>
  `${oneYear ? "" : `${month.slice(2, 4)}年`}${Number(month.slice(5, 7))}月`;

type TableProps = {
  captionId: string;
  caption: string;
  /** The figures' column headings, after 月份. */
  columns: readonly string[];
  /** month as YYYY-MM, in order. */
  rows: readonly { month: string; values: readonly number[] }[];
};

export function MonthlyFiguresTable({ captionId, caption, columns, rows }: TableProps) {
  return (
    <TableScroll labelledBy={captionId}>
      <table className="table stats-table">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">月份</th>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.month}>
              <th scope="row">{monthLabel(row.month)}</th>
              {row.values.map((value, index) => (
                <td key={columns[index]}>{groupedNumber(value)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The trend chart of two columns (the first as a line, the second as bars) over the whole table. */
export function MonthlyFigures({
  charted,
  elder,
  ...table
}: TableProps & {
  /** The two columns the chart draws, by their index in `columns`. */
  charted: readonly [number, number];
  elder: boolean;
}) {
  const series = charted.map((index) => table.columns[index] ?? "");
  const first = table.rows[0]?.month ?? "";
  const oneYear = table.rows.every((row) => row.month.slice(0, 4) === first.slice(0, 4));
  return (
    <>
      <StatsChart
        elder={elder}
        kind="trend"
        label={`逐月${series[0]}（折线）和${series[1]}（柱形）图，具体数字见下表`}
        rows={table.rows.map((row) => ({
          name: shortMonthLabel(row.month, oneYear),
          values: charted.map((index) => row.values[index] ?? 0),
        }))}
        series={series}
      />
      <MonthlyFiguresTable {...table} />
    </>
  );
}
