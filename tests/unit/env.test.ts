import { describe, expect, it } from "vitest";
import {
  EnvError,
  parseEnv,
  seedEnvSchema,
  sharedEnvSchema,
  webEnvSchema,
  workerEnvSchema,
} from "~/lib/env.server";

// parseEnv on plain objects (never process.env): defaults, blanks, and one clear error per bad value.

const SECRET = "s".repeat(32);

/** The EnvError a parse throws; fails the test when it does not throw one. */
function envErrorOf(parse: () => unknown): EnvError {
  try {
    parse();
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error("expected an EnvError, but the environment was accepted");
}

describe("defaults", () => {
  it("fills in the local PostgreSQL, Redis, port 3000 and the postgres search engine for the web", () => {
    const env = parseEnv(webEnvSchema, { SESSION_SECRET: SECRET });
    expect(env).toMatchObject({
      NODE_ENV: "development",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/sanshe",
      REDIS_URL: "redis://127.0.0.1:6379",
      PORT: 3000,
      SEARCH_ENGINE: "postgres",
      LOG_LEVEL: "info",
      TRUST_PROXY: false,
      REDIS_KEY_PREFIX: "",
      DATABASE_SQL_POOL_SIZE: 10,
    });
    expect(env.MEILI_URL).toBeUndefined();
  });

  it("chooses meilisearch when MEILI_URL is set and SEARCH_ENGINE is not", () => {
    const env = parseEnv(webEnvSchema, { SESSION_SECRET: SECRET, MEILI_URL: "http://127.0.0.1:7700" });
    expect(env.SEARCH_ENGINE).toBe("meilisearch");
    expect(env.MEILI_URL).toBe("http://127.0.0.1:7700");
  });

  it("keeps an explicit SEARCH_ENGINE=postgres even when MEILI_URL is set", () => {
    const env = parseEnv(sharedEnvSchema, { SEARCH_ENGINE: "postgres", MEILI_URL: "http://127.0.0.1:7700" });
    expect(env.SEARCH_ENGINE).toBe("postgres");
  });

  it("reads given values and coerces numbers", () => {
    const env = parseEnv(webEnvSchema, {
      SESSION_SECRET: SECRET,
      PORT: "8080",
      DATABASE_URL: "postgres://app@db:5432/sanshe",
      REDIS_URL: "rediss://cache:6380/2",
      TRUST_PROXY: "true",
      NODE_ENV: "production",
      DATABASE_SQL_POOL_SIZE: "24",
    });
    expect(env).toMatchObject({
      DATABASE_SQL_POOL_SIZE: 24,
      PORT: 8080,
      DATABASE_URL: "postgres://app@db:5432/sanshe",
      REDIS_URL: "rediss://cache:6380/2",
      TRUST_PROXY: true,
      NODE_ENV: "production",
    });
  });

  it("gives the worker its concurrency and heartbeat defaults", () => {
    const env = parseEnv(workerEnvSchema, {});
    expect(env).toMatchObject({
      WORKER_CONCURRENCY: 4,
      HEARTBEAT_EVERY_MS: 30_000,
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/sanshe",
      REDIS_URL: "redis://127.0.0.1:6379",
      SEARCH_ENGINE: "postgres",
    });
    expect(parseEnv(workerEnvSchema, { HEARTBEAT_EVERY_MS: "1000" }).HEARTBEAT_EVERY_MS).toBe(1000);
  });

  it("gives the seed a demo administrator", () => {
    const env = parseEnv(seedEnvSchema, {});
    expect(env.DEMO_ADMIN_PHONE).toMatch(/^1[3-9]\d{9}$/);
    expect(env.DEMO_ADMIN_PASSWORD.length).toBeGreaterThanOrEqual(8);
    expect(env.SEARCH_ENGINE).toBe("postgres");
  });

  it("needs nothing at all for the shared part", () => {
    expect(parseEnv(sharedEnvSchema, {})).toMatchObject({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/sanshe",
      REDIS_URL: "redis://127.0.0.1:6379",
      SEARCH_ENGINE: "postgres",
    });
  });
});

describe("blank strings", () => {
  it("are treated as unset, so the defaults apply", () => {
    const env = parseEnv(webEnvSchema, {
      SESSION_SECRET: SECRET,
      DATABASE_URL: "",
      REDIS_URL: "",
      PORT: "",
      SEARCH_ENGINE: "",
      MEILI_URL: "",
      MEILI_MASTER_KEY: "",
      LOG_LEVEL: "",
      NODE_ENV: "",
      TRUST_PROXY: "",
      REDIS_KEY_PREFIX: "",
    });
    expect(env).toMatchObject({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/sanshe",
      REDIS_URL: "redis://127.0.0.1:6379",
      PORT: 3000,
      SEARCH_ENGINE: "postgres",
      LOG_LEVEL: "info",
      NODE_ENV: "development",
      TRUST_PROXY: false,
      REDIS_KEY_PREFIX: "",
    });
    expect(env.MEILI_URL).toBeUndefined();
    expect(env.MEILI_MASTER_KEY).toBeUndefined();
  });

  it("count as missing for a required variable", () => {
    const error = envErrorOf(() => parseEnv(webEnvSchema, { SESSION_SECRET: "" }));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toContain("SESSION_SECRET");
  });

  it("fall back to the worker defaults", () => {
    const env = parseEnv(workerEnvSchema, { HEARTBEAT_EVERY_MS: "", WORKER_CONCURRENCY: "" });
    expect(env.HEARTBEAT_EVERY_MS).toBe(30_000);
    expect(env.WORKER_CONCURRENCY).toBe(4);
  });
});

describe("bad values throw an EnvError naming the variable", () => {
  const web = (values: Record<string, string>) => () =>
    parseEnv(webEnvSchema, { SESSION_SECRET: SECRET, ...values });

  it.each<[string, () => unknown]>([
    ["DATABASE_URL", web({ DATABASE_URL: "mysql://root@127.0.0.1:3306/sanshe" })],
    ["DATABASE_URL", () => parseEnv(sharedEnvSchema, { DATABASE_URL: "mysql://root@127.0.0.1/sanshe" })],
    ["REDIS_URL", web({ REDIS_URL: "foo" })],
    ["REDIS_URL", () => parseEnv(workerEnvSchema, { REDIS_URL: "foo" })],
    ["REDIS_KEY_PREFIX", web({ REDIS_KEY_PREFIX: "two words" })],
    ["REDIS_KEY_PREFIX", () => parseEnv(workerEnvSchema, { REDIS_KEY_PREFIX: "x".repeat(41) })],
    ["PORT", web({ PORT: "abc" })],
    ["PORT", web({ PORT: "70000" })],
    ["PORT", web({ PORT: "0" })],
    ["PORT", web({ PORT: "80.5" })],
    ["SESSION_SECRET", () => parseEnv(webEnvSchema, {})],
    ["SESSION_SECRET", () => parseEnv(webEnvSchema, { SESSION_SECRET: "too-short" })],
    ["MEILI_URL", web({ SEARCH_ENGINE: "meilisearch" })],
    ["MEILI_URL", () => parseEnv(workerEnvSchema, { SEARCH_ENGINE: "meilisearch" })],
    ["MEILI_URL", web({ MEILI_URL: "not a url" })],
    ["SEARCH_ENGINE", web({ SEARCH_ENGINE: "elasticsearch" })],
    ["HEARTBEAT_EVERY_MS", () => parseEnv(workerEnvSchema, { HEARTBEAT_EVERY_MS: "10" })],
    ["HEARTBEAT_EVERY_MS", () => parseEnv(workerEnvSchema, { HEARTBEAT_EVERY_MS: "abc" })],
    ["WORKER_CONCURRENCY", () => parseEnv(workerEnvSchema, { WORKER_CONCURRENCY: "0" })],
    ["DATABASE_SQL_POOL_SIZE", () => parseEnv(sharedEnvSchema, { DATABASE_SQL_POOL_SIZE: "0" })],
    ["DATABASE_SQL_POOL_SIZE", () => parseEnv(sharedEnvSchema, { DATABASE_SQL_POOL_SIZE: "ten" })],
    ["LOG_LEVEL", () => parseEnv(sharedEnvSchema, { LOG_LEVEL: "verbose" })],
    ["TRUST_PROXY", web({ TRUST_PROXY: "yes" })],
    ["DEMO_ADMIN_PHONE", () => parseEnv(seedEnvSchema, { DEMO_ADMIN_PHONE: "12345" })],
    ["DEMO_ADMIN_PASSWORD", () => parseEnv(seedEnvSchema, { DEMO_ADMIN_PASSWORD: "short" })],
  ])("%s", (variable, parse) => {
    const error = envErrorOf(parse);
    expect(error.name).toBe("EnvError");
    expect(error.message).toContain(`${variable}:`);
    expect(error.problems.some((problem) => problem.startsWith(`${variable}: `))).toBe(true);
  });

  it("says in plain English what each variable expects", () => {
    const web = envErrorOf(() =>
      parseEnv(webEnvSchema, { PORT: "abc", TRUST_PROXY: "yes", LOG_LEVEL: "loud", NODE_ENV: "prod" }),
    );
    expect(web.problems).toEqual(
      expect.arrayContaining([
        "PORT: a port number from 1 to 65535",
        "TRUST_PROXY: true or false",
        "LOG_LEVEL: debug, info, warn, error or silent",
        "NODE_ENV: development, production or test",
        "SESSION_SECRET: required: at least 32 random characters",
      ]),
    );
    const worker = envErrorOf(() =>
      parseEnv(workerEnvSchema, { WORKER_CONCURRENCY: "100", HEARTBEAT_EVERY_MS: "5" }),
    );
    expect(worker.problems).toEqual([
      "WORKER_CONCURRENCY: a whole number from 1 to 64",
      "HEARTBEAT_EVERY_MS: milliseconds, at least 1000",
    ]);
  });

  it("says that meilisearch needs MEILI_URL", () => {
    const error = envErrorOf(() =>
      parseEnv(webEnvSchema, { SESSION_SECRET: SECRET, SEARCH_ENGINE: "meilisearch" }),
    );
    expect(error.problems).toEqual(["MEILI_URL: required when SEARCH_ENGINE=meilisearch"]);
  });

  it("lists every bad variable at once", () => {
    const error = envErrorOf(() =>
      parseEnv(webEnvSchema, { DATABASE_URL: "mysql://x", REDIS_URL: "foo", PORT: "abc" }),
    );
    const named = error.problems.map((problem) => problem.split(":")[0]).sort();
    expect(named).toEqual(["DATABASE_URL", "PORT", "REDIS_URL", "SESSION_SECRET"]);
    expect(error.message.split("\n")[0]).toBe("Invalid environment:");
  });

  it("never echoes the secret it rejects", () => {
    const error = envErrorOf(() => parseEnv(webEnvSchema, { SESSION_SECRET: "hunter2-secret" }));
    expect(error.message).not.toContain("hunter2-secret");
  });
});
