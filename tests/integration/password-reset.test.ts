import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  DEFAULT_PASSWORD,
  type TerritoryFixture,
} from "../../prisma/factories";
import { pagesOf, visibleText } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Password reset without SMS (#15 item 7, ADR 0028): staff in scope issue a one-time code to a
// resident they have verified; the resident sets a new password with it, which ends every session.

let server: TestServer;
let fx: TerritoryFixture;
const pages = pagesOf(() => server);

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const issue = async (staffId: string, phone: string) =>
  server.json("/api/v1/password-reset-codes", { json: { phone }, token: await tokenFor(staffId) });

const redeem = (json: Record<string, unknown>, ip = "10.9.0.1") =>
  server.json("/api/v1/auth/password-reset", { json, ip });

const signIn = (phone: string, password: string) =>
  server.json("/api/v1/auth/token", { json: { phone, password }, ip: "10.9.9.9" });

describe("issuing a code", () => {
  it("gives staff in scope an 8-digit code once, stored only as a hash, audited without code or phone", async () => {
    const resident = fx.users.residentA1;
    const res = await issue(fx.users.workerA1.id, resident.phone);
    expect(res.status).toBe(201);
    expect(res.body.code).toMatch(/^\d{8}$/);
    expect(res.body.residentName).toBe(resident.name);
    expect(res.body.phoneMasked).toBe(`${resident.phone.slice(0, 3)}****${resident.phone.slice(-4)}`);
    const expiresIn = new Date(res.body.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(29 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(30 * 60_000);
    expect(res.headers.get("cache-control")).toContain("no-store");

    const stored = await db().passwordResetCode.findUniqueOrThrow({ where: { userId: resident.id } });
    expect(stored.codeHash).toMatch(/^\$argon2id\$/);
    expect(stored.codeHash).not.toContain(res.body.code);
    const audit = await db().auditLog.findMany({ where: { action: "account.resetCode.issue" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: fx.users.workerA1.id, targetId: resident.id });
    expect(JSON.stringify(audit)).not.toContain(res.body.code);
    expect(JSON.stringify(audit)).not.toContain(resident.phone);
  });

  it("answers an unknown number, a resident elsewhere and a staff account alike", async () => {
    const elsewhere = await createResident(db(), fx.communities.b1.id);
    // A worker who also lives in A1: a worker's code would open an admin's or a colleague's account.
    const colleague = await createUser(db(), {
      communityId: fx.communities.a1.id,
      roles: [
        { role: "RESIDENT", scopeId: fx.communities.a1.id },
        { role: "COMMUNITY_WORKER", scopeId: fx.communities.a2.id },
      ],
    });
    const answers = [];
    for (const phone of ["19900000001", elsewhere.phone, colleague.phone, fx.users.workerA1.phone]) {
      const res = await issue(fx.users.workerA1.id, phone);
      answers.push({ status: res.status, body: res.body });
    }
    expect(answers[0]?.status).toBe(400);
    expect(answers[0]?.body.error.fields.phone).toContain("辖区内没有");
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(await db().passwordResetCode.count()).toBe(0);
  });

  it("refuses residents (403) and the anonymous (401)", async () => {
    const other = await createResident(db(), fx.communities.a1.id);
    expect((await issue(fx.users.residentA1.id, other.phone)).status).toBe(403);
    const anonymous = await server.json("/api/v1/password-reset-codes", { json: { phone: other.phone } });
    expect(anonymous.status).toBe(401);
    expect(await db().passwordResetCode.count()).toBe(0);
  });

  it("limits each staff account to 20 lookups an hour, with Retry-After", async () => {
    for (let i = 0; i < 20; i += 1) {
      expect((await issue(fx.users.workerA1.id, `1990000${String(i).padStart(4, "0")}`)).status).toBe(400);
    }
    const limited = await issue(fx.users.workerA1.id, fx.users.residentA1.phone);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another worker's desk is not held up.
    expect((await issue(fx.users.subdistrictAdminA.id, fx.users.residentA1.phone)).status).toBe(201);
  });
});

describe("using a code", () => {
  it("sets the new password and ends every session and API token of the account", async () => {
    const resident = fx.users.residentA1;
    const [webToken, apiToken] = [await tokenFor(resident.id), await tokenFor(resident.id)];
    const { code } = (await issue(fx.users.workerA1.id, resident.phone)).body;
    // Typed as the worker wrote it down: with a space, in full-width digits.
    const typed = `${code.slice(0, 4)} ${code.slice(4)}`.replace(/\d/g, (d: string) =>
      String.fromCharCode(d.charCodeAt(0) + 0xfee0),
    );
    const res = await redeem({ phone: resident.phone, code: typed, newPassword: "a-new-password" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revokedSessions: 2 });
    for (const token of [webToken, apiToken]) {
      expect((await server.json("/api/v1/me", { token })).status).toBe(401);
    }
    expect((await signIn(resident.phone, DEFAULT_PASSWORD)).status).toBe(401);
    expect((await signIn(resident.phone, "a-new-password")).status).toBe(200);
    const audit = await db().auditLog.findMany({ where: { action: "account.password.reset" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: resident.id, targetId: resident.id });
    expect(audit[0]?.data).toMatchObject({ issuedById: fx.users.workerA1.id, revokedSessions: 2 });
    expect(JSON.stringify(audit)).not.toContain(code);
    expect(JSON.stringify(audit)).not.toContain(resident.phone);
  });

  it("works once: a second use, even at the same moment, gets the generic refusal", async () => {
    const resident = fx.users.residentA1;
    const { code } = (await issue(fx.users.workerA1.id, resident.phone)).body;
    const both = await Promise.all(
      ["first-new-password", "second-new-password"].map((newPassword) =>
        redeem({ phone: resident.phone, code, newPassword }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 400]);
    const again = await redeem({ phone: resident.phone, code, newPassword: "third-new-password" });
    expect(again.status).toBe(400);
    expect(await db().auditLog.count({ where: { action: "account.password.reset" } })).toBe(1);
  });

  it("gives one answer for a wrong code, a wrong phone, a replaced code and an expired one", async () => {
    const resident = fx.users.residentA1;
    const first = (await issue(fx.users.workerA1.id, resident.phone)).body.code;
    const second = (await issue(fx.users.workerA1.id, resident.phone)).body.code;
    expect(
      await db().auditLog.findFirst({
        where: { action: "account.resetCode.issue" },
        orderBy: { createdAt: "desc" },
      }),
    ).toMatchObject({ data: { replacedEarlierCode: true } });
    const wrong = second === "00000000" ? "00000001" : "00000000";
    const stranger = await createResident(db(), fx.communities.a2.id);
    const answers = [
      await redeem({ phone: resident.phone, code: wrong, newPassword: "a-new-password" }, "10.9.0.2"),
      await redeem({ phone: "19900000009", code: second, newPassword: "a-new-password" }, "10.9.0.3"),
      await redeem({ phone: stranger.phone, code: second, newPassword: "a-new-password" }, "10.9.0.4"),
    ];
    if (first !== second) {
      answers.push(
        await redeem({ phone: resident.phone, code: first, newPassword: "x-new-password" }, "10.9.0.5"),
      );
    }
    await db().passwordResetCode.update({
      where: { userId: resident.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    answers.push(
      await redeem({ phone: resident.phone, code: second, newPassword: "a-new-password" }, "10.9.0.6"),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(answers[0]?.body);
    }
    expect(answers[0]?.body.error.fields.code).toContain("重置码");
    expect((await signIn(resident.phone, DEFAULT_PASSWORD)).status).toBe(200);
  });

  it("counts wrong codes against the sign-in limits of the phone from that address", async () => {
    const resident = fx.users.residentA1;
    const { code } = (await issue(fx.users.workerA1.id, resident.phone)).body;
    const wrong = code === "00000000" ? "00000001" : "00000000";
    for (let i = 0; i < 5; i += 1) {
      const res = await redeem(
        { phone: resident.phone, code: wrong, newPassword: "a-new-password" },
        "10.9.1.1",
      );
      expect(res.status).toBe(400);
    }
    const limited = await redeem({ phone: resident.phone, code, newPassword: "a-new-password" }, "10.9.1.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // The guesser's address is locked for this phone; the resident at the desk is not.
    expect(
      (await redeem({ phone: resident.phone, code, newPassword: "a-new-password" }, "10.9.1.2")).status,
    ).toBe(200);
  });

  it("rejects a malformed code or a short password with field errors and changes nothing", async () => {
    const resident = fx.users.residentA1;
    const { code } = (await issue(fx.users.workerA1.id, resident.phone)).body;
    const badCode = await redeem({ phone: resident.phone, code: "12ab", newPassword: "a-new-password" });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.fields.code).toEqual(expect.any(String));
    const shortPassword = await redeem({ phone: resident.phone, code, newPassword: "short" });
    expect(shortPassword.status).toBe(400);
    expect(shortPassword.body.error.fields.newPassword).toContain("至少8位");
    expect(await db().passwordResetCode.count()).toBe(1);
    expect((await signIn(resident.phone, DEFAULT_PASSWORD)).status).toBe(200);
  });
});

describe("the pages", () => {
  it("the desk shows the code big with its expiry in China time; the resident resets on /forgot-password", async () => {
    const worker = await pages.cookieOf(fx.users.workerA1);
    const desk = await pages.page("/workbench/password-reset", worker);
    expect(desk.status).toBe(200);
    const issued = await pages.submit("/workbench/password-reset", worker, {
      phone: fx.users.residentA1.phone,
    });
    expect(issued.status).toBe(200);
    const shown = /class="check-in-code__digits">(\d{4}) (\d{4})</.exec(issued.html);
    expect(shown).not.toBeNull();
    const code = `${shown?.[1]}${shown?.[2]}`;
    expect(visibleText(issued.html)).toMatch(/有效期至 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）/);

    const login = await pages.page("/login");
    expect(login.html).toContain('href="/forgot-password"');
    expect(visibleText(login.html)).toContain("忘记密码？");
    await db().community.update({
      where: { id: fx.communities.a1.id },
      data: { servicePhone: "0571-88886666" },
    });
    const forgot = await pages.page("/forgot-password");
    expect(visibleText(forgot.html)).toContain(
      "请到社区服务站或拨打社区电话，由社区工作人员核实身份后给您重置码",
    );
    expect(forgot.html).toContain('href="tel:0571-88886666"');

    const wrong = await pages.submit("/forgot-password", "", {
      phone: fx.users.residentA1.phone,
      code: code === "00000000" ? "00000001" : "00000000",
      newPassword: "a-new-password",
    });
    expect(wrong.status).toBe(400);
    expect(visibleText(wrong.html)).toContain("重置码已失效");
    expect(wrong.html).not.toContain("a-new-password");
    const done = await pages.submit("/forgot-password", "", {
      phone: fx.users.residentA1.phone,
      code,
      newPassword: "a-new-password",
    });
    expect(done.status).toBe(302);
    expect(done.location).toMatch(/^\/login\?reset=done/);
    expect((await signIn(fx.users.residentA1.phone, "a-new-password")).status).toBe(200);
  });
});
