import { describe, expect, it } from "vitest";
import type { SearchRequest } from "~/search/engine";
import { matchShare, prefersAllMatches, type Statistics } from "~/search/postgres-statistics.server";
import { searchWords } from "~/search/segmenter.server";
import { searchRequest } from "../factories/search-requests";

// When the PostgreSQL engine tells PostgreSQL to take every match (ADR 0023): for words too rare to
// read newest first, from pg_stats-shaped figures of a million documents (550,000 services).

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

const plan = (text: string, overrides: Partial<SearchRequest> = {}) => {
  const r = searchRequest(text, overrides);
  return prefersAllMatches(statistics, r, searchWords(r.text, r.match));
};

describe("the PostgreSQL engine's scan", () => {
  it("takes every match of rare words and leaves common ones to PostgreSQL", () => {
    expect(plan("老人")).toBe(false);
    expect(plan("服务")).toBe(false);
    // 1,001 of 8,000 matches newest first would read 67,000 rows; all of them, 8,000.
    expect(plan("义诊")).toBe(true);
    expect(plan("三伏贴")).toBe(true);
    expect(plan("老人 义诊")).toBe(true);
    // Within a factor of four: 32,000 rows newest first against 17,000 matches.
    expect(plan("助浴")).toBe(false);
  });

  it("leaves filtered queries, and those without statistics or text, to PostgreSQL", () => {
    expect(plan("义诊", { filters: { communityId: ["c1"] } })).toBe(false);
    expect(plan("义诊", { filters: { category: ["medical"] } })).toBe(false);
    expect(plan("")).toBe(false);
    expect(plan("三伏贴", { type: "venue" })).toBe(false);
  });

  it("estimates any-word queries as one word or another, and leaves the sub-word pairs out", () => {
    const any = searchRequest("助浴 义诊", { match: "any" });
    const either = matchShare(statistics, any, searchWords(any.text, any.match)) ?? 0;
    expect(either).toBeGreaterThan(0.031);
    expect(either).toBeLessThan(0.031 + 0.015);
    const all = searchRequest("义诊");
    expect(matchShare(statistics, all, searchWords(all.text, all.match))).toBeCloseTo(0.015, 5);
  });
});
