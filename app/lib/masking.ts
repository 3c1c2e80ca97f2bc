/** 13812341234 → 138****1234 (GB/T 35273 §7.2 de-identification for display). */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return "*".repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
