import { describe, expect, it } from "vitest";
import type { SearchRequest } from "~/search/engine";
import { choosePlan, matchShare, type Statistics } from "~/search/postgres-engine.server";
import { searchWords } from "~/search/segmenter.server";

// How the PostgreSQL engine picks its scan (ADR 0023): newest first for common words, every match
// for rare ones, from pg_stats-shaped figures of a million documents (550,000 services).

const statistics: Statistics = {
  rows: 880_000,
  types: new Map([
    ["service", 0.625],
    ["need", 0.34],
  ]),
  columns: new Map([
    [
      "tsv",
      {
        frequency: new Map([
          ["老人", 0.3],
          ["服务", 0.6],
          ["助浴", 0.031],
          ["义诊", 0.015],
        ]),
        rare: 0.0049,
      },
    ],
    ["community_id", { frequency: new Map([["c1", 0.03]]), rare: 0.005 }],
  ]),
};

const request = (text: string, overrides: Partial<SearchRequest> = {}): SearchRequest => ({
  type: "service",
  text,
  match: "all",
  filters: {},
  facets: [],
  offset: 0,
  limit: 20,
  ...overrides,
});
const plan = (text: string, overrides: Partial<SearchRequest> = {}) => {
  const r = request(text, overrides);
  return choosePlan(statistics, r, searchWords(r.text, r.match));
};

describe("the PostgreSQL engine's scan plan", () => {
  it("reads newest first when matches are common, every match when they are rare", () => {
    expect(plan("老人")).toBe("newest-first");
    expect(plan("服务")).toBe("newest-first");
    // 1,001 of 17,000 matches newest first would read 32,000 rows; all of them, 17,000.
    expect(plan("助浴")).toBe("all-matches");
    expect(plan("义诊")).toBe("all-matches");
    expect(plan("三伏贴")).toBe("all-matches");
    expect(plan("老人 助浴")).toBe("all-matches");
  });

  it("counts the filters in, and leaves PostgreSQL to choose without statistics or text", () => {
    expect(plan("老人", { filters: { communityId: ["c1"] } })).toBe("all-matches");
    expect(plan("老人", { filters: { subdistrictId: ["s1"] } })).toBeUndefined();
    expect(plan("")).toBeUndefined();
    expect(plan("老人", { type: "venue" })).toBeUndefined();
  });

  it("estimates any-word queries as one word or another, and leaves the sub-word pairs out", () => {
    const any = request("助浴 义诊", { match: "any" });
    const either = matchShare(statistics, any, searchWords(any.text, any.match)) ?? 0;
    expect(either).toBeGreaterThan(0.031);
    expect(either).toBeLessThan(0.031 + 0.015);
    const all = request("义诊");
    expect(matchShare(statistics, all, searchWords(all.text, all.match))).toBeCloseTo(0.015, 5);
  });
});
