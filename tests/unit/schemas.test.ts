import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import {
  createStaffSchema,
  newPasswordSchema,
  PHONE_PATTERN,
  personNameSchema,
  phoneSchema,
  registerResidentSchema,
  roleGrantSchema,
  signInSchema,
} from "~/domain/accounts/accounts.schema";
import { createCommunitySchema, createSubdistrictSchema } from "~/domain/territory/territory.schema";
import { safeRedirectPath } from "~/http/auth.server";
import { apiError, STATUS_OF, toDomainError } from "~/http/route.server";
import { DomainError, ERROR_CODES, validationError } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import { fieldErrorsFrom, z } from "~/lib/zod";

// The shared input rules (used by the API and the forms alike), masking, redirects and error mapping.

const CJK = /[\u4e00-\u9fff]/;

/** The messages of a failed parse, keyed by field; fails the test when the input was accepted. */
function errorsOf(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return fieldErrorsFrom(result.error);
}

/** Every message of a failed parse. */
function messagesOf(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return result.error.issues.map((issue) => issue.message);
}

describe("phone numbers", () => {
  it.each([
    ["13812345678", "13812345678"],
    ["19912345678", "19912345678"],
    ["15000000000", "15000000000"],
    ["１３８１２３４５６７８", "13812345678"],
    ["138 1234-5678", "13812345678"],
    [" 138-1234-5678 ", "13812345678"],
    ["138\t1234\u30005678", "13812345678"],
  ])("accepts %j as %s", (input, normalised) => {
    expect(phoneSchema.parse(input)).toBe(normalised);
  });

  it.each([
    "12812345678",
    "10012345678",
    "1381234567",
    "138123456789",
    "138abcd5678",
    "phone-number",
    "+8613812345678",
    "",
    "   ",
    "1".repeat(41),
  ])("rejects %j with a Chinese message", (input) => {
    const messages = messagesOf(phoneSchema, input);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) expect(message).toMatch(CJK);
  });

  it.each([13812345678, null, undefined, ["13812345678"], { phone: "13812345678" }, true])(
    "rejects the non-string %j with 请输入手机号",
    (input) => {
      expect(messagesOf(phoneSchema, input)).toEqual(["请输入手机号"]);
    },
  );

  it("uses the rule ^1[3-9]\\d{9}$", () => {
    expect(PHONE_PATTERN.source).toBe("^1[3-9]\\d{9}$");
    for (const second of "3456789") expect(phoneSchema.safeParse(`1${second}012345678`).success).toBe(true);
    for (const second of "012") expect(phoneSchema.safeParse(`1${second}012345678`).success).toBe(false);
  });

  it("explains the expected format", () => {
    expect(messagesOf(phoneSchema, "1381234567")).toEqual(["请输入11位中国大陆手机号，如 13812345678"]);
  });
});

describe("passwords", () => {
  it("rejects fewer than 8 characters", () => {
    expect(messagesOf(newPasswordSchema, "1234567")).toEqual(["密码至少8位"]);
    expect(messagesOf(newPasswordSchema, "")).toEqual(["密码至少8位"]);
  });

  it("accepts exactly 8 and exactly 128 characters, in any script", () => {
    expect(newPasswordSchema.parse("12345678")).toBe("12345678");
    expect(newPasswordSchema.parse("a".repeat(128))).toHaveLength(128);
    expect(newPasswordSchema.parse("我的密码很安全啊")).toBe("我的密码很安全啊");
  });

  it("keeps spaces, which may be part of a passphrase", () => {
    expect(newPasswordSchema.parse("  spaced  ")).toBe("  spaced  ");
  });

  it("rejects more than 128 characters", () => {
    expect(messagesOf(newPasswordSchema, "a".repeat(129))).toEqual(["密码不能超过128位"]);
  });

  it("rejects a non-string", () => {
    expect(messagesOf(newPasswordSchema, 12345678)).toEqual(["请输入密码"]);
  });
});

describe("names", () => {
  it("are trimmed", () => {
    expect(personNameSchema.parse("  王秀英 ")).toBe("王秀英");
  });

  it.each(["", "   ", "\u3000"])("rejects the empty name %j", (input) => {
    expect(messagesOf(personNameSchema, input)).toEqual(["请输入姓名"]);
  });

  it("accepts 30 characters and rejects 31", () => {
    expect(personNameSchema.parse("名".repeat(30))).toHaveLength(30);
    expect(messagesOf(personNameSchema, "名".repeat(31))).toEqual(["姓名不能超过30个字"]);
  });

  it("counts length after trimming", () => {
    expect(personNameSchema.parse(`  ${"名".repeat(30)}  `)).toHaveLength(30);
  });
});

