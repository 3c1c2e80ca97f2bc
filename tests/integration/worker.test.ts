import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { redis } from "~/lib/redis.server";
import { bullConnection } from "~/queue/queues.server";
import { HEARTBEAT_KEY } from "../../workers/processors/maintenance";

// The real worker process (node + tsx, as in production) against the test Redis and database.

type Spawned = {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
};

const children = new Set<ChildProcess>();

function spawnWorker(extraEnv: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = once(child, "exit").then(([code]) => {
    children.delete(child);
    return typeof code === "number" ? code : null;
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls until the check gives a value, or fails with what the process printed so far. */
async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  worker: Spawned,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}\nstdout:\n${worker.stdout()}\nstderr:\n${worker.stderr()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type LogLine = { level?: unknown; msg?: unknown };

function logLines(text: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed !== null && typeof parsed === "object") lines.push(parsed);
    } catch {
      // Not one of the logger's lines.
    }
  }
  return lines;
}

const logged = (worker: Spawned, message: string) =>
  logLines(worker.stdout()).find((line) => line.msg === message);

function killChild(child: ChildProcess) {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    process.kill(child.pid, "SIGKILL");
  }
}

let maintenance: Queue;

beforeAll(() => {
  maintenance = new Queue("maintenance", { connection: bullConnection("producer") });
});

// Registered after the shared setup's afterEach, so it runs first: no worker writes to Redis while
// the next test's state is being reset.
afterEach(async () => {
  const pending = [...children];
  for (const child of pending) killChild(child);
  await Promise.all(pending.map((child) => (child.exitCode === null ? once(child, "exit") : undefined)));
});

afterAll(async () => {
  for (const child of children) killChild(child);
  await maintenance.close();
});

describe("worker process", () => {
  it("starts, registers the heartbeat scheduler, beats, and stops cleanly on SIGTERM", async () => {
    const worker = spawnWorker({ HEARTBEAT_EVERY_MS: "1000", LOG_LEVEL: "info" });

    const started = await waitFor("worker started", () => logged(worker, "worker started"), worker);
    expect(started.level).toBe("info");

    const scheduler = await waitFor(
      "the heartbeat job scheduler",
      async () => (await maintenance.getJobScheduler("heartbeat")) ?? undefined,
      worker,
    );
    expect(scheduler.key).toBe("heartbeat");
    expect(scheduler.name).toBe("heartbeat");
    expect(Number(scheduler.every)).toBe(1000);

    const beat = await waitFor(
      "the heartbeat key",
      async () => (await redis().get(HEARTBEAT_KEY)) ?? undefined,
      worker,
    );
    expect(Number.isNaN(Date.parse(beat))).toBe(false);
    expect(await redis().ttl(HEARTBEAT_KEY)).toBeGreaterThan(0);

    const pid = worker.child.pid;
    if (pid === undefined) throw new Error("the worker has no PID");
    process.kill(pid, "SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(logged(worker, "worker shutting down")).toMatchObject({ signal: "SIGTERM" });
    expect(logged(worker, "worker stopped")).toBeDefined();
    expect(worker.stderr()).not.toContain('"level":"error"');
  });

  it("keeps one heartbeat scheduler across restarts and follows a new interval", async () => {
    const first = spawnWorker({ HEARTBEAT_EVERY_MS: "1000", LOG_LEVEL: "info" });
    await waitFor("worker started", () => logged(first, "worker started"), first);
    const firstPid = first.child.pid;
    if (firstPid === undefined) throw new Error("the worker has no PID");
    process.kill(firstPid, "SIGTERM");
    expect(await first.exited).toBe(0);

    const second = spawnWorker({ HEARTBEAT_EVERY_MS: "5000", LOG_LEVEL: "info" });
    await waitFor("worker started", () => logged(second, "worker started"), second);
    const schedulers = await maintenance.getJobSchedulers();
    expect(schedulers.map((scheduler) => scheduler.key)).toEqual(["heartbeat"]);
    expect(Number(schedulers[0]?.every)).toBe(5000);
  });

  it("refuses to start with a bad HEARTBEAT_EVERY_MS: exit code 1 and a message naming it", async () => {
    const worker = spawnWorker({ HEARTBEAT_EVERY_MS: "abc", LOG_LEVEL: "info" });
    expect(await worker.exited).toBe(1);
    expect(worker.stderr()).toContain("HEARTBEAT_EVERY_MS");
    expect(worker.stderr()).toContain("Invalid environment");
    expect(logged(worker, "worker started")).toBeUndefined();
    expect(await maintenance.getJobScheduler("heartbeat")).toBeUndefined();
  });
});
