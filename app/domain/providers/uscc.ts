// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character set
// (no I, O, Z, S, V); the 18th is a check character over the first 17.

export const USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/** Upper case, half-width, without spaces or dashes: what people paste from licences and PDFs. */
export function normalizeUscc(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000-]/g, "")
    .toUpperCase();
}

/** The check character for the first 17 characters (which must be from the charset). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += USCC_CHARSET.indexOf(first17.charAt(i)) * (WEIGHTS[i] ?? 0);
  const check = 31 - (sum % 31);
  return USCC_CHARSET.charAt(check === 31 ? 0 : check);
}

export type UsccProblem = { rule: "length" | "charset" | "check"; message: string };

/** Null when the (normalised) code is valid; otherwise the first rule it breaks, in Chinese. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) {
    return { rule: "length", message: `统一社会信用代码应为18位，您输入了${code.length}位` };
  }
  for (let i = 0; i < 18; i += 1) {
    const c = code.charAt(i);
    if (!USCC_CHARSET.includes(c)) {
      return {
        rule: "charset",
        message: `第${i + 1}位“${c}”不是有效字符（只用数字和除 I、O、Z、S、V 以外的大写字母）`,
      };
    }
  }
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (code.charAt(17) !== expected) {
    return { rule: "check", message: "校验位不正确，请逐位核对营业执照或登记证书上的代码" };
  }
  return null;
}
