import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createProvider } from "../../prisma/factories/marketplace";
import { expectCleanAnswer, garbageValue, NASTY_STRINGS } from "../setup/garbage";
import { sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// The provider endpoints and forms fed generated garbage: never a 5xx, never a stack trace or SQL in
// the answer, and a rejected request writes nothing.

let server: TestServer;
let fx: TerritoryFixture;
let providerId: string;
let ownerToken: string;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const provider = await createProvider(db(), {
    communityIds: [fx.communities.a1.id],
    status: "PENDING",
    members: [{ userId: fx.users.residentA1.id }],
  });
  providerId = provider.id;
  ownerToken = await tokenFor(fx.users.residentA1.id);
  adminToken = await tokenFor(fx.users.districtAdmin.id);
});

const EXTRA_STRINGS = ["９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"];

const garbage = garbageValue(EXTRA_STRINGS);

/** Percent-encodes as a client would. A lone surrogate (which no client can encode) goes into query
 * strings as the invalid UTF-8 bytes a broken client might send; in paths as U+FFFD, because the
 * express layer answers malformed path escapes itself, before the app sees the request. */
const encodeWith = (lone: string) => (text: string) =>
  Array.from(text, (c) => (/^[\uD800-\uDFFF]$/.test(c) ? lone : encodeURIComponent(c))).join("");
const encodeQuery = encodeWith("%ED%A0%80");
const encodePath = encodeWith(encodeURIComponent("\uFFFD"));

async function rowCounts() {
  const [providers, members, communities, audits, outbox, provider] = await Promise.all([
    db().provider.count(),
    db().providerMember.count(),
    db().providerCommunity.count(),
    db().auditLog.count(),
    db().outboxEvent.count(),
    db().provider.findUniqueOrThrow({ where: { id: providerId }, select: { status: true, version: true } }),
  ]);
  return { providers, members, communities, audits, outbox, provider };
}

const APPLICATION_KEYS = [
  "kind",
  "name",
  "uscc",
  "contactName",
  "contactPhone",
  "address",
  "description",
  "communityIds",
  "subdistrictIds",
];

