import { z } from "zod";

// One schema in three parts: what every process needs, what the web process adds, what the worker adds.
// Parsed once per process at start (scripts/serve.ts, workers/index.ts) and then read from the cache.

const blankAsUnset = (value: unknown) => (value === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsUnset, schema.optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.util.NoUndefined<z.output<T>>) =>
  z.preprocess(blankAsUnset, schema.default(fallback));

// Messages are written out (in English, for operators) rather than left to zod's defaults.
const wholeNumber = (min: number, max: number, expected: string) =>
  z.coerce.number({ error: expected }).int(expected).min(min, expected).max(max, expected);

const sharedShape = {
  NODE_ENV: withDefault(
    z.enum(["development", "production", "test"], { error: "development, production or test" }),
    "development",
  ),
  DATABASE_URL: withDefault(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, "a PostgreSQL URL, e.g. postgresql://user@127.0.0.1:5432/sanshe"),
    "postgresql://postgres@127.0.0.1:5432/sanshe",
  ),
  /** Connections of the plain pg pool beside Prisma's (lib/sql.server.ts): the registration rush's
   * statements and the token lookup (ADR 0019). */
  DATABASE_SQL_POOL_SIZE: withDefault(wholeNumber(1, 100, "a whole number from 1 to 100"), 10),
  REDIS_URL: withDefault(
    z.string().regex(/^rediss?:\/\/.+/, "a Redis URL, e.g. redis://127.0.0.1:6379"),
    "redis://127.0.0.1:6379",
  ),
  /** Every Redis key (queues, rate limits, the heartbeat) starts with it, so several deployments or
   * parallel test processes can share one Redis database. */
  REDIS_KEY_PREFIX: withDefault(
    z.string().regex(/^[A-Za-z0-9_:.-]{0,40}$/, "letters, digits and _ : . - (at most 40)"),
    "",
  ),
  SEARCH_ENGINE: optional(z.enum(["postgres", "meilisearch"], { error: "postgres or meilisearch" })),
  MEILI_URL: optional(z.url({ error: "an http(s) URL of a Meilisearch server" })),
  MEILI_MASTER_KEY: optional(z.string()),
  /** Index names start with it, so several deployments (or test runs) can share one server. */
  MEILI_INDEX_PREFIX: withDefault(
    z.string().regex(/^[a-z0-9_]{1,40}$/, "lower-case letters, digits and _ (at most 40)"),
    "sanshe",
  ),
  /** Where the disk evidence store keeps declared figures' files (sign-in sheets, photos; ADR 0026),
   * relative to the working directory unless absolute. Never served as static files. */
  EVIDENCE_DIR: withDefault(
    z.string().regex(/^[^\0]{1,500}$/, "a directory path (at most 500 characters)"),
    "data/evidence",
  ),
  LOG_LEVEL: withDefault(
    z.enum(["debug", "info", "warn", "error", "silent"], { error: "debug, info, warn, error or silent" }),
    "info",
  ),
};

/** The search engine defaults to PostgreSQL unless a Meilisearch server is configured. */
function resolveSearchEngine<T extends { SEARCH_ENGINE?: "postgres" | "meilisearch"; MEILI_URL?: string }>(
  env: T,
  ctx: z.RefinementCtx,
) {
  const engine = env.SEARCH_ENGINE ?? (env.MEILI_URL ? "meilisearch" : "postgres");
  if (engine === "meilisearch" && !env.MEILI_URL) {
    ctx.addIssue({ code: "custom", path: ["MEILI_URL"], message: "required when SEARCH_ENGINE=meilisearch" });
  }
  return { ...env, SEARCH_ENGINE: engine };
}

export const sharedEnvSchema = z.object(sharedShape).transform(resolveSearchEngine);

