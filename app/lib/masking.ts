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

// Resident ID numbers (18 characters, or the old 15 digits), landlines with an area code, and the part
// of an address below the building (栋/幢/号楼/单元/室/层/楼 and a room number after a 单元 or 栋).
const ID_NUMBER_IN_TEXT = /(?<![\dA-Za-z])(\d{17}[\dXx]|\d{15})(?![\dA-Za-z])/g;
const LANDLINE_IN_TEXT = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g;
const BELOW_BUILDING =
  /[\dA-Za-z一二三四五六七八九十]+(?=\s*(?:栋|幢|号楼|单元|室|层|楼))|(?<=(?:栋|幢|号楼|单元)\s*-?)\d{2,5}(?!\d)/g;

const keepEnds = (text: string, head: number, tail: number) =>
  `${text.slice(0, head)}${"*".repeat(text.length - head - tail)}${text.slice(-tail)}`;

/** A need's free text (or any text a person typed) as shown to readers who may not contact the person:
 * phone numbers, ID numbers and the address below building level masked (DESIGN §7, ADR 0018). */
export const maskContactsInText = (text: string) =>
  maskPhonesInText(
    text
      .replace(ID_NUMBER_IN_TEXT, (id) => keepEnds(id, 3, 2))
      .replace(LANDLINE_IN_TEXT, (number) => keepEnds(number, 4, 2))
      .replace(BELOW_BUILDING, "*"),
  );
