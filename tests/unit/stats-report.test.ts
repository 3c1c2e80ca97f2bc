import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { periodText, reportNumber, reportParagraph, reportYuan } from "~/domain/stats/report";
import type { Stats } from "~/domain/stats/stats.schema";

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

describe("reportParagraph", () => {
  const stats: Stats = {
    scope: "district",
    id: "d1",
    name: "明湖区",
    path: [],
    from: "2026-01-01",
    to: "2026-12-31",
    providers: { socialOrgs: 3, merchants: 1, total: 4, joined: { socialOrgs: 1, merchants: 0 } },
    services: 5,
    governmentPurchasedServices: 2,
    servicesPublished: 3,
    needs: { posted: 6, matched: 4, fulfilled: 3, medianHoursToMatch: 12, ratings: 2, averageRating: 4.5 },
    activities: { held: 12, registered: 40, checkedIn: 25, walkIns: 3_756, attendanceRate: 0.625 },
    participation: { personTimes: 3_781, uniquePersons: 25 },
    venues: { bookings: 0, persons: 0 },
    projects: { active: 0, budgetFen: 0 },
    byChild: [],
    series: [],
    byCategory: [],
    computedAt: null,
  };

  it("says the residents who checked in are part of the audience, not a second total", () => {
    const text = reportParagraph(stats);
    expect(text).toContain(
      "举办各类活动12场次，受众人数达3781人次，其中签到居民25人，报名居民平均到场率62.5%。",
    );
    expect(text).not.toContain("服务居民");
  });

  it("names the platform with the report style's quotes", () => {
    expect(reportParagraph(stats)).toContain(
      "2026年，明湖区入驻“三社联动”信息平台的社会组织、特色商家共有4家",
    );
    expect(reportParagraph(stats)).not.toMatch(/[‘’]/);
  });

  it("counts the venues' batches and persons in the report's 万/余 style, once there is a batch", () => {
    expect(reportParagraph(stats)).not.toContain("阵地");
    expect(reportParagraph({ ...stats, venues: { bookings: 376, persons: 8_905 } })).toContain(
      "先后有376批8905名群众到阵地开展活动。",
    );
    expect(reportParagraph({ ...stats, venues: { bookings: 12_345, persons: 250_000 } })).toContain(
      "先后有1.2万余批25万名群众到阵地开展活动。",
    );
  });
});

describe("reportYuan", () => {
  it.each([
    [0, "0元"],
    [999_900, "9999元"],
    [1_000_000, "1万元"],
    [123_456_789, "123.4万余元"],
    [60_000_000, "60万元"],
  ])("%i fen → %s", (fen, text) => {
    expect(reportYuan(fen)).toBe(text);
  });
});

describe("the report paragraph's projects clause", () => {
  const zero = { socialOrgs: 0, merchants: 0 };
  const stats = (projects: Stats["projects"]): Stats => ({
    scope: "district",
    id: "d",
    name: "示范区",
    path: [],
    from: "2026-01-01",
    to: "2026-12-31",
    providers: { ...zero, total: 0, joined: zero },
    services: 0,
    governmentPurchasedServices: 0,
    servicesPublished: 0,
    needs: { posted: 0, matched: 0, fulfilled: 0, medianHoursToMatch: null, ratings: 0, averageRating: null },
    activities: { held: 0, registered: 0, checkedIn: 0, walkIns: 0, attendanceRate: null },
    participation: { personTimes: 0, uniquePersons: 0 },
    venues: { bookings: 0, persons: 0 },
    projects,
    byChild: [],
    series: [],
    byCategory: [],
    computedAt: null,
  });

  it("names the projects running in the period and their money, after the services", () => {
    const text = reportParagraph(stats({ active: 3, budgetFen: 123_456_789 }));
    expect(text).toContain("本期新发布0项。实施政府购买服务项目3个，项目资金共计123.4万余元。居民提出需求");
  });

  it("says nothing of projects when none ran", () => {
    expect(reportParagraph(stats({ active: 0, budgetFen: 0 }))).not.toContain("项目");
  });
});
