import { randomInt } from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A new row id shaped like Prisma's cuid() (a "c", the time, randomness: 25 lowercase letters and
 * digits), for rows written by raw SQL, where Prisma's client-side default does not apply. */
export function newId(): string {
  let random = "";
  for (let i = 0; i < 16; i += 1) random += ALPHABET[randomInt(ALPHABET.length)];
  return `c${Date.now().toString(36).padStart(8, "0")}${random}`;
}
