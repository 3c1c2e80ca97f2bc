import { TableScroll } from "~/components/table-scroll";
import { groupedNumber } from "~/domain/stats/report";

// The month-by-month figures under a trend chart (统计 and a project's page and report): the chart's
// accessible twin, one row per month, each figure grouped by thousands.

/** "2026-03" → "2026年3月". */
const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;

export function MonthlyFiguresTable({
  captionId,
  caption,
  columns,
  rows,
}: {
  captionId: string;
  caption: string;
  /** The figures' column headings, after 月份. */
  columns: readonly string[];
  /** month as YYYY-MM. */
  rows: readonly { month: string; values: readonly number[] }[];
}) {
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
