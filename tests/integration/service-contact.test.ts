import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  type createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createProvider, createService, makeUscc } from "../../prisma/factories/marketplace";
import { decodeEntities, maskOf, pagesOf, joinedText as textOf } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Issue #15 item 6 (ADR 0030): a service page is no dead end. The business phone a provider gave to
// be public is shown in full with a tap-to-call link (its contact person's phone stays masked), and
// 「我要这个服务」 starts a need that names the service, which the worker and the provider see and
// matching puts first.

let server: TestServer;
let fx: TerritoryFixture;
let owner: Awaited<ReturnType<typeof createUser>>;
let provider: Awaited<ReturnType<typeof createProvider>>;
let service: Awaited<ReturnType<typeof createService>>;
const BUSINESS_PHONE = "057188881234";
const CONTACT_PHONE = "13987654321";

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  owner = await createResident(db(), fx.communities.a1.id);
  provider = await createProvider(db(), {
    kind: "MERCHANT",
    communityIds: [fx.communities.a1.id, fx.communities.a2.id],
    contactPhone: CONTACT_PHONE,
    businessPhone: BUSINESS_PHONE,
    members: [{ userId: owner.id }],
  });
  service = await createService(db(), {
    providerId: provider.id,
    communityIds: [fx.communities.a1.id, fx.communities.a2.id],
    title: "上门维修水龙头",
    category: "housekeeping",
  });
});

const { cookieOf, page, submit } = pagesOf(() => server, { html: textOf });

const needInput = (overrides: Record<string, unknown> = {}) => ({
  title: "卫生间水龙头漏水",
  description: "家里卫生间水龙头漏水，想找人上门修一下。",
  category: "housekeeping",
  ...overrides,
});

const postNeed = async (json: unknown, userId = fx.users.residentA1.id) =>
  server.json("/api/v1/needs", { method: "POST", json, token: await tokenFor(userId) });

describe("the business phone", () => {
  it("is shown in full with tap-to-call on the service and provider pages; the contact person's stays masked", async () => {
    for (const path of [`/services/${service.id}`, `/providers/${provider.id}`]) {
      const { status, html } = await page(path);
      expect(status).toBe(200);
      expect(html).toContain(`href="tel:${BUSINESS_PHONE}"`);
      expect(html).toContain(BUSINESS_PHONE);
      expect(html).not.toContain(CONTACT_PHONE);
    }
    const providerPage = await page(`/providers/${provider.id}`);
    expect(providerPage.html).toContain(maskOf(CONTACT_PHONE));

    const api = await server.json(`/api/v1/services/${service.id}`);
    expect(api.body.provider.businessPhone).toBe(BUSINESS_PHONE);
    const profile = await server.json(`/api/v1/providers/${provider.id}`);
    expect(profile.body.provider).toMatchObject({
      businessPhone: BUSINESS_PHONE,
      contactPhoneMasked: maskOf(CONTACT_PHONE),
    });
    expect(profile.body.provider.contactPhone).toBeUndefined();
  });

  it("is offered on the application form as public, and stored normalised when an applicant gives one", async () => {
    const form = await page("/providers/apply", await cookieOf(fx.users.residentA1));
    expect(form.html).toContain('name="businessPhone"');
    expect(form.html).toContain("此电话将公开显示，供居民联系");

    const token = await tokenFor(fx.users.residentA1.id);
    const application = {
      kind: "MERCHANT",
      name: "便民维修店",
      uscc: makeUscc("MERCHANT"),
      contactName: "王师傅",
      contactPhone: "13912345678",
      address: "幸福路12号底商",
      description: "为居民上门维修水电、家电。",
      communityIds: [fx.communities.a1.id],
    };
    const res = await server.json("/api/v1/providers", {
      method: "POST",
      json: { ...application, businessPhone: "０５７１-8888 5678" },
      token,
    });
    expect(res.status).toBe(201);
    expect(res.body.provider.businessPhone).toBe("057188885678");
    const stored = await db().provider.findUniqueOrThrow({ where: { id: res.body.provider.id } });
    expect(stored.businessPhone).toBe("057188885678");
  });

  it.each([["12345"], ["call me"], [12345], [["057188881234"]], ["0".repeat(41)]])(
    "refuses businessPhone %j with a field error and keeps the stored one",
    async (bad) => {
      const res = await server.json(`/api/v1/providers/${provider.id}`, {
        method: "PATCH",
        json: { businessPhone: bad },
        token: await tokenFor(owner.id),
      });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.businessPhone).toMatch(/固定电话/);
      const stored = await db().provider.findUniqueOrThrow({ where: { id: provider.id } });
      expect(stored.businessPhone).toBe(BUSINESS_PHONE);
    },
  );

  it("is removed by sending it blank, and then the pages offer no call link", async () => {
    const res = await server.json(`/api/v1/providers/${provider.id}`, {
      method: "PATCH",
      json: { businessPhone: "" },
      token: await tokenFor(owner.id),
    });
    expect(res.status).toBe(200);
    expect(res.body.provider.businessPhone).toBeNull();
    const { html } = await page(`/services/${service.id}`);
    expect(html).not.toContain("tel:");
    expect(html).toContain("我要这个服务");
  });
});

