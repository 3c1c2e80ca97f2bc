/** 13812341234 → 138****1234 (GB/T 35273 §7.2 de-identification for display). */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return "*".repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

const MOBILE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;

/** Free text with any mainland mobile number in it masked, for copies that leave the record (the
 * search index): residents sometimes type their number into a need's description. */
export const maskPhonesInText = (text: string) => text.replace(MOBILE_IN_TEXT, maskPhone);
