import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { communityCheckboxName } from "~/domain/services/services.schema";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, createUser, type TerritoryFixture } from "../../prisma/factories";
import { createProvider, createService } from "../../prisma/factories/marketplace";
import { expectCleanAnswer, garbageValue, NASTY_STRINGS } from "../setup/garbage";
import { sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// The service endpoints and forms fed generated garbage, alone and mixed into otherwise valid
// input: never a 5xx, never a stack trace or SQL in the answer, and a rejected request writes nothing.

let server: TestServer;
let fx: TerritoryFixture;
let providerId: string;
let serviceId: string;
let ownerToken: string;
let ownerCookie: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const owner = await createUser(db());
  const provider = await createProvider(db(), {
    communityIds: [fx.communities.a1.id, fx.communities.a2.id],
    members: [{ userId: owner.id }],
  });
  providerId = provider.id;
  serviceId = (
    await createService(db(), { providerId, communityIds: [fx.communities.a1.id], status: "DRAFT" })
  ).id;
  ownerToken = await tokenFor(owner.id);
  ownerCookie = await sessionCookie(server, owner.id);
});

const EXTRA_STRINGS = ["１２．３４５", "-0"];

const garbage = garbageValue(EXTRA_STRINGS);

/** Any string as a URL part; a lone surrogate, which encodeURIComponent refuses, goes as U+FFFD
 * (what a browser sends). */
function segment(text: string) {
  try {
    return encodeURIComponent(text);
  } catch {
    return "%EF%BF%BD";
  }
}

async function rowCounts() {
  const [services, links, audits, outbox] = await Promise.all([
    db().service.count(),
    db().serviceCommunity.count(),
    db().auditLog.count(),
    db().outboxEvent.count(),
  ]);
  return { services, links, audits, outbox };
}

const validBody = () => ({
  providerId,
  title: "老年人助浴上门服务",
  description: "每周二、周四上门为行动不便的老人助浴。",
  category: "elderly-care",
  communityIds: [fx.communities.a1.id],
  funding: "PAID",
  priceFen: 5000,
  capacityPerWeek: 10,
});
const KEYS = [
  "providerId",
  "title",
  "description",
  "category",
  "communityIds",
  "funding",
  "priceFen",
  "capacityPerWeek",
  "status",
];

/** Whole garbage bodies, garbage objects with the right keys, and valid bodies with some fields
 * swapped for garbage (which reach the domain checks). */
const bodies = fc.oneof(
  fc
    .record(Object.fromEntries(KEYS.map((key) => [key, garbage])), { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
  fc
    .dictionary(fc.constantFrom(...KEYS), garbage, { minKeys: 1, maxKeys: 3 })
    .map((swaps) => JSON.stringify({ ...validBody(), ...swaps })),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 300 }),
);

describe("service API fed garbage", () => {
  it("POST /api/v1/services and PATCH /api/v1/services/:id: no 5xx, no leaks, nothing written when rejected", async () => {
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom("POST", "PATCH"), async (body, method) => {
        const before = await rowCounts();
        const response = await server.request(
          method === "POST" ? "/api/v1/services" : `/api/v1/services/${serviceId}`,
          {
            method,
            body,
            headers: { "content-type": "application/json" },
            token: ownerToken,
          },
        );
        const answer = await expectCleanAnswer(response);
        if (response.status >= 400) {
          expect(JSON.parse(answer).error.code).toEqual(expect.any(String));
          expect(await rowCounts()).toEqual(before);
        }
      }),
      { numRuns: propertyRuns(200) },
    );
  });

  it("ids, query strings and bodies in the other service endpoints", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom(...[...NASTY_STRINGS, ...EXTRA_STRINGS])),
        fc.string({ maxLength: 200 }),
        async (id, query) => {
          const before = await rowCounts();
          const path = `/api/v1/services/${segment(id)}`;
          for (const [method, target] of [
            ["GET", path],
            ["PATCH", path],
            ["POST", `${path}/publish`],
            ["POST", `${path}/archive`],
            ["GET", `/api/v1/services?${query}`],
            ["GET", `/api/v1/services?category=${segment(id)}&communityId=${segment(id)}`],
            ["GET", `/api/v1/categories?${query}`],
          ] as const) {
            const response = await server.request(target, {
              method,
              token: ownerToken,
              body: method === "GET" ? undefined : JSON.stringify({ title: id }),
              headers: { "content-type": "application/json" },
            });
            await expectCleanAnswer(response);
          }
          expect(await rowCounts()).toEqual(before);
        },
      ),
      { numRuns: propertyRuns(60) },
    );
  });
});

describe("service pages fed garbage", () => {
  it("the service form, the list actions and the detail actions never answer 5xx or half-write", async () => {
    const fieldNames = fc.oneof(
      fc.constantFrom(
        "title",
        "description",
        "category",
        "funding",
        "priceYuan",
        "capacityPerWeek",
        "intent",
        "serviceId",
        communityCheckboxName(fx.communities.a1.id),
        communityCheckboxName(fx.communities.b1.id),
      ),
      fc.string({ maxLength: 40 }).map((name) => communityCheckboxName(name)),
    );
    const fields = fc.dictionary(
      fieldNames,
      fc.oneof(
        fc.string({ maxLength: 100 }),
        fc.constantFrom(
          ...[...NASTY_STRINGS, ...EXTRA_STRINGS],
          "publish",
          "draft",
          "archive",
          "save",
          "toString",
          "constructor",
        ),
      ),
    );
    const paths = [
      `/me/providers/${providerId}/services/new`,
      `/me/providers/${providerId}/services/${serviceId}/edit`,
      `/me/providers/${providerId}/services`,
      `/services/${serviceId}`,
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fields, async (path, values) => {
        const before = await rowCounts();
        const response = await server.request(path, {
          method: "POST",
          body: new URLSearchParams(values).toString(),
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            origin: server.origin,
            cookie: ownerCookie,
          },
        });
        await expectCleanAnswer(response);
        if (response.status >= 400) expect(await rowCounts()).toEqual(before);
      }),
      { numRuns: propertyRuns(150) },
    );
  });

  it("the browse page and detail addresses fed garbage query strings and ids", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(...[...NASTY_STRINGS, ...EXTRA_STRINGS]),
        async (query, id) => {
          for (const path of [
            `/services?${query}`,
            `/services?subdistrictId=${segment(id)}&page=${segment(query)}`,
            `/services/${segment(id)}`,
            `/me/providers/${segment(id)}/services`,
            `/me/providers/${providerId}/services/${segment(id)}/edit`,
          ]) {
            await expectCleanAnswer(await server.request(path, { headers: { cookie: ownerCookie } }));
          }
        },
      ),
      { numRuns: propertyRuns(40) },
    );
  });
});