describe("「我要这个服务」", () => {
  it("sends a signed-out resident through sign-in back to the form, pre-filled with the service", async () => {
    const servicePage = await page(`/services/${service.id}`);
    const wanted = `/needs/new?serviceId=${service.id}`;
    expect(decodeEntities(servicePage.html)).toContain(`href="${wanted}"`);

    const anonymous = await page(wanted);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?redirectTo=${encodeURIComponent(wanted)}`);
    const signIn = await submit("/login", "", {
      phone: fx.users.residentA1.phone,
      password: fx.users.residentA1.password,
      redirectTo: wanted,
    });
    expect(signIn.status).toBe(302);
    expect(signIn.location).toBe(wanted);

    const form = await page(wanted, await cookieOf(fx.users.residentA1));
    expect(form.status).toBe(200);
    expect(form.html).toContain(`name="requestedServiceId" value="${service.id}"`);
    expect(form.html).toContain(`href="/services/${service.id}"`);
    expect(form.html).toContain('value="上门维修水龙头"');
    expect(form.html).toContain('<option value="housekeeping" selected="">');
  });

  it("posts a need naming the service, shown with a link to the worker and to the provider", async () => {
    const cookie = await cookieOf(fx.users.residentA1);
    const posted = await submit(`/needs/new?serviceId=${service.id}`, cookie, {
      ...needInput({ urgency: "NORMAL", preferredTime: "" }),
      communityId: fx.communities.a1.id,
      requestedServiceId: service.id,
    } as Record<string, string>);
    expect(posted.status).toBe(302);
    const need = await db().need.findFirstOrThrow({ where: { requesterId: fx.users.residentA1.id } });
    expect(need.requestedServiceId).toBe(service.id);

    for (const reader of [fx.users.workerA1, owner]) {
      const { status, html } = await page(`/needs/${need.id}`, await cookieOf(reader));
      expect(status).toBe(200);
      expect(html).toContain("居民选择的服务");
      expect(html).toContain(`href="/services/${service.id}"`);
    }
  });

  it("is accepted by the API and read back, and matching suggests the service first", async () => {
    // Another service of the need's own category, so the requested one is first by choice, not alone.
    const other = await createProvider(db(), { communityIds: [fx.communities.a1.id] });
    await createService(db(), {
      providerId: other.id,
      communityIds: [fx.communities.a1.id],
      category: "elderly-care",
    });
    const res = await postNeed(needInput({ category: "elderly-care", requestedServiceId: service.id }));
    expect(res.status).toBe(201);
    expect(res.body.need.requestedService).toMatchObject({
      id: service.id,
      title: "上门维修水龙头",
      providerId: provider.id,
    });
    const needId = res.body.need.id;
    const read = await server.json(`/api/v1/needs/${needId}`, {
      token: await tokenFor(fx.users.workerA1.id),
    });
    expect(read.body.need.requestedService.id).toBe(service.id);

    const matches = await server.json(`/api/v1/needs/${needId}/matches`, {
      token: await tokenFor(fx.users.workerA1.id),
    });
    expect(matches.status).toBe(200);
    expect(matches.body.items[0].service.id).toBe(service.id);
    expect(matches.body.items[0].reasons[0]).toBe("居民选择的服务");

    const forProvider = await server.json(`/api/v1/providers/${provider.id}/suggested-needs`, {
      token: await tokenFor(owner.id),
    });
    expect(forProvider.status).toBe(200);
    expect(forProvider.body.items[0].need.id).toBe(needId);
    expect(forProvider.body.items[0].reasons[0]).toBe("居民选择的服务");
  });

  it("refuses a service that is not public with a field error and writes no need", async () => {
    const draft = await createService(db(), {
      providerId: provider.id,
      communityIds: [fx.communities.a1.id],
      status: "DRAFT",
    });
    const archived = await createService(db(), {
      providerId: provider.id,
      communityIds: [fx.communities.a1.id],
      status: "ARCHIVED",
    });
    const suspended = await createProvider(db(), {
      communityIds: [fx.communities.a1.id],
      status: "SUSPENDED",
    });
    const ofSuspended = await createService(db(), {
      providerId: suspended.id,
      communityIds: [fx.communities.a1.id],
    });
    for (const id of [draft.id, archived.id, ofSuspended.id, "cl0000000000000000000000"]) {
      const res = await postNeed(needInput({ requestedServiceId: id }));
      expect(res.status).toBe(400);
      expect(res.body.error.fields.requestedServiceId).toBe("所选服务不存在或已下架，请回到服务页面重新选择");
    }
    expect(await db().need.count()).toBe(0);
  });

  it.each([[42], [["x"]], [{ id: "x" }], ["../../etc"], ["a".repeat(300)], ["' OR 1=1 --"]])(
    "answers requestedServiceId %j with a 400 field error, never a 500",
    async (bad) => {
      const res = await postNeed(needInput({ requestedServiceId: bad }));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION");
      expect(res.body.error.fields.requestedServiceId).toEqual(expect.any(String));
      expect(await db().need.count()).toBe(0);
    },
  );

  it("opens a blank form for an unknown or hidden service instead of failing", async () => {
    const draft = await createService(db(), {
      providerId: provider.id,
      communityIds: [fx.communities.a1.id],
      status: "DRAFT",
      title: "草稿服务",
    });
    const cookie = await cookieOf(fx.users.residentA1);
    for (const id of [draft.id, "nonsense", "cl0000000000000000000000"]) {
      const { status, html } = await page(`/needs/new?serviceId=${id}`, cookie);
      expect(status).toBe(200);
      expect(html).not.toContain('name="requestedServiceId"');
      expect(html).not.toContain("草稿服务");
    }
  });
});
