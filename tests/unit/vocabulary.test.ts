import { describe, expect, it } from "vitest";
import { CATEGORY_CODES } from "~/domain/catalog/categories";
import { queryCategory, queryWords } from "~/search/segmenter.server";
import { QUERY_CATEGORIES, RESIDENT_SYNONYMS, STOP_WORDS } from "~/search/vocabulary";

// The residents' vocabulary files (app/search/vocabulary, ADR 0023): their shape, and that the
// phrasings #16 names are covered.

const clean = (word: string) => /^[\p{L}\p{N}]+$/u.test(word);

describe("residents' vocabulary", () => {
  it("maps clean resident words to other, clean service words, never filler", () => {
    for (const [word, targets] of Object.entries(RESIDENT_SYNONYMS)) {
      expect(clean(word), word).toBe(true);
      expect(STOP_WORDS.has(word), word).toBe(false);
      expect(targets.length, word).toBeGreaterThan(0);
      for (const target of targets) {
        expect(clean(target), `${word} → ${target}`).toBe(true);
        expect(target, word).not.toBe(word);
      }
    }
  });

  it("names only categories of the catalogue", () => {
    for (const [word, code] of QUERY_CATEGORIES) {
      expect(CATEGORY_CODES as readonly string[], word).toContain(code);
    }
  });

  it("covers the phrasings residents use", () => {
    for (const word of ["修", "换", "装", "灯泡", "门锁", "窗户", "水管", "电视", "剪头发", "老伴", "洗澡"]) {
      expect(RESIDENT_SYNONYMS[word], word).toBeDefined();
    }
    for (const word of [
      "买菜",
      "代买菜",
      "头晕",
      "腿脚不方便",
      "不爱写作业",
      "取快递",
      "挂号",
      "助欲",
      "理法",
    ]) {
      expect(RESIDENT_SYNONYMS[word], word).toBeDefined();
    }
    expect(RESIDENT_SYNONYMS.剪头发).toContain("理发");
    expect(RESIDENT_SYNONYMS.洗澡).toContain("助浴");
  });

  it("drops filler from a query and keeps whole resident words", () => {
    for (const filler of ["我", "想", "找人", "帮忙", "一下"]) expect(STOP_WORDS.has(filler)).toBe(true);
    expect(queryWords("我想找人帮忙修一下水管").map((w) => w.word)).toEqual(["修", "水管"]);
    expect(queryWords("腿脚不方便").map((w) => w.word)).toEqual(["腿脚不方便"]);
  });

  it("does not widen a difficulty walking to every home visit", () => {
    // 上门 is in most home services' text: as a synonym it drowned 行动不便's fitting services (#16).
    for (const word of ["腿脚", "腿脚不方便", "腿脚不便", "走不动", "行动不便"]) {
      expect(RESIDENT_SYNONYMS[word], word).toContain(word === "行动不便" ? "助行" : "行动不便");
      expect(RESIDENT_SYNONYMS[word], word).not.toContain("上门");
    }
  });

  it("keeps 孩子叛逆 whole, so 孩子 alone does not bring every children's service", () => {
    expect(queryWords("孩子叛逆").map((w) => w.word)).toEqual(["孩子叛逆"]);
    expect(RESIDENT_SYNONYMS.孩子叛逆).toContain("青少年");
  });

  it("infers the category a query names", () => {
    expect(queryCategory("头晕")).toBe("medical");
    expect(queryCategory("老伴洗澡")).toBe("elderly-care");
    expect(queryCategory("开锁")).toBe("housekeeping");
    expect(queryCategory("天气")).toBeNull();
  });
});
