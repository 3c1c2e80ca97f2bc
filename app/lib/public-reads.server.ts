import pg from "pg";
import { sharedEnv } from "./env.server";
import { describeError, logger } from "./logger.server";

// The public reads that nearly every page makes (the territory tree, the home page's figures, the
// service list, an activity) are kept in memory until PostgreSQL says that one of the tables they
// read changed (ADR 0016). Statement triggers on those tables send a notification naming the table
// when a write commits; each process listens on one connection of its own. Before answering from
// memory, a read asks that connection a trivial question: PostgreSQL delivers the notifications of
// every commit that came before it first, so a page shows every write that finished before it was
// asked for, whichever process or test made it. Without the listening connection nothing is kept.

/** The tables the migration `public_data_changes` (and `attendance_corrections`) put a notifying
 * trigger on. */
export const PUBLIC_TABLES = [
  "District",
  "Subdistrict",
  "Community",
  "RoleAssignment",
  "Provider",
  "ProviderCommunity",
  "Service",
  "ServiceCommunity",
  "TerritoryDailyStat",
  "TerritoryAttendance",
  "TerritoryMonthlyPersons",
  "Activity",
  "ActivityProvider",
  "ActivityNeed",
  "AttendanceCorrection",
] as const;
type PublicTable = (typeof PUBLIC_TABLES)[number];

/** The notification channel; a notification names the table that changed, or none for "all". */
export const PUBLIC_DATA_CHANNEL = "public_data_changed";
/** How long to wait after the listening connection failed before trying again. */
const RECONNECT_AFTER_MS = 1000;

type CacheControl = { tables: ReadonlySet<string>; clear: () => void };
const caches: CacheControl[] = [];

function forget(table: string | undefined) {
  for (const cache of caches) if (!table || cache.tables.has(table)) cache.clear();
}

/** The listening connection, and the one round trip on it that callers may still join. */
class Listening {
  private sent: Promise<unknown> = Promise.resolve();
  private next: Promise<void> | null = null;
  constructor(readonly client: pg.Client) {}

  /** Resolves once a query sent after this call has been answered, and so once every notification
   * of a commit made before this call has been handled. Callers arriving while a query waits to be
   * sent join it: one connection answers many requests. */
  roundTrip(): Promise<void> {
    if (!this.next) {
      const trip = this.sent.then(() => {
        this.next = null;
        return this.client.query("SELECT 1");
      });
      this.next = trip.then(() => undefined);
      this.sent = trip.catch(() => undefined);
    }
    return this.next;
  }
}

let listener: Promise<Listening | null> | null = null;
let retryAt = 0;

async function connectListener(): Promise<Listening | null> {
  const client = new pg.Client({
    connectionString: sharedEnv().DATABASE_URL,
    // Names the process, so an operator (or a test) can tell the listening connections apart.
    application_name: `sanshe-public-reads-${process.pid}`,
  });
  const connected = listener;
  const lose = (error?: unknown) => {
    if (listener === connected) {
      listener = null;
      retryAt = Date.now() + RECONNECT_AFTER_MS;
      // Writes may pass unannounced while nobody listens: nothing kept can be trusted.
      forget(undefined);
      logger.warn("public reads: not listening for changes, reading from the database", describeError(error));
    }
    client.end().catch(() => undefined);
  };
  client.on("notification", (message) => forget(message.payload));
  client.on("error", lose);
  client.on("end", () => lose());
  try {
    await client.connect();
    await client.query(`LISTEN ${PUBLIC_DATA_CHANNEL}`);
    return new Listening(client);
  } catch (error) {
    lose(error);
    return null;
  }
}

/** Whether the listening connection has caught up with every commit made before this call; false
 * when there is none (the caller then reads from the database). */
async function caughtUp(): Promise<boolean> {
  if (!listener) {
    if (Date.now() < retryAt) return false;
    // Set before connecting so that concurrent callers share the attempt; `lose` compares with it.
    listener = Promise.resolve().then(connectListener);
  }
  const listening = await listener;
  if (!listening) return false;
  try {
    await listening.roundTrip();
    return true;
  } catch {
    return false;
  }
}

type CachedReadOptions<A extends unknown[]> = {
  /** Every table the read's result depends on. */
  tables: readonly PublicTable[];
  /** Tells apart the results of different arguments; reads without arguments need none. */
  key?: (...args: A) => string;
  /** The most results kept at once; the oldest goes first. */
  maxEntries?: number;
};

/** A value shared by every caller is frozen, so a caller changing it fails loudly instead of
 * changing what the next page shows. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** `read`, answered from memory while none of `tables` has changed. Failed reads are not kept;
 * results are frozen, as they are shared. */
export function cachedPublicRead<A extends unknown[], T>(
  options: CachedReadOptions<A>,
  read: (...args: A) => Promise<T>,
): (...args: A) => Promise<T> {
  const entries = new Map<string, Promise<T>>();
  const maxEntries = options.maxEntries ?? 1;
  caches.push({ tables: new Set(options.tables), clear: () => entries.clear() });
  return async (...args: A) => {
    if (!(await caughtUp())) return read(...args);
    const key = options.key?.(...args) ?? "";
    const kept = entries.get(key);
    if (kept) return kept;
    const pending = read(...args).then(deepFreeze);
    // A change announced while the read runs clears the map, so its result is not kept past it.
    entries.set(key, pending);
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    pending.catch(() => {
      if (entries.get(key) === pending) entries.delete(key);
    });
    return pending;
  };
}

/** Closes the listening connection (at shutdown, and between tests that stop the database). */
export async function stopListeningForChanges() {
  const current = listener;
  listener = null;
  retryAt = 0;
  forget(undefined);
  const listening = await current;
  await listening?.client.end().catch(() => undefined);
}
