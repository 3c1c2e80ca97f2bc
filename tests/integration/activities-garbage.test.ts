import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { expectCleanAnswer, garbageValue, LOOSE_NUMBERS } from "../setup/garbage";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";
import { propertyRuns } from "../setup/sweeps";

// Every activities endpoint fed generated garbage: never a 5xx or a leak, and a rejected request
// writes nothing.

let server: TestServer;
let fx: TerritoryFixture;
let activityId: string;
const token: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  for (const [key, user] of Object.entries(fx.users)) token[key] = await tokenFor(user.id);
  const activity = await db().activity.create({
    data: {
      title: "健康讲座",
      description: "社区医生讲高血压的日常管理。",
      category: "medical",
      communityId: fx.communities.a1.id,
      venue: "活动室",
      startsAt: new Date(Date.now() + 3600_000),
      endsAt: new Date(Date.now() + 7200_000),
      capacity: 5,
      status: "PUBLISHED",
      createdById: fx.users.workerA1.id,
    },
  });
  activityId = activity.id;
});

async function rowCounts() {
  const [activities, registrations, audits, outbox, notifications] = await Promise.all([
    db().activity.count(),
    db().registration.count(),
    db().auditLog.count(),
    db().outboxEvent.count(),
    db().notification.count(),
  ]);
  return {
    activities,
    registrations,
    audits,
    outbox,
    notifications,
    walkIns: (await db().activity.findFirst())?.walkIns,
  };
}

const KEYS = [
  "title",
  "description",
  "category",
  "communityId",
  "venue",
  "startsAt",
  "endsAt",
  "capacity",
  "publish",
  "providerIds",
  "needIds",
  "serviceId",
  "organiserProviderId",
  "code",
  "count",
  "phone",
  "reason",
];
const body = fc.dictionary(
  fc.constantFrom(...KEYS),
  garbageValue(["2026-12-01T09:30", "123456", "elderly-care"]),
  { maxKeys: 6 },
);

describe("activities endpoints fed garbage", () => {
  it("POST bodies", async () => {
    const paths = fc.constantFrom(
      "/api/v1/activities",
      "/api/v1/activities/ID/publish",
      "/api/v1/activities/ID/cancel",
      "/api/v1/activities/ID/check-ins",
      "/api/v1/activities/ID/walk-ins",
      "/api/v1/activities/ID/registrations",
      "/api/v1/activities/nope/registrations",
    );
    await fc.assert(
      fc.asyncProperty(
        paths,
        body,
        fc.constantFrom("workerA1", "residentA1", "districtAdmin"),
        async (path, json, who) => {
          const before = await rowCounts();
          const response = await server.request(path.replace("ID", activityId), {
            method: "POST",
            json,
            token: token[who],
          });
          await expectCleanAnswer(response);
          // Some garbage is a valid request ({} registers the caller); a rejected one changes nothing.
          if (response.status >= 400) expect(await rowCounts()).toEqual(before);
        },
      ),
      { numRuns: propertyRuns(200) },
    );
  });

  it("PATCH bodies and GET query strings", async () => {
    const before = await db().activity.findUniqueOrThrow({ where: { id: activityId } });
    await fc.assert(
      fc.asyncProperty(body, async (json) => {
        const response = await server.request(`/api/v1/activities/${activityId}`, {
          method: "PATCH",
          json,
          token: token.residentA1,
        });
        await expectCleanAnswer(response);
        expect(response.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: propertyRuns(80) },
    );
    expect(await db().activity.findUniqueOrThrow({ where: { id: activityId } })).toEqual(before);
    const query = fc.dictionary(
      fc.constantFrom(
        "communityId",
        "subdistrictId",
        "category",
        "status",
        "from",
        "to",
        "when",
        "page",
        "pageSize",
      ),
      fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom("upcoming", "DRAFT", "2026-12-01T09:30", "-1", "\u0000"),
      ),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(query, async (params) => {
        await expectCleanAnswer(await server.request(`/api/v1/activities?${new URLSearchParams(params)}`));
      }),
      { numRuns: propertyRuns(120) },
    );
  });

  it("reads whole numbers and calendar days strictly, and says which field is wrong", async () => {
    const valid = {
      title: "健康讲座",
      description: "社区医生讲高血压的日常管理。",
      communityId: fx.communities.a1.id,
      venue: "活动室",
      startsAt: "2030-03-01T09:30",
      endsAt: "2030-03-01T11:30",
    };
    const before = await rowCounts();
    for (const capacity of LOOSE_NUMBERS) {
      const created = await server.request("/api/v1/activities", {
        method: "POST",
        json: { ...valid, capacity },
        token: token.workerA1,
      });
      expect(created.status, JSON.stringify(capacity)).toBe(400);
      expect((await created.json()).error.fields).toEqual({ capacity: "名额应为整数" });
      const walkIns = await server.request(`/api/v1/activities/${activityId}/walk-ins`, {
        method: "POST",
        json: { count: capacity },
        token: token.workerA1,
      });
      expect(walkIns.status, JSON.stringify(capacity)).toBe(400);
      expect((await walkIns.json()).error.fields).toEqual({ count: "现场人数应为整数" });
    }
    for (const startsAt of ["2030-02-29T09:30", "2030-04-31T09:30", "2030-03-01T24:00", "2030-03-01T09:60"]) {
      const created = await server.request("/api/v1/activities", {
        method: "POST",
        json: { ...valid, startsAt, capacity: 3 },
        token: token.workerA1,
      });
      expect(created.status, startsAt).toBe(400);
      expect(Object.keys((await created.json()).error.fields), startsAt).toEqual(["startsAt"]);
    }
    expect(await rowCounts()).toEqual(before);

    // The list no longer rolls 29 February over to 1 March.
    const list = await server.request("/api/v1/activities?from=2026-02-29");
    expect(list.status).toBe(400);
    expect(Object.keys((await list.json()).error.fields)).toEqual(["from"]);
    for (const page of ["0x1", " 1 ", "1e0"]) {
      const paged = await server.request(`/api/v1/activities?page=${encodeURIComponent(page)}`);
      expect(paged.status, page).toBe(400);
      expect((await paged.json()).error.fields).toEqual({ page: "页码应为整数" });
    }
    const good = await server.request("/api/v1/activities?from=2028-02-29&page=1&pageSize=5");
    expect(good.status).toBe(200);
  });
});
