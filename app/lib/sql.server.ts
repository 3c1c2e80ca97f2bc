import pg from "pg";
import { sharedEnv } from "./env.server";

// A plain pg pool of its own beside the Prisma client's, for the statements on the hottest paths (the
// registration rush and the token lookup on every request, ADR 0019): through Prisma each query pays
// for its query compiler and client runtime, several times what the statement costs PostgreSQL. A pool
// of its own rather than Prisma's: the adapter adds an error listener to a pool it was handed on every
// connect, and the rush hung on the shared pool when tried.

const holder = globalThis as typeof globalThis & { __sansheSql?: pg.Pool };

/** Prisma stores DateTime as UTC in `timestamp` columns; pg would read them as the process's local time. */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.TIMESTAMP, (value: string) => new Date(`${value.replace(" ", "T")}Z`));

function pool(): pg.Pool {
  if (!holder.__sansheSql) {
    holder.__sansheSql = new pg.Pool({
      connectionString: sharedEnv().DATABASE_URL,
      max: sharedEnv().DATABASE_SQL_POOL_SIZE,
      // now() written into `timestamp` columns is UTC, as Prisma writes them.
      options: "-c TimeZone=UTC",
      types,
      // Under a burst requests queue for a connection rather than fail; an unreachable database still
      // fails at once (connection refused).
      connectionTimeoutMillis: 15_000,
    });
    // A connection that fails while idle (the server restarted) is dropped by the pool and the next
    // query reports the trouble; without a listener the error would end the process.
    holder.__sansheSql.on("error", () => {});
  }
  return holder.__sansheSql;
}

/** One statement on the plain pool (autocommit: it is its own transaction). With a name, it is
 * prepared once per connection and its plan kept: PostgreSQL then neither parses nor plans it again. */
export function sql<Row extends pg.QueryResultRow>(text: string, values: unknown[], name?: string) {
  return pool().query<Row>({ text, values, name });
}

/** The constraint a failed statement violated, if that is why it failed. */
export const violatedConstraint = (error: unknown) =>
  error instanceof pg.DatabaseError ? error.constraint : undefined;

export async function closeSqlPool() {
  const open = holder.__sansheSql;
  holder.__sansheSql = undefined;
  await open?.end();
}
