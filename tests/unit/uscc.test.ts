import { describe, expect, it } from "vitest";
import { usccSchema } from "~/domain/providers/providers.schema";
import { normalizeUscc, USCC_CHARSET, usccCheckCharacter, usccProblem } from "~/domain/providers/uscc";
import { fieldErrorsFrom } from "~/lib/zod";

// The unified social credit code (统一社会信用代码, GB 32100-2015): real published codes pass, every
// single-character slip is caught, what people paste is normalised, and each rule names itself.

/** Codes printed on real licences and registration certificates (published by their holders or in
 * public registers), each checked against its check character. */
const REAL_CODES = [
  "91350100M000100Y43",
  "914403001922038216",
  "91440300708461136T",
  "91330100799655058B",
  "91110000802100433B",
  "53100000500021676K",
  // Also used as valid samples by hutool's CreditCodeUtilTest and many public demo data sets.
  "91110108551385082Q",
  "91310115591693856A",
  "91310110666007217T",
];

describe("real codes", () => {
  it.each(REAL_CODES)("accepts %s", (code) => {
    expect(usccProblem(code)).toBeNull();
    expect(usccCheckCharacter(code.slice(0, 17))).toBe(code.charAt(17));
    expect(usccSchema.parse(code)).toBe(code);
  });

  it.each(REAL_CODES)("rejects every single-character corruption of %s by its check character", (code) => {
    let corruptions = 0;
    for (let position = 0; position < 18; position += 1) {
      for (const replacement of USCC_CHARSET) {
        if (replacement === code.charAt(position)) continue;
        const corrupted = code.slice(0, position) + replacement + code.slice(position + 1);
        expect(usccProblem(corrupted), corrupted).toMatchObject({ rule: "check" });
        corruptions += 1;
      }
    }
    // 18 positions, each replaced by each of the other 30 characters of the set.
    expect(corruptions).toBe(18 * 30);
  });

  it.each(REAL_CODES)("rejects %s with two neighbouring characters swapped where they differ", (code) => {
    for (let position = 0; position < 17; position += 1) {
      const [a, b] = [code.charAt(position), code.charAt(position + 1)];
      if (a === b) continue;
      const swapped = code.slice(0, position) + b + a + code.slice(position + 2);
      expect(usccProblem(swapped), swapped).not.toBeNull();
    }
  });
});

describe("normalisation", () => {
  it.each([
    ["91350100m000100y43", "91350100M000100Y43"],
    ["９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"],
    ["９１３５０１００ｍ０００１００ｙ４３", "91350100M000100Y43"],
    [" 9135 0100 M000 100Y 43 ", "91350100M000100Y43"],
    ["9135-0100-M000-100Y-43", "91350100M000100Y43"],
    ["9135\u30000100\tM000100Y43", "91350100M000100Y43"],
    ["53100000500021676k", "53100000500021676K"],
  ])("reads %j as %s", (typed, code) => {
    expect(normalizeUscc(typed)).toBe(code);
    expect(usccProblem(normalizeUscc(typed))).toBeNull();
    expect(usccSchema.parse(typed)).toBe(code);
  });
});

describe("each rule's message", () => {
  it("length: says how many characters were typed", () => {
    expect(usccProblem("91350100M000100Y4")).toEqual({
      rule: "length",
      message: "统一社会信用代码应为18位，您输入了17位",
    });
    expect(usccProblem("91350100M000100Y433")?.message).toBe("统一社会信用代码应为18位，您输入了19位");
  });

  it.each(["I", "O", "Z", "S", "V", "*", "中"])("charset: names the position of %j", (bad) => {
    const code = `91350100M000100${bad}43`;
    expect(usccProblem(code)).toEqual({
      rule: "charset",
      message: `第16位“${bad}”不是有效字符（只用数字和除 I、O、Z、S、V 以外的大写字母）`,
    });
  });

  it("check: asks to compare the code with the licence", () => {
    expect(usccProblem("91350100M000100Y44")).toEqual({
      rule: "check",
      message: "校验位不正确，请逐位核对营业执照或登记证书上的代码",
    });
  });

  it("a check value of 31 is written as 0", () => {
    // The weighted sum of 17 zeros is 0, so 31 − 0 = 31, which the standard writes as 0.
    expect(usccCheckCharacter("00000000000000000")).toBe("0");
    expect(usccProblem("000000000000000000")).toBeNull();
  });

  it("the schema reports the failing rule's message on the field, and asks for a missing code", () => {
    const errorOf = (input: unknown) => {
      const result = usccSchema.safeParse(input);
      if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
      return fieldErrorsFrom(result.error)._;
    };
    expect(errorOf("9135")).toBe("统一社会信用代码应为18位，您输入了4位");
    expect(errorOf("91350100M000100O43")).toContain("第16位“O”不是有效字符");
    expect(errorOf("91350100M000100Y44")).toContain("校验位不正确");
    expect(errorOf("")).toBe("请填写统一社会信用代码");
    expect(errorOf("   ")).toBe("请填写统一社会信用代码");
    expect(errorOf(undefined)).toBe("请填写统一社会信用代码");
    expect(errorOf(913501)).toBe("请填写统一社会信用代码");
    expect(errorOf("9".repeat(41))).toBe("统一社会信用代码应为18位");
  });
});