describe("registerResidentSchema", () => {
  const valid = {
    phone: "138 1234 5678",
    password: "a-good-password",
    name: " 王秀英 ",
    communityId: " c1 ",
  };

  it("normalises a valid registration", () => {
    expect(registerResidentSchema.parse(valid)).toEqual({
      phone: "13812345678",
      password: "a-good-password",
      name: "王秀英",
      communityId: "c1",
    });
  });

  it("drops unknown keys such as a role a caller tries to grant itself", () => {
    const parsed = registerResidentSchema.parse({ ...valid, role: "DISTRICT_ADMIN", roles: ["X"] });
    expect(Object.keys(parsed).sort()).toEqual(["communityId", "name", "password", "phone"]);
  });

  it("reports every missing field in Chinese", () => {
    expect(errorsOf(registerResidentSchema, {})).toEqual({
      phone: "请输入手机号",
      password: "请输入密码",
      name: "请输入姓名",
      communityId: "请选择您所在的社区",
    });
  });

  it.each([
    ["communityId", { communityId: "" }, "请选择您所在的社区"],
    ["communityId", { communityId: "   " }, "请选择您所在的社区"],
    ["communityId", { communityId: "x".repeat(65) }, "编号格式不正确"],
    ["password", { password: "short" }, "密码至少8位"],
    ["name", { name: "" }, "请输入姓名"],
    ["phone", { phone: "12812345678" }, "请输入11位中国大陆手机号，如 13812345678"],
  ])("rejects a bad %s", (field, overrides, message) => {
    const errors = errorsOf(registerResidentSchema, { ...valid, ...overrides });
    expect(errors).toEqual({ [field]: message });
  });

  it("answers a non-object with zod's Chinese default message", () => {
    for (const input of [null, "text", 42, undefined]) {
      const errors = errorsOf(registerResidentSchema, input);
      expect(Object.keys(errors)).toEqual(["_"]);
      expect(errors._).toMatch(CJK);
    }
  });
});

describe("signInSchema", () => {
  it("accepts any non-empty password up to 128 characters (old passwords stay usable)", () => {
    expect(signInSchema.parse({ phone: "１３８１２３４５６７８", password: "x" })).toEqual({
      phone: "13812345678",
      password: "x",
    });
  });

  it("rejects an empty or overlong password and a bad phone", () => {
    expect(errorsOf(signInSchema, { phone: "abc", password: "" })).toEqual({
      phone: "请输入11位中国大陆手机号，如 13812345678",
      password: "请输入密码",
    });
    expect(errorsOf(signInSchema, { phone: "13812345678", password: "p".repeat(129) })).toEqual({
      password: "密码不能超过128位",
    });
  });
});

describe("createStaffSchema", () => {
  const valid = {
    phone: "13912345678",
    password: "staff-password",
    name: "李社工",
    role: "COMMUNITY_WORKER",
    scopeId: "c1",
  };

  it("accepts the two creatable roles", () => {
    expect(createStaffSchema.parse(valid).role).toBe("COMMUNITY_WORKER");
    expect(createStaffSchema.parse({ ...valid, role: "SUBDISTRICT_ADMIN" }).role).toBe("SUBDISTRICT_ADMIN");
  });

  it.each(["DISTRICT_ADMIN", "RESIDENT", "community_worker", "", 1])("rejects the role %j", (role) => {
    expect(errorsOf(createStaffSchema, { ...valid, role })).toEqual({
      role: "请选择角色：社区工作者或街道管理员",
    });
  });

  it("needs a scope", () => {
    expect(errorsOf(createStaffSchema, { ...valid, scopeId: " " })).toEqual({
      scopeId: "请选择任职的社区或街道",
    });
    expect(errorsOf(createStaffSchema, { ...valid, scopeId: undefined })).toEqual({
      scopeId: "请选择任职的社区或街道",
    });
  });
});

describe("createCommunitySchema", () => {
  const valid = { subdistrictId: "sd1", name: " 幸福社区 ", kind: "URBAN" };

  it("accepts both kinds and trims the name", () => {
    expect(createCommunitySchema.parse(valid)).toEqual({
      subdistrictId: "sd1",
      name: "幸福社区",
      kind: "URBAN",
    });
    expect(createCommunitySchema.parse({ ...valid, kind: "VILLAGE_CONVERTED" }).kind).toBe(
      "VILLAGE_CONVERTED",
    );
  });

  it.each(["RURAL", "urban", "", null])("rejects the kind %j", (kind) => {
    expect(errorsOf(createCommunitySchema, { ...valid, kind })).toEqual({ kind: "请选择社区类型" });
  });

  it("needs a name of 2 to 30 characters after trimming", () => {
    expect(errorsOf(createCommunitySchema, { ...valid, name: " 甲 " })).toEqual({
      name: "社区名称至少2个字",
    });
    expect(errorsOf(createCommunitySchema, { ...valid, name: "社".repeat(31) })).toEqual({
      name: "社区名称不能超过30个字",
    });
    expect(createCommunitySchema.parse({ ...valid, name: "社".repeat(30) }).name).toHaveLength(30);
    expect(errorsOf(createCommunitySchema, { ...valid, name: 5 })).toEqual({ name: "请输入社区名称" });
  });

  it("needs a subdistrict", () => {
    expect(errorsOf(createCommunitySchema, { ...valid, subdistrictId: "" })).toEqual({
      subdistrictId: "请选择所属街道",
    });
  });
});

