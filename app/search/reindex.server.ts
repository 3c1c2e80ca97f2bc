import { BUSY_TRANSACTION, db } from "~/lib/db.server";
import { syncDocuments } from "./documents.server";
import { type DocumentRef, SEARCH_TYPES, type SearchEngine, type SearchType } from "./engine";

// `npm run reindex`: rebuilds an engine's documents from PostgreSQL. Safe while the app serves: each
// batch takes the same per-document locks as the relay, and a document found in the engine but not
// in the scan is re-checked against the database before it is removed (it may have been created
// after the scan began).

/** Rows per batch: each batch is a handful of statements whatever its size, so larger batches mean
 * fewer round trips; 1,000 keeps the upsert's parameters (16 a document) well under PostgreSQL's
 * 65,535. */
const BATCH = 1000;
/** Batches in flight: while one batch is segmented in this process, PostgreSQL writes the other. */
const IN_FLIGHT = 2;

async function idsAfter(type: SearchType, cursor: string, take: number): Promise<string[]> {
  const args = { where: { id: { gt: cursor } }, orderBy: { id: "asc" as const }, take, select: { id: true } };
  const rows = await {
    service: () => db().service.findMany(args),
    provider: () => db().provider.findMany(args),
    need: () => db().need.findMany(args),
    activity: () => db().activity.findMany(args),
    venue: () => db().venue.findMany(args),
  }[type]();
  return rows.map((r) => r.id);
}

export async function countIndexable() {
  const counts = await Promise.all([
    db().service.count(),
    db().provider.count(),
    db().need.count(),
    db().activity.count(),
    db().venue.count(),
  ]);
  return counts.reduce((sum, n) => sum + n, 0);
}

export type ReindexReport = Record<SearchType, { indexed: number; removed: number }>;

/** Runs `work` on each batch `next` hands out, IN_FLIGHT batches at a time, until `next` has none. */
async function eachBatch(next: () => Promise<string[]>, work: (ids: string[]) => Promise<void>) {
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let ids = await next(); ids.length; ids = await next()) await work(ids);
    }),
  );
}

export async function reindex(engine: SearchEngine, onProgress: (checked: number) => void = () => undefined) {
  await engine.ensureReady();
  const report: ReindexReport = {
    service: { indexed: 0, removed: 0 },
    provider: { indexed: 0, removed: 0 },
    need: { indexed: 0, removed: 0 },
    activity: { indexed: 0, removed: 0 },
    venue: { indexed: 0, removed: 0 },
  };
  const sync = async (refs: DocumentRef[], type: SearchType) => {
    // A batch job waits for a pooled connection as long as a busy request does, rather than fail the
    // whole rebuild at the 2 s default (a million-document reindex died so on a loaded machine).
    const result = await db().$transaction((tx) => syncDocuments(tx, engine, refs), {
      maxWait: BUSY_TRANSACTION.maxWait,
      timeout: 120_000,
    });
    report[type].indexed += result.upserted;
    report[type].removed += result.removed;
    return result;
  };
  let checked = 0;
  const rebuild = async () => {
    for (const type of SEARCH_TYPES) {
      const seen = new Set<string>();
      // The id pages are read one after the other (each starts after the last id of the one before);
      // their batches are written IN_FLIGHT at a time.
      let cursor = "";
      let pages = Promise.resolve<string[]>([]);
      const next = () => {
        pages = pages.then(async () => {
          const ids = await idsAfter(type, cursor, BATCH);
          cursor = ids[ids.length - 1] ?? cursor;
          for (const id of ids) seen.add(id);
          return ids;
        });
        return pages;
      };
      await eachBatch(next, async (ids) => {
        await sync(
          ids.map((id) => ({ type, id })),
          type,
        );
        checked += ids.length;
        onProgress(checked);
      });
      const strays = (await engine.ids(type)).filter((id) => !seen.has(id));
      for (let i = 0; i < strays.length; i += BATCH) {
        await sync(
          strays.slice(i, i + BATCH).map((id) => ({ type, id })),
          type,
        );
      }
    }
  };
  // A first build (or one after the index was emptied) writes almost every document anew: the engine
  // may then build its indexes once at the end instead of updating them document by document.
  if (engine.bulkLoad) await engine.bulkLoad(await countIndexable(), rebuild);
  else await rebuild();
  return report;
}
