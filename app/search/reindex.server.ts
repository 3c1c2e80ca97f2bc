import { db } from "~/lib/db.server";
import { syncDocuments } from "./documents.server";
import type { DocumentRef, SearchEngine, SearchType } from "./engine";

// `npm run reindex`: rebuilds an engine's documents from PostgreSQL. Safe while the app serves: each
// batch takes the same per-document locks as the relay, and a document found in the engine but not
// in the scan is re-checked against the database before it is removed (it may have been created
// after the scan began).

const BATCH = 500;
const INDEXED: readonly ("service" | "provider" | "need")[] = ["provider", "service", "need"];

async function idsAfter(type: (typeof INDEXED)[number], cursor: string, take: number): Promise<string[]> {
  const args = { where: { id: { gt: cursor } }, orderBy: { id: "asc" as const }, take, select: { id: true } };
  const rows =
    type === "service"
      ? await db().service.findMany(args)
      : type === "provider"
        ? await db().provider.findMany(args)
        : await db().need.findMany(args);
  return rows.map((r) => r.id);
}

export async function countIndexable() {
  const [service, provider, need] = await Promise.all([
    db().service.count(),
    db().provider.count(),
    db().need.count(),
  ]);
  return service + provider + need;
}

export type ReindexReport = Record<SearchType, { indexed: number; removed: number }>;

export async function reindex(engine: SearchEngine, onProgress: (checked: number) => void = () => undefined) {
  await engine.ensureReady();
  const report: ReindexReport = {
    service: { indexed: 0, removed: 0 },
    provider: { indexed: 0, removed: 0 },
    need: { indexed: 0, removed: 0 },
    activity: { indexed: 0, removed: 0 },
  };
  const sync = async (refs: DocumentRef[], type: SearchType) => {
    const result = await db().$transaction((tx) => syncDocuments(tx, engine, refs), { timeout: 120_000 });
    report[type].indexed += result.upserted;
    report[type].removed += result.removed;
    return result;
  };
  let checked = 0;
  for (const type of INDEXED) {
    const seen = new Set<string>();
    for (let cursor = ""; ; ) {
      const ids = await idsAfter(type, cursor, BATCH);
      if (!ids.length) break;
      await sync(
        ids.map((id) => ({ type, id })),
        type,
      );
      for (const id of ids) seen.add(id);
      checked += ids.length;
      onProgress(checked);
      cursor = ids[ids.length - 1] ?? cursor;
    }
    const strays = (await engine.ids(type)).filter((id) => !seen.has(id));
    for (let i = 0; i < strays.length; i += BATCH) {
      await sync(
        strays.slice(i, i + BATCH).map((id) => ({ type, id })),
        type,
      );
    }
  }
  // Activities join the index with the activities feature; until then the engine should hold none.
  const activities = await engine.ids("activity");
  if (activities.length) await engine.remove(activities.map((id) => ({ type: "activity" as const, id })));
  report.activity.removed = activities.length;
  return report;
}