describe("createSubdistrictSchema", () => {
  it("trims and accepts a valid subdistrict", () => {
    expect(createSubdistrictSchema.parse({ districtId: " d1 ", name: "  长安街道  " })).toEqual({
      districtId: "d1",
      name: "长安街道",
    });
  });

  it("reports a missing district and a short name", () => {
    expect(errorsOf(createSubdistrictSchema, { districtId: 3, name: "街" })).toEqual({
      districtId: "请选择所属区",
      name: "街道名称至少2个字",
    });
    expect(errorsOf(createSubdistrictSchema, {})).toEqual({
      districtId: "请选择所属区",
      name: "请输入街道名称",
    });
  });
});

describe("Chinese messages everywhere", () => {
  it("uses zod's Chinese defaults where a schema gives no message of its own", () => {
    const messages = messagesOf(roleGrantSchema, { role: 1, scopeType: "X", scopeId: 5 });
    expect(messages).toHaveLength(3);
    for (const message of messages) expect(message).toMatch(CJK);
    expect(messagesOf(z.number(), "1")[0]).toMatch(CJK);
    expect(messagesOf(z.object({ a: z.string() }), { a: [] })[0]).toMatch(CJK);
  });

  it.each<[string, z.ZodType, unknown]>([
    ["registerResidentSchema", registerResidentSchema, { phone: 1, password: 2, name: 3, communityId: 4 }],
    [
      "registerResidentSchema",
      registerResidentSchema,
      { phone: "x", password: "x", name: "", communityId: "" },
    ],
    ["signInSchema", signInSchema, { phone: [], password: {} }],
    ["createStaffSchema", createStaffSchema, { phone: "1", password: "1", name: "", role: "X", scopeId: "" }],
    ["createCommunitySchema", createCommunitySchema, { subdistrictId: 1, name: "", kind: 1 }],
    ["createSubdistrictSchema", createSubdistrictSchema, { districtId: "", name: "x".repeat(31) }],
  ])("%s answers bad input in Chinese", (_name, schema, input) => {
    const messages = messagesOf(schema, input);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(message).toMatch(CJK);
  });
});

describe("fieldErrorsFrom", () => {
  it("keeps the first message per field, keyed by dotted path, and _ for the root", () => {
    const schema = z.object({
      code: z.string().min(5, "太短").regex(/^\d+$/, "只能是数字"),
      address: z.object({ street: z.string({ error: "请输入街道" }) }),
      tags: z.array(z.string({ error: "标签应为文字" })),
    });
    expect(errorsOf(schema, { code: "ab", address: {}, tags: ["ok", 7] })).toEqual({
      code: "太短",
      "address.street": "请输入街道",
      "tags.1": "标签应为文字",
    });
    expect(Object.keys(errorsOf(schema, "not an object"))).toEqual(["_"]);
  });
});

describe("maskPhone", () => {
  it("shows the first 3 and last 4 digits of a mobile number", () => {
    expect(maskPhone("13812341234")).toBe("138****1234");
    expect(maskPhone("19912345678")).toBe("199****5678");
    expect(maskPhone("19912345678")).not.toContain("12345678");
  });

  it("hides a short value completely", () => {
    expect(maskPhone("12345")).toBe("*****");
    expect(maskPhone("")).toBe("");
  });
});

describe("safeRedirectPath", () => {
  it.each(["/me?x=1", "/", "/needs/abc#top", "/login?redirectTo=%2Fme"])(
    "keeps the local path %j",
    (target) => {
      expect(safeRedirectPath(target)).toBe(target);
    },
  );

  it.each([
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "evil.example",
    "javascript:alert(1)",
    "",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
  ])("refuses %j", (target) => {
    expect(safeRedirectPath(target)).toBe("/");
    expect(safeRedirectPath(target, "/me")).toBe("/me");
  });

  it.each([undefined, null, 42, ["/me"], { path: "/me" }])("refuses the non-string %j", (target) => {
    expect(safeRedirectPath(target)).toBe("/");
  });

  it("never yields a path that a browser resolves to another site", () => {
    const base = "http://sanshe.local/";
    const attempts = ["/\t/evil.example", "/ \t/evil.example/x", "/\n\n/evil.example", "/%2F%2Fevil.example"];
    for (const attempt of attempts) {
      expect(new URL(safeRedirectPath(attempt), base).origin).toBe("http://sanshe.local");
    }
  });
});

