import { useEffect, useRef, useState } from "react";
import type { ChartKind, ChartLook, ChartRow } from "./echarts.client";

// A chart of the 统计 page. The table beside it is the source of truth and what a page without
// JavaScript shows; the chart is drawn only in the browser, with ECharts fetched on first use, so no
// other page (and no server render) carries it. Its box appears only once it can be drawn.

type Props = {
  kind: ChartKind;
  /** What the chart shows, for screen readers (the figures themselves are in the table). */
  label: string;
  rows: ChartRow[];
  series: string[];
  /** Elder mode changes the font size and colours, so the chart is redrawn when it changes. */
  elder: boolean;
};

/** The page's current font size and colours, read from the stylesheet (elder mode changes them). */
function currentLook(): ChartLook {
  const style = getComputedStyle(document.documentElement);
  const colour = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fontSize: Number.parseFloat(style.fontSize) || 17,
    text: colour("--text", "#1f1f1f"),
    colors: [colour("--brand", "#b3261e"), colour("--accent", "#0b5cad")],
  };
}

export function StatsChart({ kind, label, rows, series, elder }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [mounted, setMounted] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => setMounted(true), []);

  // Redrawn when the figures or elder mode (the font size and colours) change; the key keeps equal
  // data from redrawing.
  const key = JSON.stringify({ kind, rows, series, elder });
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for kind, rows, series and elder
  useEffect(() => {
    const container = box.current;
    if (!mounted || !container) return;
    let cancelled = false;
    let cleanup = () => {};
    import("./echarts.client")
      .then(({ chartHeight, drawChart }) => {
        if (cancelled) return;
        const look = currentLook();
        const spec = { kind, rows, series };
        // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
        container.style.height = `${chartHeight(spec, look)}px`;
        const chart = drawChart(container, spec, look);
        const observer = new ResizeObserver(() => chart.resize());
        observer.observe(container);
        cleanup = () => {
          observer.disconnect();
          chart.dispose();
        };
      })
      // A chart that cannot load (a weak network) leaves the table, which has every figure.
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      cleanup();
    };
  }, [mounted, key]);

  if (!mounted || failed) return null;
  return <div ref={box} className="stats-chart" role="img" aria-label={label} />;
}
