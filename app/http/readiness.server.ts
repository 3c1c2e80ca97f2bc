import { db } from "~/lib/db.server";
import { redis } from "~/lib/redis.server";
import { searchEngine } from "~/search/engines.server";

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

/** The configured engine's own health check (the embedded one lives in PostgreSQL). */
const searchEngineAnswers = () =>
  answers(async () => {
    if (!(await searchEngine().healthy())) throw new Error("unhealthy");
  });

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
