import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";

// Our real processes (the web server, the worker) started as operators start them, for the tests
// that need a process boundary: a dependency down at start, a worker killed mid-job.

export type Spawned = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
};

const running = new Set<ChildProcess>();

/** `scripts/serve.ts` or `workers/index.ts` (or the benchmark's bare server) under node + tsx, with
 * the test env plus `env`. The web server runs as one process unless WEB_PROCESSES says otherwise
 * (in `env`, or in the environment, as the benchmarks take it): one pid to signal, one core's load. */
export function spawnProcess(
  script: "scripts/serve.ts" | "workers/index.ts" | "tests/bench/bare-server.ts",
  env: Record<string, string>,
  args: string[] = [],
): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: process.cwd(),
    env: { WEB_PROCESSES: "1", ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = once(child, "exit").then(([code]) => {
    running.delete(child);
    return typeof code === "number" ? code : null;
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP port");
  return address.port;
}

/** Polls until the check gives a value; fails with what the process printed when it times out or
 * the process exits first. The default wait is generous: test files run in parallel on two shared
 * cores, where starting a process under tsx can take many seconds. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  proc: Spawned,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline || proc.child.exitCode !== null) {
      throw new Error(`timed out waiting for ${what}\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until a web process answers HTTP at `url`. */
export const waitUntilListening = (proc: Spawned, url: string) =>
  waitFor(
    `${url} to answer`,
    async () => {
      try {
        await fetch(url);
        return true;
      } catch {
        return undefined;
      }
    },
    proc,
    60_000,
  );

/** A worker whose sweeps stay out of the way unless asked (they repair what the delayed jobs miss,
 * which would hide a late or missing job), with `env` on top. */
export function spawnQuietWorker(env: Record<string, string> = {}): Spawned {
  return spawnProcess("workers/index.ts", {
    OUTBOX_POLL_MS: "100",
    ACTIVITY_SWEEP_MS: "3600000",
    STATS_RECOUNT_MS: "3600000",
    LOG_LEVEL: "info",
    ...env,
  });
}

/** Waits for a worker's "worker started" line: its queues and signal handlers are in place. */
export const workerStarted = (worker: Spawned, timeoutMs = 30_000) =>
  waitFor(
    "the worker to start",
    () => (worker.stdout().includes('"worker started"') ? true : undefined),
    worker,
    timeoutMs,
  );

/** Stops a process with the signal (SIGKILL after 10 s) and waits for it to exit. */
export async function stopProcess(proc: Spawned, signal: NodeJS.Signals = "SIGTERM") {
  const { child } = proc;
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return proc.exited;
  child.kill(signal);
  const fallback = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const code = await proc.exited;
  clearTimeout(fallback);
  return code;
}

/** Kills whatever a test left running (call it from afterEach/afterAll). */
export async function killAllProcesses() {
  const pending = [...running];
  for (const child of pending) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  await Promise.all(pending.map((child) => (child.exitCode === null ? once(child, "exit") : undefined)));
}
