import { db } from "~/lib/db.server";
import { sharedEnv } from "~/lib/env.server";
import type { EngineName, SearchEngine } from "./engine";
import { MeilisearchEngine } from "./meilisearch-engine.server";
import { PostgresSearchEngine } from "./postgres-engine.server";

// Engine selection: SEARCH_ENGINE, or Meilisearch when MEILI_URL is set, else PostgreSQL (env.server).

export function createEngine(name: EngineName): SearchEngine {
  if (name === "postgres") return new PostgresSearchEngine(db());
  const env = sharedEnv();
  if (!env.MEILI_URL) throw new Error("MEILI_URL is not set: the Meilisearch engine needs a server");
  return new MeilisearchEngine({
    host: env.MEILI_URL,
    apiKey: env.MEILI_MASTER_KEY,
    indexPrefix: env.MEILI_INDEX_PREFIX,
  });
}

let configured: SearchEngine | undefined;

/** The engine this process searches and relays to, created on first use. */
export function searchEngine(): SearchEngine {
  configured ??= createEngine(sharedEnv().SEARCH_ENGINE);
  return configured;
}