export const webEnvSchema = z
  .object({
    ...sharedShape,
    PORT: withDefault(wholeNumber(1, 65535, "a port number from 1 to 65535"), 3000),
    SESSION_SECRET: z.preprocess(
      blankAsUnset,
      z.string({ error: "required: at least 32 random characters" }).min(32, "at least 32 random characters"),
    ),
    /** Web processes sharing PORT (node:cluster); unset means one per core. */
    WEB_PROCESSES: optional(wholeNumber(1, 64, "a whole number from 1 to 64")),
    /** How connections reach the processes: "none" leaves it to the operating system (each process
     * accepts when it is free), "rr" has the first process hand them out in turn (node's default). */
    WEB_CLUSTER_SCHEDULING: withDefault(z.enum(["none", "rr"], { error: "none or rr" }), "none"),
    /** Set when the app sits behind a reverse proxy, so client IPs and https are read from it. */
    TRUST_PROXY: withDefault(z.enum(["true", "false"], { error: "true or false" }), "false").transform(
      (v) => v === "true",
    ),
  })
  .transform(resolveSearchEngine);

export const workerEnvSchema = z
  .object({
    ...sharedShape,
    WORKER_CONCURRENCY: withDefault(wholeNumber(1, 64, "a whole number from 1 to 64"), 4),
    /** How long the outbox relay waits after finding nothing to relay (changes are findable within
     * about this long). */
    OUTBOX_POLL_MS: withDefault(wholeNumber(50, 60_000, "milliseconds from 50 to 60000"), 250),
    /** How often the activity sweep repairs missed starts, finishes and reminders. */
    ACTIVITY_SWEEP_MS: withDefault(wholeNumber(1000, 3_600_000, "milliseconds from 1000 to 3600000"), 15_000),
    STATS_RECOUNT_MS: withDefault(wholeNumber(1000, 3_600_000, "milliseconds from 1000 to 3600000"), 15_000),
    HEARTBEAT_EVERY_MS: withDefault(
      wholeNumber(1000, Number.MAX_SAFE_INTEGER, "milliseconds, at least 1000"),
      30_000,
    ),
    /** BullMQ's lock on an active job (lockDuration): a job whose worker died is taken up again
     * once its lock has expired and the stalled check (WORKER_STALLED_MS) has run. */
    WORKER_LOCK_MS: withDefault(wholeNumber(1000, 3_600_000, "milliseconds from 1000 to 3600000"), 30_000),
    /** How often a worker looks for stalled jobs (stalledInterval). */
    WORKER_STALLED_MS: withDefault(wholeNumber(1000, 3_600_000, "milliseconds from 1000 to 3600000"), 30_000),
  })
  .transform(resolveSearchEngine);

export const seedEnvSchema = z
  .object({
    ...sharedShape,
    DEMO_ADMIN_PHONE: withDefault(
      z.string().regex(/^1[3-9]\d{9}$/, "a mainland mobile number"),
      "13800000000",
    ),
    DEMO_ADMIN_PASSWORD: withDefault(z.string().min(8, "at least 8 characters"), "sanshe-admin-2026"),
  })
  .transform(resolveSearchEngine);

export type SharedEnv = z.output<typeof sharedEnvSchema>;
export type WebEnv = z.output<typeof webEnvSchema>;
export type WorkerEnv = z.output<typeof workerEnvSchema>;
export type SeedEnv = z.output<typeof seedEnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses an env source; the error names each variable and what it expects. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
): z.output<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`),
  );
}

const cache = new Map<z.ZodType, unknown>();
function cached<S extends z.ZodType>(schema: S): z.output<S> {
  if (!cache.has(schema)) cache.set(schema, parseEnv(schema, process.env));
  // The map is keyed by the schema, so the value is that schema's output.
  return cache.get(schema) as z.output<S>;
}

export const sharedEnv = () => cached(sharedEnvSchema);
export const webEnv = () => cached(webEnvSchema);
export const workerEnv = () => cached(workerEnvSchema);
export const seedEnv = () => cached(seedEnvSchema);

/** For a process entry point: parse its env, or print what is wrong and exit with status 1. */
export function loadEnvOrExit<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\nSee README.md "Configuration" for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
}
