import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

// The Prisma CLI cannot download its native schema engine here, so it runs the JS/WASM engine over
// node-postgres. See docs/decisions/0007-prisma-offline-engine.md for the workarounds below.

/** adapter-pg 6.19.3 cannot map the catalog types `name` (OID 19) and `"char"` (OID 18) that
 * introspection queries return (prisma/orm#27403); they are plain text to Prisma. */
const TEXT_OID = 25;
const CATALOG_TEXT_OIDS = new Set([18, 19]);
function reportCatalogTypesAsText(result: pg.QueryResult): pg.QueryResult {
  for (const field of result.fields ?? []) {
    if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}

/** A pool whose clients rewrite catalog column types before the adapter sees them. */
class CatalogTolerantPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super({ ...config, Client: CatalogTolerantClient });
  }
}
class CatalogTolerantClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; we only post-process.
  override query(...args: any[]): any {
    const callback = args.at(-1);
    if (typeof callback === "function") {
      // The pool calls with a callback; rewrite the result on its way back.
      args[args.length - 1] = (error: Error | null, result: pg.QueryResult) =>
        callback(error, result ? reportCatalogTypesAsText(result) : result);
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    const pending = (super.query as (...a: any[]) => any)(...args);
    return pending instanceof Promise ? pending.then(reportCatalogTypesAsText) : pending;
  }
}

function connectionFields(url: string): pg.PoolConfig {
  // Separate fields, not connectionString: pg lets a connectionString override `database`,
  // which would point the shadow database at the main one.
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")),
    allowExitOnIdle: true,
  };
}

type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/** adapter-pg 6.19.3 runs a migration split at every ";", which cuts a function body in dollar
 * quotes in two. Sent whole, as Prisma's native engine sends it, PostgreSQL runs the script in one
 * implicit transaction: with no arguments node-postgres uses the simple query protocol, which takes
 * several statements, and executeRaw keeps the adapter's mapping of errors to readable messages. */
function runWholeScripts(adapter: PgAdapter): PgAdapter {
  adapter.executeScript = async (script) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

/** Shadow databases: close the pool before dropping, and force the drop. */
class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly fields: pg.PoolConfig) {
    super(new CatalogTolerantPool(fields));
  }
  override async connect() {
    return runWholeScripts(await super.connect());
  }
  override async connectToShadowDb() {
    const admin = new pg.Pool({ ...this.fields, database: "postgres" });
    const database = `prisma_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    const shadowPool = new CatalogTolerantPool({ ...this.fields, database });
    const shadow = runWholeScripts(
      await new PrismaPg(shadowPool, {
        onPoolError: () => undefined,
      }).connect(),
    );
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await shadowPool.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    };
    return shadow;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/sanshe";
    return new MigrationAdapterFactory(connectionFields(url));
  },
});
