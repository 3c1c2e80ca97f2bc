import pg from "pg";
import { sharedEnv } from "~/lib/env.server";

// Creates the database named in DATABASE_URL when it does not exist yet (migrations need it).

const url = new URL(sharedEnv().DATABASE_URL);
const name = decodeURIComponent(url.pathname.slice(1));
if (!/^[A-Za-z0-9_-]+$/.test(name)) {
  console.error(`DATABASE_URL names an unusual database "${name}"; create it yourself.`);
  process.exit(1);
}
const admin = new URL(url);
admin.pathname = "/postgres";
const client = new pg.Client({ connectionString: admin.toString() });
await client.connect();
try {
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (exists.rowCount === 0) {
    await client.query(`CREATE DATABASE "${name}"`);
    console.log(`created database ${name}`);
  }
} finally {
  await client.end();
}
