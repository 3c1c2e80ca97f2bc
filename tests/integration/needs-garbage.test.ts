import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createNeed } from "../../prisma/factories/marketplace";
import { expectCleanAnswer, garbageFormValue, garbageValue } from "../setup/garbage";
import { sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// The needs endpoints and forms fed generated garbage: never a 5xx, never a stack trace or SQL in the
// answer, and a rejected request writes nothing (no need, no account, no audit or outbox row).

let server: TestServer;
let fx: TerritoryFixture;
let needId: string;
const token: Record<string, string> = {};
const cookie: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  needId = (
    await createNeed(db(), { requesterId: fx.users.residentA1.id, communityId: fx.communities.a1.id })
  ).id;
  for (const who of ["residentA1", "workerA1", "districtAdmin"] as const) {
    token[who] = await tokenFor(fx.users[who].id);
    cookie[who] = await sessionCookie(server, fx.users[who].id);
  }
});

const EXTRA_STRINGS = ["OPEN", "HIGH", "elderly-care"];

const garbage = garbageValue(EXTRA_STRINGS);
const formValue = garbageFormValue(EXTRA_STRINGS);

async function rowCounts() {
  const [needs, users, audits, outbox] = await Promise.all([
    db().need.count(),
    db().user.count(),
    db().auditLog.count(),
    db().outboxEvent.count(),
  ]);
  return { needs, users, audits, outbox };
}

const NEED_KEYS = [
  "title",
  "description",
  "category",
  "communityId",
  "urgency",
  "preferredTime",
  "requesterPhone",
  "requesterName",
];
/** A path segment: usually the real need, sometimes anything else. Not empty, "." or "..", which
 * would name another route (the list page has no form to post to; that 405 is Remix's own). */
const idSegment = () =>
  fc.oneof(
    fc.constant(needId),
    fc
      .string({ minLength: 1, maxLength: 80 })
      .filter((id) => id !== "." && id !== "..")
      .map(encodeURIComponent),
  );
const who = fc.constantFrom("residentA1", "workerA1", "districtAdmin");

describe("needs API fed garbage", () => {
  const bodies = (keys: string[]) =>
    fc.oneof(
      fc
        .record(Object.fromEntries(keys.map((key) => [key, garbage])), { requiredKeys: [] })
        .map((v) => JSON.stringify(v)),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 300 }),
    );

  it("POST /api/v1/needs and the life-cycle steps: no 5xx, no leaks, nothing written when rejected", async () => {
    const requests = fc.oneof(
      fc.record({ path: fc.constant("/api/v1/needs"), body: bodies(NEED_KEYS) }),
      fc.record({ path: idSegment().map((id) => `/api/v1/needs/${id}/cancel`), body: bodies([]) }),
      fc.record({ path: idSegment().map((id) => `/api/v1/needs/${id}/close`), body: bodies(["reason"]) }),
      fc.record({
        path: idSegment().map((id) => `/api/v1/needs/${id}/fulfil`),
        body: bodies(["rating", "comment"]),
      }),
    );
    await fc.assert(
      fc.asyncProperty(requests, who, async ({ path, body }, user) => {
        const before = await rowCounts();
        const response = await server.request(path, {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
          token: token[user],
        });
        const answer = await expectCleanAnswer(response);
        if (response.status >= 400) {
          expect(JSON.parse(answer).error.code).toEqual(expect.any(String));
          expect(await rowCounts()).toEqual(before);
        }
      }),
      { numRuns: propertyRuns(250) },
    );
  });

  it("GET lists and details fed garbage query strings, ids and tokens", async () => {
    const query = fc.dictionary(
      fc.constantFrom(
        "status",
        "category",
        "urgency",
        "communityId",
        "olderThanDays",
        "newerThanDays",
        "sort",
        "page",
        "pageSize",
      ),
      formValue,
    );
    await fc.assert(
      fc.asyncProperty(query, idSegment(), who, fc.boolean(), async (params, id, user, signedIn) => {
        const search = new URLSearchParams(params).toString();
        for (const path of [
          `/api/v1/needs?${search}`,
          `/api/v1/needs/open?${search}`,
          `/api/v1/needs/${id}`,
        ]) {
          const response = await server.request(path, { token: signedIn ? token[user] : undefined });
          await expectCleanAnswer(response);
        }
      }),
      { numRuns: propertyRuns(120) },
    );
  });
});

describe("needs pages fed garbage", () => {
  it("the post form and the need's forms never answer 5xx or half-write", async () => {
    const fields = fc.dictionary(
      fc.constantFrom(...NEED_KEYS, "intent", "reason", "rating", "comment"),
      formValue,
    );
    const paths = fc.oneof(
      fc.constant("/needs/new"),
      idSegment().map((id) => `/needs/${id}`),
    );
    await fc.assert(
      fc.asyncProperty(paths, fields, who, async (path, values, user) => {
        const before = await rowCounts();
        const response = await server.request(path, {
          method: "POST",
          body: new URLSearchParams(values).toString(),
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            origin: server.origin,
            cookie: cookie[user] ?? "",
          },
        });
        await expectCleanAnswer(response);
        if (response.status >= 400) expect(await rowCounts()).toEqual(before);
      }),
      { numRuns: propertyRuns(250) },
    );
  });

  it("the list pages read garbage filters without failing", async () => {
    const query = fc.dictionary(
      fc.constantFrom("status", "category", "urgency", "communityId", "olderThanDays", "page", "pageSize"),
      formValue,
    );
    await fc.assert(
      fc.asyncProperty(query, who, async (params, user) => {
        const search = new URLSearchParams(params).toString();
        for (const path of ["/needs", "/workbench/needs", "/me/needs"]) {
          const response = await server.request(`${path}?${search}`, {
            headers: { cookie: cookie[user] ?? "" },
          });
          await expectCleanAnswer(response);
        }
      }),
      { numRuns: propertyRuns(80) },
    );
  });
});
