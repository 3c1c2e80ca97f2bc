import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's defaults (19 MiB, 2 passes: OWASP's minimum recommendation).

export const hashPassword = (password: string) => hash(password);

/** A hash of a random password, verified against when no user matches, so timing does not reveal
 * whether a phone number is registered. */
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    decoyHash ??= hash(crypto.randomUUID());
    await verify(await decoyHash, password);
    return false;
  }
  return verify(passwordHash, password);
}
