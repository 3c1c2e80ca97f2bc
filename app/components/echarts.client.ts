import { BarChart, type BarSeriesOption, LineChart, type LineSeriesOption } from "echarts/charts";
import {
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
} from "echarts/components";
import { type ComposeOption, init, use } from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

// Apache ECharts for the 统计 page, loaded only in the browser and only there (a dynamic import from
// stats-charts.tsx): the tree-shakeable core with the two chart types, three components and the SVG
// renderer. SVG keeps the text crisp at elder-mode sizes, and it draws with element attributes and
// CSSOM styles only, which the page's Content-Security-Policy (style-src 'self') allows. No tooltip:
// it is a pop-up (elder mode has none), its HTML form writes style attributes the policy refuses,
// and it weighs 45 KB; the figures are printed on the chart and every one is in the table below it.

use([BarChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption>;

export type ChartKind = "trend" | "bars";
export type ChartRow = { name: string; values: number[] };
export type ChartSpec = { kind: ChartKind; rows: ChartRow[]; series: string[] };
/** What the page looks like now: base font size and colours (elder mode changes both). */
export type ChartLook = { fontSize: number; text: string; colors: string[] };

/** The height a chart needs: the trend a fixed one, bars one row each. */
export function chartHeight(spec: ChartSpec, look: ChartLook) {
  if (spec.kind === "trend") return Math.round(look.fontSize * 16);
  const perRow = look.fontSize * (spec.series.length > 1 ? 2.6 : 1.9);
  return Math.round(spec.rows.length * perRow + look.fontSize * 5);
}

function optionOf(spec: ChartSpec, look: ChartLook, width: number): Option {
  const label = Math.max(12, Math.round(look.fontSize * 0.8));
  const textStyle = { color: look.text, fontSize: label };
  const common = {
    animation: false,
    color: look.colors,
    textStyle,
    legend: { top: 0, textStyle, itemWidth: label, itemHeight: label },
  };
  const column = (index: number) => spec.rows.map((row) => row.values[index] ?? 0);
  if (spec.kind === "trend") {
    return {
      ...common,
      // The axis names stand above the axes, half outside them: room for that on both sides.
      grid: { top: label * 3.5, left: label * 1.5, right: label * 2, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: spec.rows.map((row) => row.name),
        axisLabel: { ...textStyle, hideOverlap: true },
      },
      yAxis: [
        {
          type: "value",
          name: spec.series[0],
          nameTextStyle: textStyle,
          axisLabel: textStyle,
          minInterval: 1,
        },
        {
          type: "value",
          name: spec.series[1],
          nameTextStyle: textStyle,
          axisLabel: textStyle,
          minInterval: 1,
          splitLine: { show: false },
        },
      ],
      series: [
        {
          type: "line",
          name: spec.series[0],
          data: column(0),
          yAxisIndex: 0,
          symbolSize: label / 2,
          z: 3,
          // Each point's figure only where there is room for it (a year on a phone has none).
          label: { show: width / Math.max(spec.rows.length, 1) > label * 4, position: "top", ...textStyle },
        },
        { type: "bar", name: spec.series[1], data: column(1), yAxisIndex: 1, barMaxWidth: label * 1.5 },
      ],
    };
  }
  return {
    ...common,
    grid: { top: label * 3, left: 8, right: label * 4, bottom: 8, containLabel: true },
    // Top to bottom in the table's order.
    yAxis: { type: "category", inverse: true, data: spec.rows.map((row) => row.name), axisLabel: textStyle },
    xAxis: { type: "value", axisLabel: { ...textStyle, hideOverlap: true }, minInterval: 1 },
    series: spec.series.map((name, index) => ({
      type: "bar",
      name,
      data: column(index),
      barMaxWidth: label * 1.4,
      label: { show: true, position: "right", ...textStyle },
    })),
  };
}

/** Draws the chart into `container`; returns how to redraw it at a new size and to remove it. */
export function drawChart(container: HTMLElement, spec: ChartSpec, look: ChartLook) {
  const chart = init(container, undefined, { renderer: "svg", locale: "ZH" });
  chart.setOption(optionOf(spec, look, container.clientWidth));
  return { resize: () => chart.resize(), dispose: () => chart.dispose() };
}
