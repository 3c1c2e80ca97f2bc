import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { redis } from "~/lib/redis.server";
import { bullOptions } from "~/queue/queues.server";
import { HEARTBEAT_KEY } from "../../workers/processors/maintenance";
import { killAllProcesses, type Spawned, spawnProcess, waitFor } from "../setup/processes";
import { todaysShareOf } from "../setup/sweeps";

// The real worker process (node + tsx, as in production) against the test Redis and database.

// Each test starts processes of its own: npm test runs today's third of them, test:full all.
const todays = todaysShareOf("worker");

const spawnWorker = (env: Record<string, string>) => spawnProcess("workers/index.ts", env);

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

let maintenance: Queue;

beforeAll(() => {
  maintenance = new Queue("maintenance", bullOptions("producer"));
});

// Registered after the shared setup's afterEach, so it runs first: no worker writes to Redis while
// the next test's state is being reset.
afterEach(killAllProcesses);

afterAll(async () => {
  await killAllProcesses();
  await maintenance.close();
});

describe("worker process", () => {
  it.runIf(todays())(
    "starts, registers the heartbeat scheduler, beats, and stops cleanly on SIGTERM",
    async () => {
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
    },
  );

  it.runIf(todays())("keeps one heartbeat scheduler across restarts and follows a new interval", async () => {
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

  it.runIf(todays())(
    "refuses to start with a bad HEARTBEAT_EVERY_MS: exit code 1 and a message naming it",
    async () => {
      const worker = spawnWorker({ HEARTBEAT_EVERY_MS: "abc", LOG_LEVEL: "info" });
      expect(await worker.exited).toBe(1);
      expect(worker.stderr()).toContain("HEARTBEAT_EVERY_MS");
      expect(worker.stderr()).toContain("Invalid environment");
      expect(logged(worker, "worker started")).toBeUndefined();
      expect(await maintenance.getJobScheduler("heartbeat")).toBeUndefined();
    },
  );
});
