import http from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { createTerritoryFixture, DEFAULT_PASSWORD, type TerritoryFixture } from "../../prisma/factories";
import { startTestServer, type TestServer } from "../setup/server";

let server: TestServer;
let fx: TerritoryFixture;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const registration = (overrides: Record<string, unknown> = {}) => ({
  phone: "13912345678",
  password: "a-good-password",
  name: "王秀英",
  communityId: fx.communities.a1.id,
  ...overrides,
});

describe("POST /api/v1/auth/register", () => {
  it("creates a resident of the chosen community and masks the phone", async () => {
    const res = await server.json("/api/v1/auth/register", { json: registration() });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      name: "王秀英",
      phoneMasked: "139****5678",
      roles: [{ role: "RESIDENT", scopeType: "COMMUNITY", scopeId: fx.communities.a1.id }],
    });
    expect(JSON.stringify(res.body)).not.toContain("13912345678");
    const stored = await db().user.findUniqueOrThrow({ where: { phone: "13912345678" } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored.communityId).toBe(fx.communities.a1.id);
    expect(await db().auditLog.count({ where: { action: "account.register", targetId: stored.id } })).toBe(1);
  });

  it.each([
    ["phone", { phone: "12345678901" }],
    ["phone", { phone: 13912345678 }],
    ["password", { password: "short" }],
    ["name", { name: "   " }],
    ["communityId", { communityId: "" }],
  ])("rejects a bad %s with a field error and writes nothing", async (field, overrides) => {
    const res = await server.json("/api/v1/auth/register", { json: registration(overrides) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION");
    expect(res.body.error.fields[field]).toEqual(expect.any(String));
    expect(await db().user.count({ where: { phone: "13912345678" } })).toBe(0);
  });

  it("rejects an unknown community as a field error", async () => {
    const res = await server.json("/api/v1/auth/register", {
      json: registration({ communityId: "no-such-id" }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.communityId).toContain("社区");
  });

  it("answers 409 for a phone that is already registered", async () => {
    expect((await server.json("/api/v1/auth/register", { json: registration() })).status).toBe(201);
    const again = await server.json("/api/v1/auth/register", { json: registration({ name: "另一个人" }) });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "CONFLICT", fields: { phone: expect.any(String) } });
  });

  it("parallel sign-ups for one phone give one account and 409s on the phone field, never a 500", async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        server.json("/api/v1/auth/register", { json: registration(), ip: `10.7.1.${i + 1}` }),
      ),
    );
    expect(answers.filter((res) => res.status === 201)).toHaveLength(1);
    for (const res of answers.filter((r) => r.status !== 201)) {
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: "CONFLICT", fields: { phone: expect.any(String) } });
    }
    expect(await db().user.count({ where: { phone: "13912345678" } })).toBe(1);
  });

  it("counts every attempt against the per-IP limit, so 409s cannot enumerate registered phones", async () => {
    const ip = "10.7.0.1";
    const taken = fx.users.residentA1.phone;
    for (let i = 0; i < 30; i += 1) {
      const res = await server.json("/api/v1/auth/register", { json: registration({ phone: taken }), ip });
      expect(res.status).toBe(409);
    }
    const limited = await server.json("/api/v1/auth/register", { json: registration({ phone: taken }), ip });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("answers 400 for malformed JSON and 413 for a huge body", async () => {
    const broken = await server.json("/api/v1/auth/register", {
      method: "POST",
      body: '{"phone": "1391',
      headers: { "content-type": "application/json" },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe("VALIDATION");
    const huge = await server.json("/api/v1/auth/register", {
      json: registration({ name: "长".repeat(100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await db().user.count({ where: { phone: "13912345678" } })).toBe(0);
    for (const body of ["[]", "null", "42", '"text"']) {
      const res = await server.json("/api/v1/auth/register", {
        method: "POST",
        body,
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(400);
    }
  });
});

/** Posts a chunked body (no Content-Length) of `chunks` pieces and never ends it: an answer can only
 * come from a server that counts the bytes as they arrive. */
function postWithoutEnd(path: string, contentType: string, chunks: string[]) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      server.origin + path,
      { method: "POST", headers: { "content-type": contentType, origin: server.origin } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (piece: string) => {
          body += piece;
        });
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
  });
}

describe("chunked bodies without a declared length", () => {
  it("are refused with 413 once they pass the limit, before they end", async () => {
    const json = await postWithoutEnd("/api/v1/auth/register", "application/json", [
      `{"name":"`,
      ...Array.from({ length: 8 }, () => "长".repeat(4000)),
    ]);
    expect(json.status).toBe(413);
    expect(JSON.parse(json.body).error.code).toBe("PAYLOAD_TOO_LARGE");

    const form = await postWithoutEnd("/register", "application/x-www-form-urlencoded", [
      "phone=13912345678&name=",
      ...Array.from({ length: 20 }, () => "x".repeat(16_384)),
    ]);
    expect(form.status).toBe(413);
    expect(form.body).toContain("提交的内容过大");
    expect(await db().user.count()).toBe(4);
  });

  it("within the limit are read whole, as with a declared length", async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${server.origin}/api/v1/auth/register`,
        { method: "POST", headers: { "content-type": "application/json" } },
        (answer) => {
          answer.resume();
          resolve(answer.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      const body = JSON.stringify(registration());
      req.write(body.slice(0, 20));
      req.end(body.slice(20));
    });
    expect(res).toBe(201);
    expect(await db().user.count({ where: { phone: "13912345678" } })).toBe(1);
  });
});

describe("POST and DELETE /api/v1/auth/token, GET /api/v1/me", () => {
  it("signs in, reads me, and revokes the token", async () => {
    const phone = fx.users.residentA1.phone;
    const signIn = await server.json("/api/v1/auth/token", { json: { phone, password: DEFAULT_PASSWORD } });
    expect(signIn.status).toBe(200);
    const { token } = signIn.body;
    expect(token).toEqual(expect.any(String));

    const me = await server.json("/api/v1/me", { token });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({
      id: fx.users.residentA1.id,
      phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      roles: [{ role: "RESIDENT", scopeType: "COMMUNITY", scopeId: fx.communities.a1.id }],
    });

    const revoked = await server.request("/api/v1/auth/token", { method: "DELETE", token });
    expect(revoked.status).toBe(204);
    expect((await server.json("/api/v1/me", { token })).status).toBe(401);
    expect((await server.json("/api/v1/auth/token", { method: "DELETE", token })).status).toBe(401);
  });

  it("answers 401 for a wrong password, an unknown phone, or no token", async () => {
    const wrong = await server.json("/api/v1/auth/token", {
      json: { phone: fx.users.residentA1.phone, password: "not-the-password" },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("UNAUTHENTICATED");
    const unknown = await server.json("/api/v1/auth/token", {
      json: { phone: "13800001111", password: "whatever1" },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);
    expect((await server.json("/api/v1/me")).status).toBe(401);
    expect((await server.json("/api/v1/me", { token: "forged" })).status).toBe(401);
  });

  it("answers 400 with fields for a malformed sign-in", async () => {
    const res = await server.json("/api/v1/auth/token", { json: { phone: "abc" } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(["password", "phone"]);
  });

  it("answers 429 after 5 failed sign-ins for one phone from one address, even with the right password", async () => {
    const phone = fx.users.residentA1.phone;
    const signIn = (password: string, ip: string) =>
      server.json("/api/v1/auth/token", { json: { phone, password }, ip });
    for (let i = 0; i < 5; i += 1) expect((await signIn("wrong-password", "10.0.0.1")).status).toBe(401);
    const limited = await signIn(DEFAULT_PASSWORD, "10.0.0.1");
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(limited.body.error.message).toMatch(/^尝试次数过多，请在\d+分钟后再试$/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another resident on the same network is not affected.
    const other = await server.json("/api/v1/auth/token", {
      json: { phone: fx.users.workerA1.phone, password: DEFAULT_PASSWORD },
      ip: "10.0.0.1",
    });
    expect(other.status).toBe(200);
  });

  it("does not let a stranger lock the owner out: the owner's own address still signs in", async () => {
    // The district admin's demo phone is published; anyone may type wrong passwords for it.
    const phone = fx.users.districtAdmin.phone;
    for (let i = 0; i < 5; i += 1) {
      const res = await server.json("/api/v1/auth/token", {
        json: { phone, password: "wrong-password" },
        ip: "203.0.113.7",
      });
      expect(res.status).toBe(401);
    }
    expect(
      (
        await server.json("/api/v1/auth/token", {
          json: { phone, password: DEFAULT_PASSWORD },
          ip: "203.0.113.7",
        })
      ).status,
    ).toBe(429);
    const owner = await server.json("/api/v1/auth/token", {
      json: { phone, password: DEFAULT_PASSWORD },
      ip: "10.0.5.5",
    });
    expect(owner.status).toBe(200);
  });

  it("stops a guesser spread over many addresses at a per-phone ceiling of 50 failures", async () => {
    const phone = fx.users.residentA1.phone;
    for (let i = 0; i < 50; i += 1) {
      const res = await server.json("/api/v1/auth/token", {
        json: { phone, password: "wrong-password" },
        ip: `10.3.${Math.floor(i / 5)}.1`,
      });
      expect(res.status).toBe(401);
    }
    const limited = await server.json("/api/v1/auth/token", {
      json: { phone, password: DEFAULT_PASSWORD },
      ip: "10.4.0.1",
    });
    expect(limited.status).toBe(429);
  });

  it("limits one IP far above the per-phone limit", async () => {
    const ip = "10.9.9.9";
    for (let i = 0; i < 100; i += 1) {
      const res = await server.json("/api/v1/auth/token", {
        json: { phone: `1380000${String(i).padStart(4, "0")}`, password: "wrong-password" },
        ip,
      });
      expect(res.status).toBe(401);
    }
    const limited = await server.json("/api/v1/auth/token", {
      json: { phone: fx.users.residentA1.phone, password: DEFAULT_PASSWORD },
      ip,
    });
    expect(limited.status).toBe(429);
  });
});
