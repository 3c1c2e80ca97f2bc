import { describe, expect, it } from "vitest";
import {
  fits,
  MATCH_WEIGHTS,
  type MatchFeatures,
  MIN_CONTENT_FIT,
  scoreMatch,
} from "~/domain/matching/ranking";

// The orderings the matching weights cause (DESIGN §5). If a weight changes, these say what changed
// for the people using the suggestions.

const base: MatchFeatures = {
  text: 0,
  content: 0,
  sameCategory: false,
  servesCommunity: false,
  record: { fulfilled: 0, averageRating: null },
  spareThisWeek: null,
};
const score = (features: Partial<MatchFeatures>) => scoreMatch({ ...base, ...features }).score;

describe("matching weights", () => {
  it("sum to one, so a perfect candidate scores 1", () => {
    const sum = Object.values(MATCH_WEIGHTS).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 10);
    expect(
      score({
        text: 1,
        sameCategory: true,
        servesCommunity: true,
        record: { fulfilled: 10, averageRating: 5 },
        spareThisWeek: 3,
      }),
    ).toBe(1);
  });

  it("text agreement outweighs the category alone", () => {
    expect(score({ text: 1 })).toBeGreaterThan(score({ sameCategory: true }));
  });

  it("a same-category service with a fair text match beats a better text match of another category", () => {
    expect(score({ text: 0.6, sameCategory: true })).toBeGreaterThan(score({ text: 1 }));
  });

  it("serving the need's own community breaks ties between equal services", () => {
    const here = score({ text: 0.8, sameCategory: true, servesCommunity: true });
    const neighbour = score({ text: 0.8, sameCategory: true });
    expect(here).toBeGreaterThan(neighbour);
  });

  it("a proven provider beats a new one, but not a clearly better text match", () => {
    const proven = { fulfilled: 5, averageRating: 5 };
    expect(score({ text: 0.7, sameCategory: true, record: proven })).toBeGreaterThan(
      score({ text: 0.7, sameCategory: true }),
    );
    expect(score({ text: 1, sameCategory: true })).toBeGreaterThan(
      score({ text: 0.6, sameCategory: true, record: proven }),
    );
  });

  it("bad ratings count against a provider; no ratings are neutral", () => {
    const poor = score({ record: { fulfilled: 2, averageRating: 1 } });
    const unrated = score({ record: { fulfilled: 2, averageRating: null } });
    const good = score({ record: { fulfilled: 2, averageRating: 5 } });
    expect(poor).toBeLessThan(unrated);
    expect(unrated).toBeLessThan(good);
  });

  it("a full week ranks below a service with room, and unknown capacity sits between", () => {
    const full = score({ text: 0.8, spareThisWeek: 0 });
    const unknown = score({ text: 0.8, spareThisWeek: null });
    const room = score({ text: 0.8, spareThisWeek: 2 });
    expect(full).toBeLessThan(unknown);
    expect(unknown).toBeLessThan(room);
  });

  it("spare capacity never lifts an off-topic service above an on-topic one", () => {
    expect(score({ text: 0.9, sameCategory: true, spareThisWeek: 0 })).toBeGreaterThan(
      score({ text: 0.2, sameCategory: false, spareThisWeek: 5, servesCommunity: true }),
    );
  });
});

describe("fit", () => {
  it("suggests only the same category or content that fits, never a shared common word alone", () => {
    expect(fits({ sameCategory: true, content: 0 })).toBe(true);
    expect(fits({ sameCategory: false, content: MIN_CONTENT_FIT })).toBe(true);
    expect(fits({ sameCategory: false, content: MIN_CONTENT_FIT - 0.01 })).toBe(false);
  });
});

describe("reasons", () => {
  it("name what made the suggestion, in Chinese", () => {
    const { reasons } = scoreMatch({
      text: 0.9,
      content: 0.5,
      sameCategory: true,
      servesCommunity: true,
      record: { fulfilled: 3, averageRating: 4.667 },
      spareThisWeek: 1,
    });
    expect(reasons).toEqual(["内容相符", "同类别", "服务本社区", "已完成 3 次", "评分 4.7", "本周有名额"]);
  });

  it("say 服务本街道 for a neighbouring community and leave out what does not apply", () => {
    expect(scoreMatch({ ...base, text: 0.3, spareThisWeek: 0 }).reasons).toEqual([
      "服务本街道",
      "本周名额已满",
    ]);
  });

  it("say 内容相符 only when the content itself fits, not when a weak match is the best of weak ones", () => {
    expect(scoreMatch({ ...base, text: 1, content: MIN_CONTENT_FIT - 0.01 }).reasons).not.toContain(
      "内容相符",
    );
    expect(scoreMatch({ ...base, text: 1, content: MIN_CONTENT_FIT }).reasons).toContain("内容相符");
  });

  it("clamp a text score outside 0…1", () => {
    expect(score({ text: 7 })).toBe(score({ text: 1 }));
    expect(score({ text: -3 })).toBe(score({ text: 0 }));
  });
});