describe("provider API endpoints fed garbage", () => {
  // Paths and tokens are read when a test runs: the provider and tokens are made before each test.
  const endpoints = [
    {
      label: "POST /api/v1/providers",
      method: "POST",
      path: () => "/api/v1/providers",
      keys: APPLICATION_KEYS,
      staff: false,
    },
    {
      label: "PATCH /api/v1/providers/{id}",
      method: "PATCH",
      path: () => `/api/v1/providers/${providerId}`,
      keys: APPLICATION_KEYS,
      staff: false,
    },
    {
      label: "POST review",
      method: "POST",
      path: () => `/api/v1/providers/${providerId}/review`,
      keys: ["decision", "reason"],
      staff: true,
    },
    {
      label: "POST suspend",
      method: "POST",
      path: () => `/api/v1/providers/${providerId}/suspend`,
      keys: ["reason"],
      staff: true,
    },
    {
      label: "POST restore",
      method: "POST",
      path: () => `/api/v1/providers/${providerId}/restore`,
      keys: ["reason"],
      staff: true,
    },
    {
      label: "POST members",
      method: "POST",
      path: () => `/api/v1/providers/${providerId}/members`,
      keys: ["phone"],
      staff: false,
    },
  ];

  for (const endpoint of endpoints) {
    it(`${endpoint.label}: no 5xx, no leaks, nothing written when rejected`, async () => {
      const shaped = fc.record(Object.fromEntries(endpoint.keys.map((key) => [key, garbage])), {
        requiredKeys: [],
      });
      const body = fc.oneof(
        shaped.map((value) => JSON.stringify(value)),
        fc.jsonValue().map((value) => JSON.stringify(value)),
        fc.string({ maxLength: 300 }),
      );
      await fc.assert(
        fc.asyncProperty(body, async (text) => {
          const before = await rowCounts();
          const response = await server.request(endpoint.path(), {
            method: endpoint.method,
            body: text,
            headers: { "content-type": "application/json" },
            token: endpoint.staff ? adminToken : ownerToken,
          });
          const answer = await expectCleanAnswer(response);
          if (response.status >= 400) {
            expect(JSON.parse(answer).error.code).toEqual(expect.any(String));
            expect(await rowCounts()).toEqual(before);
          }
        }),
        { numRuns: propertyRuns(100) },
      );
    });
  }

  it("GET and DELETE endpoints fed garbage ids and query strings", async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.constantFrom(...[...NASTY_STRINGS, ...EXTRA_STRINGS]),
    );
    await fc.assert(
      fc.asyncProperty(text, text, async (id, query) => {
        const before = await rowCounts();
        const q = encodeQuery(query);
        for (const [method, path, token] of [
          ["GET", `/api/v1/providers?status=${q}&kind=${q}&communityId=${q}&page=${q}`, adminToken],
          [
            "GET",
            `/api/v1/providers/directory?kind=${q}&subdistrictId=${q}&communityId=${q}&pageSize=${q}`,
            undefined,
          ],
          ["GET", `/api/v1/providers/${encodePath(id)}`, ownerToken],
          ["DELETE", `/api/v1/providers/${providerId}/members/${encodePath(id)}`, ownerToken],
          ["DELETE", `/api/v1/providers/${encodePath(id)}/members/${fx.users.residentA1.id}`, ownerToken],
        ] as const) {
          const response = await server.request(path, { method, token });
          await expectCleanAnswer(response);
        }
        expect(await rowCounts()).toEqual(before);
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});

describe("provider pages fed garbage", () => {
  const cookieOf = (userId: string) => sessionCookie(server, userId);

  it("the apply, dashboard and review forms never answer 5xx or half-write", async () => {
    const owner = await cookieOf(fx.users.residentA1.id);
    const admin = await cookieOf(fx.users.districtAdmin.id);
    const fields = fc.dictionary(
      fc.constantFrom(
        ...APPLICATION_KEYS,
        `community:${fx.communities.a1.id}`,
        `subdistrict:${fx.subdistricts.b.id}`,
        "community:\u0000",
        "subdistrict:../x",
        "intent",
        "decision",
        "reason",
        "phone",
        "userId",
      ),
      fc.oneof(
        fc.string({ maxLength: 100 }),
        fc.constantFrom(
          ...[...NASTY_STRINGS, ...EXTRA_STRINGS],
          "update",
          "addMember",
          "removeMember",
          "review",
          "suspend",
          "restore",
        ),
      ),
    );
    const targets = [
      { path: "/providers/apply", cookie: owner },
      { path: `/me/providers/${providerId}`, cookie: owner },
      { path: `/workbench/providers/${providerId}`, cookie: admin },
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fields, async (target, values) => {
        const before = await rowCounts();
        const response = await server.request(target.path, {
          method: "POST",
          body: new URLSearchParams(values),
          headers: { cookie: target.cookie, origin: server.origin },
        });
        await expectCleanAnswer(response);
        if (response.status >= 400) expect(await rowCounts()).toEqual(before);
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it("the list pages and profile pages take garbage queries and ids without a 5xx", async () => {
    const admin = await cookieOf(fx.users.districtAdmin.id);
    const text = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.constantFrom(...[...NASTY_STRINGS, ...EXTRA_STRINGS]),
    );
    await fc.assert(
      fc.asyncProperty(text, text, async (id, query) => {
        const q = encodeQuery(query);
        for (const path of [
          `/providers?kind=${q}&subdistrictId=${q}&communityId=${q}&page=${q}`,
          `/workbench/providers?status=${q}&kind=${q}&communityId=${q}`,
          `/providers/${encodePath(id)}`,
          `/workbench/providers/${encodePath(id)}`,
        ]) {
          const response = await server.request(path, { headers: { cookie: admin } });
          await expectCleanAnswer(response);
        }
      }),
      { numRuns: propertyRuns(40) },
    );
  });
});
