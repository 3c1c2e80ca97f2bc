import { describe, expect, it } from "vitest";
import { durationInWords } from "~/lib/format";

// How long the oldest job of a queue has waited, as 队列状态 says it (#15 item 16).

const minutes = (n: number) => n * 60_000;

describe("durationInWords", () => {
  it.each([
    [0, "不到 1 分钟"],
    [59_999, "不到 1 分钟"],
    [minutes(1), "1 分钟"],
    [minutes(3) + 30_000, "3 分钟"],
    [minutes(59), "59 分钟"],
    [minutes(60), "1 小时"],
    [minutes(125), "2 小时 5 分钟"],
    [minutes(24 * 60 - 1), "23 小时 59 分钟"],
    [minutes(24 * 60), "1 天"],
    [minutes(3 * 24 * 60 + 4 * 60 + 59), "3 天 4 小时"],
  ])("%i ms reads %s", (ms, words) => {
    expect(durationInWords(ms)).toBe(words);
  });
});