describe("toDomainError and STATUS_OF", () => {
  it("gives every error code an HTTP status", () => {
    expect(Object.keys(STATUS_OF).sort()).toEqual([...ERROR_CODES].sort());
    expect(STATUS_OF).toEqual({
      VALIDATION: 400,
      UNAUTHENTICATED: 401,
      FORBIDDEN: 403,
      NOT_FOUND: 404,
      METHOD_NOT_ALLOWED: 405,
      CONFLICT: 409,
      CAPACITY_FULL: 409,
      SLOT_TAKEN: 409,
      PAYLOAD_TOO_LARGE: 413,
      RATE_LIMITED: 429,
      INTERNAL: 500,
      UNAVAILABLE: 503,
    });
  });

  it("passes a DomainError through unchanged", () => {
    const error = validationError({ phone: "请输入手机号" });
    expect(toDomainError(error)).toBe(error);
  });

  it("maps Prisma's unique and not-found errors", () => {
    const unique = new Prisma.PrismaClientKnownRequestError("Unique constraint failed", {
      code: "P2002",
      clientVersion: Prisma.prismaVersion.client,
    });
    expect(toDomainError(unique)).toMatchObject({ code: "CONFLICT", message: "该记录已存在" });
    const missing = new Prisma.PrismaClientKnownRequestError("Record not found", {
      code: "P2025",
      clientVersion: Prisma.prismaVersion.client,
    });
    expect(toDomainError(missing)).toMatchObject({ code: "NOT_FOUND" });
  });

  it("maps an unreachable database to UNAVAILABLE (503)", () => {
    const error = toDomainError(new Error("connect ECONNREFUSED 127.0.0.1:5432"));
    expect(error.code).toBe("UNAVAILABLE");
    expect(STATUS_OF[error.code]).toBe(503);
    expect(error.message).toMatch(CJK);
  });

  it("maps the errors of a PostgreSQL restart to UNAVAILABLE, as Prisma's driver adapter reports them", () => {
    const clientVersion = Prisma.prismaVersion.client;
    // The message Prisma gives carries no detail; the code and the adapter's error do.
    const unreachable = new Prisma.PrismaClientKnownRequestError(
      "Invalid `prisma.service.count()` invocation:",
      {
        code: "P1001",
        clientVersion,
      },
    );
    const closed = new Prisma.PrismaClientKnownRequestError("Invalid invocation:", {
      code: "P2010",
      clientVersion,
      meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "ConnectionClosed" } } },
    });
    // A fast shutdown ends each session with SQLSTATE 57P01; a cluster starting up answers 57P03.
    const shutdown = Object.assign(new Error("terminating connection due to administrator command"), {
      name: "DriverAdapterError",
      cause: { kind: "postgres", code: "57P01", originalCode: "57P01" },
    });
    const startingUp = Object.assign(new Error("postgres"), {
      name: "DriverAdapterError",
      cause: { kind: "postgres", originalCode: "57P03" },
    });
    const terminated = new Error("Connection terminated unexpectedly");
    for (const thrown of [unreachable, closed, shutdown, startingUp, terminated]) {
      expect(toDomainError(thrown).code, String(thrown)).toBe("UNAVAILABLE");
    }
    // Other database errors stay what they are.
    const syntax = Object.assign(new Error("syntax error"), {
      name: "DriverAdapterError",
      cause: { kind: "postgres", originalCode: "42601" },
    });
    expect(toDomainError(syntax).code).toBe("INTERNAL");
  });

  it("turns anything else into INTERNAL 500 with a generic Chinese message that leaks nothing", () => {
    for (const thrown of [new TypeError("cannot read secret-detail of undefined"), "a string", 42, null]) {
      const error = toDomainError(thrown);
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe("INTERNAL");
      expect(STATUS_OF[error.code]).toBe(500);
      expect(error.message).toBe("服务器出错了，请稍后再试");
      expect(error.fields).toBeUndefined();
    }
  });

  it("renders the JSON error body with the matching status", async () => {
    const validation = apiError(validationError({ phone: "请输入手机号" }));
    expect(validation.status).toBe(400);
    expect(await validation.json()).toEqual({
      error: {
        code: "VALIDATION",
        message: "提交的内容有误，请检查标出的项目",
        fields: { phone: "请输入手机号" },
      },
    });

    const limited = apiError(new DomainError("RATE_LIMITED", "尝试次数过多，请稍后再试", undefined, 90));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("90");

    const internal = apiError(new Error("boom: secret-detail"));
    expect(internal.status).toBe(500);
    const text = await internal.text();
    expect(text).not.toContain("secret-detail");
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "服务器出错了，请稍后再试" } });
  });
});
