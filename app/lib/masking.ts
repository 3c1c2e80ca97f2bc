/** The phone column of a deleted account starts with this (ADR 0013); it is never a number. */
export const DELETED_PHONE_PREFIX = "deleted:";

/** A phone shown in full (to those allowed to see it); a deleted account has none to show. */
export const shownPhone = (phone: string) => (phone.startsWith(DELETED_PHONE_PREFIX) ? "（已注销）" : phone);

/** 13812341234 → 138****1234 (GB/T 35273 §7.2 de-identification for display). */
export function maskPhone(phone: string): string {
  // A deleted account's placeholder (ADR 0013) carries no number to show.
  if (phone.startsWith(DELETED_PHONE_PREFIX)) return "（已注销）";
  if (phone.length < 7) return "*".repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

const MOBILE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** Free text with any mainland mobile number in it masked, for copies that leave the record (the
 * search index): residents sometimes type their number into a need's description. */
export const maskPhonesInText = (text: string) => text.replace(MOBILE_IN_TEXT, maskPhone);
