import { Meilisearch } from "meilisearch";
import { db } from "./db.server";
import { sharedEnv } from "./env.server";
import { redis } from "./redis.server";

// Readiness: each dependency answers within a short time or is reported down by name.

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("timeout")), CHECK_TIMEOUT_MS).unref(),
    ),
  ]);
}

async function answers(check: () => Promise<unknown>): Promise<boolean> {
  try {
    await withTimeout(check());
    return true;
  } catch {
    return false;
  }
}

async function searchEngineAnswers(): Promise<boolean> {
  const env = sharedEnv();
  if (env.SEARCH_ENGINE === "meilisearch" && env.MEILI_URL) {
    const client = new Meilisearch({ host: env.MEILI_URL, apiKey: env.MEILI_MASTER_KEY });
    return answers(async () => {
      if (!(await client.isHealthy())) throw new Error("unhealthy");
    });
  }
  // The embedded engine lives in PostgreSQL.
  return answers(() => db().$queryRaw`SELECT 1`);
}

export type Readiness = { ready: boolean; checks: Record<"postgres" | "redis" | "search", "ok" | "down"> };

export async function checkReadiness(): Promise<Readiness> {
  const [postgres, redisOk, search] = await Promise.all([
    answers(() => db().$queryRaw`SELECT 1`),
    answers(() => redis().ping()),
    searchEngineAnswers(),
  ]);
  const state = (ok: boolean): "ok" | "down" => (ok ? "ok" : "down");
  return {
    ready: postgres && redisOk && search,
    checks: { postgres: state(postgres), redis: state(redisOk), search: state(search) },
  };
}
