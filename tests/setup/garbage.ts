import fc from "fast-check";
import { expect } from "vitest";
import { db } from "~/lib/db.server";

// What every garbage (fuzz) test feeds and checks: hostile strings and values, and an answer that is
// never a 5xx and never shows a stack trace, SQL or driver internals.

export const NASTY_STRINGS = [
  "' OR 1=1 --",
  '"; DROP TABLE "User"; --',
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "🧓🏻‍🦳",
  "１３８１２３４５６７８",
  "%00%0d%0a",
  "$" + "{jndi:ldap://x}",
  "__proto__",
  "-1",
  "1e309",
  "NaN",
  "a".repeat(5000),
  // Nearly numbers and impossible days, which a loose parser would take (issue 13, item 12).
  "0x10",
  " 3 ",
  "1e1",
  "2026-02-29",
  "2026-04-31T09:30",
];

/** Values that look like a whole number to a loose parser (z.coerce, Number(), Date) but are not one
 * as sent: every number field of the API refuses each of them. */
export const LOOSE_NUMBERS: unknown[] = [
  "0x10",
  " 3 ",
  "3 ",
  "1e1",
  "3.0",
  "+3",
  "０３",
  "",
  [3],
  ["3"],
  true,
  3.5,
];

/** Any JSON-ish value a broken or hostile client might send for a field. `extra` adds strings that
 * are nearly right for the endpoint under test (a valid code in full-width, an enum value, …). */
export const garbageValue = (extra: string[] = []) => {
  const strings = fc.constantFrom(...NASTY_STRINGS, ...extra);
  return fc.oneof(
    fc.string(),
    fc.string({ unit: "binary", maxLength: 200 }),
    strings,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(fc.string(), strings), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  );
};

/** A form field's value: any text, or one of the hostile strings. */
export const garbageFormValue = (extra: string[] = []) =>
  fc.oneof(fc.string({ maxLength: 100 }), fc.constantFrom(...NASTY_STRINGS, ...extra));

const LEAKS =
  /\bat \S+\.(ts|js):\d+|PrismaClient|DriverAdapterError|SELECT\s|INSERT\s|node_modules|Error:\s|invalid byte sequence/;
/** What PostgreSQL and Prisma say when a query goes wrong, and V8's stack frames. */
const SQL_LEAKS =
  /\bprisma\b|relation "|syntax error at or near|violates (foreign key|unique|not-null|check) constraint|\bUPDATE "\w+" SET|DELETE FROM "|\bRETURNING\b|column "\w+" (does not exist|of relation)|invalid input syntax for|unterminated quoted|out of range for type|\n\s+at .+:\d+:\d+/i;

const htmlEscaped = (s: string) =>
  s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#x27;");
const jsonInner = (s: string) => JSON.stringify(s).slice(1, -1);
/** How Remix makes the page data inside a <script> safe (its escapeHtml). */
const scriptEscaped = (s: string) =>
  s.replace(/[&<>\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The ways a page or an API answer may carry text it was sent: as is, in JSON, in HTML, and in the
 * page data Remix streams into a <script> (JSON inside a JavaScript string). */
const echoForms = (sent: string) => [
  sent,
  jsonInner(sent),
  htmlEscaped(sent),
  jsonInner(jsonInner(sent)),
  scriptEscaped(jsonInner(jsonInner(sent))),
];

/** The answer is below 500 and leaks nothing; returns its text for further checks. An answer may
 * echo what was sent (a re-filled form field, a saved title), so `echoed` strings, in every form
 * they may take, are removed before looking, lest a payload like "' UNION SELECT" read as a leak. */
export async function expectCleanAnswer(response: Response, echoed: string[] = []) {
  expect(response.status).toBeLessThan(500);
  const text = await response.text();
  let looked = text;
  for (const sent of [...echoed].sort((a, b) => b.length - a.length)) {
    for (const form of echoForms(sent)) if (form) looked = looked.split(form).join("");
  }
  expect(looked).not.toMatch(LEAKS);
  expect(looked).not.toMatch(SQL_LEAKS);
  return text;
}

/** A fingerprint of each named table's whole content (every row, every column), in one round trip:
 * a refused request leaves each of them as it was. The names are the tables' own (Prisma's models). */
export async function tableFingerprints(tables: readonly string[]): Promise<Record<string, string>> {
  const columns = tables.map(
    (table) =>
      `(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM "${table}" t) AS "${table}"`,
  );
  const [row] = await db().$queryRawUnsafe<Record<string, string>[]>(`SELECT ${columns.join(", ")}`);
  return row ?? {};
}

/** Row counts of every table a rejected request must leave alone. */
export async function tableCounts(): Promise<Record<string, number>> {
  const prisma = db();
  const counts = {
    users: prisma.user.count(),
    sessions: prisma.authSession.count(),
    subdistricts: prisma.subdistrict.count(),
    communities: prisma.community.count(),
    providers: prisma.provider.count(),
    members: prisma.providerMember.count(),
    providerCommunities: prisma.providerCommunity.count(),
    services: prisma.service.count(),
    serviceCommunities: prisma.serviceCommunity.count(),
    needs: prisma.need.count(),
    audits: prisma.auditLog.count(),
    outbox: prisma.outboxEvent.count(),
  };
  const entries = await Promise.all(
    Object.entries(counts).map(async ([table, count]) => [table, await count]),
  );
  return Object.fromEntries(entries);
}
