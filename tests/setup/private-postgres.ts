import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./processes";

// A throwaway PostgreSQL cluster of a test's own, for faults that would disturb everyone else on the
// shared server (stopping and restarting it). It lives in a temp dir with trust auth on a free
// loopback port; PostgreSQL refuses to run as root, so as root its commands run as `postgres`.

const run = promisify(execFile);

/** The directory with initdb and pg_ctl, or undefined when PostgreSQL's server binaries are absent. */
function findBinDir(): string | undefined {
  const candidates: string[] = [];
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql") : [];
  // Newest first, the same choice as Debian's wrappers make.
  for (const version of versions.sort((a, b) => Number(b) - Number(a))) {
    candidates.push(path.join("/usr/lib/postgresql", version, "bin"));
  }
  candidates.push("/usr/local/pgsql/bin", "/usr/bin");
  return candidates.find(
    (dir) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl")),
  );
}

async function userIds(name: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

export type PrivatePostgres = {
  /** A connection URL for the database created in the cluster. */
  url: string;
  stop: (mode?: "fast" | "immediate") => Promise<void>;
  start: () => Promise<void>;
  /** Stops the cluster if it runs and deletes its files. */
  destroy: () => Promise<void>;
};

/** Why a private cluster cannot be made here, or undefined when it can. */
export async function privatePostgresUnavailable(): Promise<string | undefined> {
  if (!findBinDir()) return "PostgreSQL server binaries (initdb, pg_ctl) are not installed";
  if (process.getuid?.() === 0 && !(await userIds("postgres"))) {
    return "running as root and there is no postgres user to run PostgreSQL as";
  }
  return undefined;
}

export async function startPrivatePostgres(database: string): Promise<PrivatePostgres> {
  const binDir = findBinDir();
  if (!binDir) throw new Error("PostgreSQL server binaries (initdb, pg_ctl) are not installed");
  const owner = process.getuid?.() === 0 ? await userIds("postgres") : undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), "sanshe-pg-"));
  if (owner) await chown(dir, owner.uid, owner.gid);
  const dataDir = path.join(dir, "data");
  const port = await freePort();

  const pgCommand = (tool: string, args: string[]) =>
    owner
      ? run("runuser", ["-u", "postgres", "--", path.join(binDir, tool), ...args])
      : run(path.join(binDir, tool), args);

  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    // A scratch cluster: durability across an OS crash is not what the test is about.
    "-c fsync=off",
    "-c max_connections=40",
  ].join(" ");
  let running = false;
  const start = async () => {
    await pgCommand("pg_ctl", [
      "start",
      "-w",
      "-t",
      "30",
      "-D",
      dataDir,
      "-l",
      path.join(dir, "log"),
      "-o",
      options,
    ]);
    running = true;
  };
  const stop = async (mode: "fast" | "immediate" = "fast") => {
    await pgCommand("pg_ctl", ["stop", "-w", "-t", "30", "-m", mode, "-D", dataDir]);
    running = false;
  };
  const destroy = async () => {
    if (running) await stop("immediate").catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await pgCommand("initdb", [
      "-D",
      dataDir,
      "-U",
      "postgres",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    await start();
    const admin = new pg.Client({ host: "127.0.0.1", port, user: "postgres", database: "postgres" });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    await admin.end();
  } catch (error) {
    await destroy();
    throw error;
  }
  return { url: `postgresql://postgres@127.0.0.1:${port}/${database}`, start, stop, destroy };
}
