import { readFile } from "node:fs/promises";
import { get } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import {
  freePort,
  killAllProcesses,
  spawnProcess,
  stopProcess,
  waitFor,
  waitUntilListening,
} from "../setup/processes";
import { todaysShareOf } from "../setup/sweeps";

// WEB_PROCESSES (scripts/serve.ts, #17): several serving processes on one port under node:cluster,
// a dead one replaced, and all of them gone after SIGTERM.

// Each test starts processes of its own: npm test runs today's third of them, test:full all.
const todays = todaysShareOf("web-processes");

/** The pids of a process's children (Linux). */
async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "");
  return text.split(/\s+/).filter(Boolean).map(Number);
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The status of GET /healthz over a connection of its own (`agent: false`): a kept-alive socket of a
 * pool could belong to the process just killed, and a request on it fails without ever reaching the
 * port, which is not what is being checked. */
const health = (port: number) =>
  new Promise<number>((resolve, reject) => {
    get({ host: "127.0.0.1", port, path: "/healthz", agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on("error", reject);
  });

afterEach(killAllProcesses);

describe("WEB_PROCESSES", () => {
  it.runIf(todays())(
    "serves from two processes on one port, replaces one that dies, and stops them all on SIGTERM",
    async () => {
      const port = await freePort();
      // At info level each serving process says when it listens: a process forked but still loading
      // the build serves nothing, and killing the only one listening would leave the port closed.
      const web = spawnProcess("scripts/serve.ts", {
        PORT: String(port),
        WEB_PROCESSES: "2",
        LOG_LEVEL: "info",
      });
      const primary = web.child.pid ?? 0;
      const listening = () => (web.stdout() + web.stderr()).split("web listening").length - 1;
      await waitUntilListening(web, `http://127.0.0.1:${port}/healthz`);
      const first = await waitFor(
        "two serving processes",
        async () => {
          const pids = await childrenOf(primary);
          return pids.length === 2 && listening() === 2 ? pids : undefined;
        },
        web,
        60_000,
      );
      const answers = await Promise.all(Array.from({ length: 20 }, () => health(port)));
      expect(answers.every((status) => status === 200)).toBe(true);

      const [victim = 0, survivor = 0] = first;
      process.kill(victim, "SIGKILL");
      const second = await waitFor(
        "a replacement process",
        async () => {
          const pids = await childrenOf(primary);
          return pids.length === 2 && !pids.includes(victim) ? pids : undefined;
        },
        web,
        60_000,
      );
      expect(second).toContain(survivor);
      // The survivor answers meanwhile; the replacement joins once it has loaded the build.
      expect(await health(port)).toBe(200);

      expect(await stopProcess(web, "SIGTERM")).toBe(0);
      // The primary exits only after its processes have; give the kernel a moment to reap them.
      for (let tries = 0; second.some(alive) && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(second.filter(alive)).toEqual([]);
    },
    180_000,
  );

  it.runIf(todays())(
    "serves from one process, without a cluster, when WEB_PROCESSES=1",
    async () => {
      const port = await freePort();
      const web = spawnProcess("scripts/serve.ts", { PORT: String(port), WEB_PROCESSES: "1" });
      await waitUntilListening(web, `http://127.0.0.1:${port}/healthz`);
      expect(await childrenOf(web.child.pid ?? 0)).toEqual([]);
      expect(await stopProcess(web, "SIGTERM")).toBe(0);
    },
    120_000,
  );
});
