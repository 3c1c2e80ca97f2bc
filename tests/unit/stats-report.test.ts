import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { periodText, reportNumber } from "~/domain/stats/report";

// How work reports write figures: 万 and 亿 with one decimal, truncated (never more than happened),
// 余 when the figure is not exact; and how they name a period.

describe("reportNumber", () => {
  it.each([
    [0, false, "0"],
    [9_999, true, "9999"],
    [10_000, true, "1万"],
    [12_345, true, "1.2万余"],
    [12_345, false, "1.2万"],
    [12_000, true, "1.2万"],
    [19_999, true, "1.9万余"],
    [30_500, true, "3万余"],
    [99_999_999, true, "9999.9万余"],
    [100_000_000, true, "1亿"],
    [123_456_789, true, "1.2亿余"],
  ])("%i (余: %s) → %s", (value, withRemainder, text) => {
    expect(reportNumber(value, withRemainder)).toBe(text);
  });

  it("never claims more than the figure, nor a tenth of a unit less", () => {
    fc.assert(
      fc.property(fc.integer({ min: 10_000, max: 99_999_999 }), (value) => {
        const text = reportNumber(value, true);
        const shown = Number.parseFloat(text) * 10_000;
        expect(shown).toBeLessThanOrEqual(value);
        expect(value - shown).toBeLessThan(1_000);
        expect(text.endsWith("余")).toBe(shown !== value);
      }),
    );
  });
});

describe("periodText", () => {
  it.each([
    ["2026-01-01", "2026-12-31", "2026年"],
    ["2026-02-01", "2026-02-28", "2026年2月"],
    ["2028-02-01", "2028-02-29", "2028年2月"],
    ["2026-01-01", "2026-11-26", "2026年1月1日至11月26日"],
    ["2025-12-01", "2026-01-31", "2025年12月1日至2026年1月31日"],
    ["2026-03-05", "2026-03-05", "2026年3月5日"],
  ])("%s – %s → %s", (from, to, text) => {
    expect(periodText(from, to)).toBe(text);
  });
});
