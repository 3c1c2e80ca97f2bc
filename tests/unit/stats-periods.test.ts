import { describe, expect, it } from "vitest";
import { presetPeriods, readPeriodFields } from "~/domain/stats/periods";

// The 统计 page's period fields: a preset or custom dates, read without the page's own checks.

const presets = presetPeriods(new Date("2026-12-06T00:00:00Z"));
const read = (search: string) => readPeriodFields(new URLSearchParams(search), presets);

describe("presetPeriods", () => {
  it("gives 本月 and 今年 up to today and 去年 whole", () => {
    expect(presets).toEqual({
      month: { from: "2026-12-01", to: "2026-12-06" },
      year: { from: "2026-01-01", to: "2026-12-06" },
      lastYear: { from: "2025-01-01", to: "2025-12-31" },
    });
  });
});

describe("readPeriodFields", () => {
  it("reads a preset as its dates, and no period as this year", () => {
    expect(read("period=month")).toEqual({ period: "month", dates: presets.month, errors: {} });
    expect(read("")).toEqual({ period: "year", dates: presets.year, errors: {} });
  });

  it("takes dates without a period as a custom period, and asks for both ends", () => {
    expect(read("from=2026-03-01&to=2026-03-31")).toEqual({
      period: "custom",
      dates: { from: "2026-03-01", to: "2026-03-31" },
      errors: {},
    });
    expect(read("period=custom&from=2026-03-01").errors).toEqual({ to: "请填写结束日期" });
    expect(read("period=custom").errors).toEqual({ from: "请填写开始日期", to: "请填写结束日期" });
  });

  it("names an unknown period, inherited object keys included, and falls back to this year", () => {
    for (const period of ["week", "toString", "__proto__"]) {
      expect(read(`period=${period}`)).toEqual({
        period: "year",
        dates: presets.year,
        errors: { period: "时段应为本月、今年、去年或自定义" },
      });
    }
  });
});
