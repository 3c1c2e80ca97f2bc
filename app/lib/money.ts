// Money is stored in integer fen and typed in yuan ("50", "12.5", "￥8.80元", full-width digits too).
// The conversion works on the digits as text, so 0.1 + 0.2 never becomes 30.000000000000004 fen.

export const halfWidthDigits = (text: string) =>
  text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
const YUAN = /^(\d+)(?:\.(\d*))?$/;

/** What the amount is called in messages ("价格", "预算") and the fen it may range over. */
export type YuanField = { what: string; minFen: number; maxFen: number };

/** "12.50" → 1250 fen; more than two decimals, not a number or out of range → a message. */
export function parseYuan(
  typed: string,
  { what, minFen, maxFen }: YuanField,
): { fen: number } | { error: string } {
  const text = halfWidthDigits(typed)
    .replace(/[．。]/g, ".")
    .replace(/[\s,，]/g, "")
    .replace(/^[¥￥]/, "")
    .replace(/元$/, "");
  const match = YUAN.exec(text);
  if (!match) return { error: `${what}请填写数字，如 50 或 12.50` };
  const [, whole = "", decimals = ""] = match;
  if (decimals.length > 2) return { error: `${what}最多保留两位小数（精确到分）` };
  const fen =
    whole.length > 12 ? Number.POSITIVE_INFINITY : Number(whole) * 100 + Number(decimals.padEnd(2, "0"));
  if (fen < minFen)
    return { error: minFen === 1 ? `${what}应大于0元` : `${what}至少为${fenToYuan(minFen)}元` };
  if (fen > maxFen) return { error: `${what}不能超过${maxFen / 100}元` };
  return { fen };
}

/** 1250 → "12.50" (integer arithmetic, so no floating-point surprises). */
export const fenToYuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
