import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { expectCleanAnswer, garbageValue, NASTY_STRINGS, tableCounts } from "../setup/garbage";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// Every endpoint fed generated garbage: never a 5xx, never a stack trace or SQL in the answer, and a
// rejected request writes nothing.

let server: TestServer;
let fx: TerritoryFixture;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  adminToken = await tokenFor(fx.users.districtAdmin.id);
});

const garbage = garbageValue();

describe("API endpoints fed garbage", () => {
  const endpoints = [
    { path: "/api/v1/auth/register", keys: ["phone", "password", "name", "communityId"], auth: false },
    { path: "/api/v1/auth/token", keys: ["phone", "password"], auth: false },
    { path: "/api/v1/staff", keys: ["phone", "password", "name", "role", "scopeId"], auth: true },
  ];

  for (const endpoint of endpoints) {
    it(`POST ${endpoint.path}: no 5xx, no leaks, nothing written when rejected`, async () => {
      const shaped = fc.record(Object.fromEntries(endpoint.keys.map((key) => [key, garbage])), {
        requiredKeys: [],
      });
      const body = fc.oneof(
        shaped.map((value) => JSON.stringify(value)),
        fc.jsonValue().map((value) => JSON.stringify(value)),
        fc.string({ maxLength: 300 }),
      );
      await fc.assert(
        fc.asyncProperty(body, fc.ipV4(), async (text, ip) => {
          const before = await tableCounts();
          const response = await server.request(endpoint.path, {
            method: "POST",
            body: text,
            headers: { "content-type": "application/json" },
            token: endpoint.auth ? adminToken : undefined,
            ip,
          });
          const answer = await expectCleanAnswer(response);
          if (response.status >= 400) {
            expect(JSON.parse(answer).error.code).toEqual(expect.any(String));
            expect(await tableCounts()).toEqual(before);
          }
        }),
        { numRuns: propertyRuns(150) },
      );
    });
  }

  it("GET and DELETE endpoints fed garbage tokens and query strings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.string({ maxLength: 100 }), async (token, query) => {
        for (const [method, path] of [
          ["GET", "/api/v1/me"],
          ["DELETE", "/api/v1/auth/token"],
          ["GET", "/api/v1/staff"],
          ["GET", `/api/v1/territory?${encodeURIComponent(query)}`],
        ] as const) {
          const response = await server.request(path, {
            method,
            headers: { authorization: `Bearer ${token.replace(/[^\x21-\x7e]/g, "x")}` },
          });
          await expectCleanAnswer(response);
        }
      }),
      { numRuns: propertyRuns(60) },
    );
  });
});

describe("malformed addresses", () => {
  it.each(["/%ED%A0%80", "/api/v1/%E0%A4%A", "/needs/%", "/api/v1/needs/%ZZ"])(
    "GET %s answers a short 4xx without a stack trace",
    async (path) => {
      const response = await server.request(path);
      expect(response.status).toBeGreaterThanOrEqual(400);
      await expectCleanAnswer(response);
    },
  );
});

describe("web forms fed garbage", () => {
  it("login, register, elder mode and workbench forms never answer 5xx or half-write", async () => {
    const signedIn = await server.request("/login", {
      method: "POST",
      body: new URLSearchParams({
        phone: fx.users.districtAdmin.phone,
        password: fx.users.districtAdmin.password,
      }),
    });
    const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^__session=/);

    const fields = fc.dictionary(
      fc.constantFrom(
        "phone",
        "password",
        "name",
        "communityId",
        "subdistrictId",
        "districtId",
        "kind",
        "intent",
        "role",
        "scopeId",
        "redirectTo",
        "elderMode",
      ),
      fc.oneof(fc.string({ maxLength: 100 }), fc.constantFrom(...NASTY_STRINGS)),
    );
    const paths = [
      "/login",
      "/register",
      "/settings/elder-mode",
      "/workbench/territory",
      "/workbench/staff",
      "/logout",
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fields, async (path, values) => {
        const before = await tableCounts();
        const response = await server.request(path, {
          method: "POST",
          body: new URLSearchParams(values),
          headers: path.startsWith("/workbench") ? { cookie } : {},
        });
        await expectCleanAnswer(response);
        if (response.status >= 400) expect(await tableCounts()).toEqual(before);
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});
