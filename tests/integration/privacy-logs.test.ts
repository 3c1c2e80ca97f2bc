import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { sharedEnv } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { createTerritoryFixture, DEFAULT_PASSWORD, type TerritoryFixture } from "../../prisma/factories";
import {
  freePort,
  killAllProcesses,
  type Spawned,
  spawnProcess,
  stopProcess,
  waitFor,
  waitUntilListening,
} from "../setup/processes";
import { todaysShareOf } from "../setup/sweeps";

// No phone number, name or address in logs, job payloads or URLs (DESIGN.md §7; ADR 0013). The web
// server and the worker run as in production, logging everything (debug), while residents and a
// worker go through the journeys that carry personal data: sign-up, failed and good sign-ins, needs
// with a phone number and an address typed into them, 代办 for a resident without an account, an
// activity and its registration, a search for a phone number, the export and the deletion. Then
// every line both processes printed, every job BullMQ holds in Redis and every outbox row is scanned.

// Each test starts processes of its own: npm test runs today's third of them, test:full all.
const todays = todaysShareOf("privacy-logs");

// Not inside a run of lowercase hex: a hashed key (rl:onbehalf:user:<sha256>) holds eleven digits
// starting 13–19 now and then by chance, and a hash is no phone number.
const MOBILE = /(?<![\da-f])1[3-9]\d{9}(?![\da-f])/;
const RESIDENT = { phone: "13712345678", name: "欧阳淑珍", password: "a-good-password" };
const BEHALF = { phone: "13698765432", name: "司马建华" };
const ADDRESS = "和平里东街12号院3号楼";
const PERSONAL = [RESIDENT.name, BEHALF.name, ADDRESS, "和平里东街"];

let fx: TerritoryFixture;
let web: Spawned;
let worker: Spawned;
let origin = "";

beforeAll(async () => {
  fx = await createTerritoryFixture(db());
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  const env = { LOG_LEVEL: "debug", SEARCH_ENGINE: "postgres" };
  web = spawnProcess("scripts/serve.ts", { ...env, PORT: String(port) });
  worker = spawnProcess("workers/index.ts", { ...env, OUTBOX_POLL_MS: "100" });
  await waitUntilListening(web, `${origin}/healthz`);
});
// Registered after the shared reset, so it runs before it: no process writes while tables are emptied.
afterEach(killAllProcesses);
afterAll(killAllProcesses);

async function call(
  path: string,
  init: {
    method?: string;
    json?: unknown;
    token?: string;
    form?: Record<string, string>;
    cookie?: string;
  } = {},
) {
  const headers: Record<string, string> = { origin };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie) headers.cookie = init.cookie;
  let body: string | undefined;
  if (init.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(init.json);
  } else if (init.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(init.form).toString();
  }
  const res = await fetch(origin + path, {
    method: init.method ?? (body ? "POST" : "GET"),
    headers,
    body,
    redirect: "manual",
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

async function tokenOf(phone: string, password: string) {
  const res = await call("/api/v1/auth/token", { json: { phone, password } });
  expect(res.status).toBe(200);
  const { token }: { token: string } = res.json();
  return token;
}

/** Everything Redis holds for the queues: job hashes (payload, options, results, errors), lists,
 * sets and event streams, as text. */
async function redisText(): Promise<string> {
  const parts: string[] = [];
  // KEYS takes a pattern, which the client does not prefix; the keys it answers carry the prefix.
  const prefix = sharedEnv().REDIS_KEY_PREFIX;
  for (const key of (await redis().keys(`${prefix}*`)).map((k) => k.slice(prefix.length))) {
    const type = await redis().type(key);
    if (type === "hash") parts.push(key, JSON.stringify(await redis().hgetall(key)));
    else if (type === "string") parts.push(key, String(await redis().get(key)));
    else if (type === "list") parts.push(key, ...(await redis().lrange(key, 0, -1)));
    else if (type === "set") parts.push(key, ...(await redis().smembers(key)));
    else if (type === "zset") parts.push(key, ...(await redis().zrange(key, "0", "-1")));
    else if (type === "stream") parts.push(key, JSON.stringify(await redis().xrange(key, "-", "+")));
  }
  return parts.join("\n");
}

function leaksIn(where: string, text: string): string[] {
  const found: string[] = [];
  const phone = MOBILE.exec(text);
  if (phone)
    found.push(`${where}: a phone number …${text.slice(Math.max(0, phone.index - 80), phone.index + 20)}…`);
  for (const value of PERSONAL) if (text.includes(value)) found.push(`${where}: "${value}"`);
  return found;
}

describe("personal data in logs, job payloads and URLs", () => {
  it.runIf(todays())(
    "never appears, through a whole journey with real processes logging at debug",
    async () => {
      const a1 = fx.communities.a1.id;
      const staffToken = await tokenOf(fx.users.workerA1.phone, DEFAULT_PASSWORD);

      // Sign-up on the web form (consent ticked), a failed and a good sign-in.
      const signUp = await call("/register", {
        form: {
          name: RESIDENT.name,
          phone: RESIDENT.phone,
          password: RESIDENT.password,
          communityId: a1,
          privacyConsent: "yes",
        },
      });
      expect(signUp.status).toBe(302);
      expect(
        (await call("/api/v1/auth/token", { json: { phone: RESIDENT.phone, password: "wrong-password" } }))
          .status,
      ).toBe(401);
      const token = await tokenOf(RESIDENT.phone, RESIDENT.password);

      // A need with the phone number, the name and the address typed into it (residents do).
      const need = await call("/api/v1/needs", {
        token,
        json: {
          title: "需要有人帮忙买菜",
          description: `我是${RESIDENT.name}，住${ADDRESS}，电话${RESIDENT.phone}，每周需要有人帮忙买菜。`,
          category: "elderly-care",
          urgency: "NORMAL",
          preferredTime: "周二上午",
        },
      });
      expect(need.status).toBe(201);
      // Bad input that echoes personal data back: a 400, not a log line.
      expect(
        (await call("/api/v1/needs", { token, json: { title: RESIDENT.phone, description: ADDRESS } }))
          .status,
      ).toBe(400);

      // 代办 for a resident who has no account yet.
      const behalf = await call("/api/v1/needs", {
        token: staffToken,
        json: {
          title: "老人需要上门理发",
          description: `${BEHALF.name}老人行动不便，住${ADDRESS}，电话${BEHALF.phone}。`,
          category: "elderly-care",
          communityId: a1,
          requesterPhone: BEHALF.phone,
          requesterName: BEHALF.name,
        },
      });
      expect(behalf.status).toBe(201);

      // An activity published by the worker, and the resident's registration; a 代办 registration by phone.
      const startsAt = new Date(Date.now() + 3 * 24 * 3600 * 1000);
      const activity = await call("/api/v1/activities", {
        token: staffToken,
        json: {
          title: "社区健康讲座",
          description: "请医生讲讲冬季老年人保健知识。",
          communityId: a1,
          venue: "社区活动室",
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 2 * 3600 * 1000).toISOString(),
          capacity: 30,
          publish: true,
        },
      });
      expect(activity.status).toBe(201);
      const activityId: string = activity.json().activity.id;
      expect((await call(`/api/v1/activities/${activityId}/registrations`, { token, json: {} })).status).toBe(
        201,
      );
      const onBehalf = await call(`/api/v1/activities/${activityId}/registrations`, {
        token: staffToken,
        json: { phone: BEHALF.phone },
      });
      expect(onBehalf.status).toBe(201);

      // A venue: the resident books it with their own contact, the worker enters a phone booking (代订)
      // for someone without an account, and bad input echoes a phone back (issue 19). The booking jobs
      // (scheduleBooking, then the delayed lapse and reminder) sit in Redis for the scan.
      const venue = await call("/api/v1/venues", {
        token: staffToken,
        json: {
          name: "映月社区党群服务中心活动室",
          territoryId: a1,
          address: "映月路12号",
          capacity: 40,
          description: "可开展党日活动和讲座。",
          openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
            weekday,
            opens: "08:00",
            closes: "21:00",
          })),
          approval: "STAFF",
        },
      });
      expect(venue.status).toBe(201);
      const bookingDay = new Date(Date.now() + (3 * 24 + 8) * 3600 * 1000).toISOString().slice(0, 10);
      const booking = (from: string, to: string, extra: Record<string, string>) => ({
        venueId: venue.json().venue.id,
        startsAt: `${bookingDay}T${from}:00+08:00`,
        endsAt: `${bookingDay}T${to}:00+08:00`,
        groupName: "映月科技公司党支部",
        expectedPersons: 12,
        purpose: `主题党日，集合地点${ADDRESS}`,
        ...extra,
      });
      expect(
        (
          await call("/api/v1/bookings", {
            token,
            json: booking("09:00", "10:00", { contactName: RESIDENT.name, contactPhone: RESIDENT.phone }),
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await call("/api/v1/bookings", {
            token: staffToken,
            json: booking("14:00", "15:00", {
              contactName: BEHALF.name,
              contactPhone: BEHALF.phone,
              channel: "PHONE",
            }),
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await call("/api/v1/bookings", {
            token,
            json: booking("16:00", "17:00", {
              contactName: RESIDENT.name,
              contactPhone: RESIDENT.phone,
              groupName: "",
            }),
          })
        ).status,
      ).toBe(400);

      // Searching for a phone number or a name: the query string must not reach a log line.
      expect((await call(`/api/v1/search?type=need&q=${RESIDENT.phone}`, { token: staffToken })).status).toBe(
        200,
      );
      expect((await call(`/search?q=${encodeURIComponent(RESIDENT.name)}`)).status).toBe(200);
      // A number typed into the address bar is in the path, which is logged: the logger masks it.
      expect((await call(`/api/v1/needs/${RESIDENT.phone}`, { token })).status).toBe(404);

      // The background work these writes start: the relay indexes, the need announcements go out.
      await waitFor(
        "the outbox to drain",
        async () =>
          (await db().outboxEvent.count({ where: { status: { not: "DONE" } } })) === 0 ? true : undefined,
        worker,
        20_000,
      );
      await waitFor(
        "the new needs to be announced",
        async () =>
          (await db().notification.count({ where: { kind: "need.posted" } })) >= 2 ? true : undefined,
        worker,
        20_000,
      );

      // Export, then delete.
      expect((await call("/api/v1/me/export", { token })).status).toBe(200);
      expect(
        (await call("/api/v1/me", { token, method: "DELETE", json: { password: "wrong-password" } })).status,
      ).toBe(400);
      expect(
        (await call("/api/v1/me", { token, method: "DELETE", json: { password: RESIDENT.password } })).status,
      ).toBe(204);
      await waitFor(
        "the deletion to reach the index",
        async () =>
          (await db().outboxEvent.count({ where: { status: { not: "DONE" } } })) === 0 ? true : undefined,
        worker,
        20_000,
      );

      await stopProcess(web);
      await stopProcess(worker);
      const logs = {
        "web stdout": web.stdout(),
        "web stderr": web.stderr(),
        "worker stdout": worker.stdout(),
        "worker stderr": worker.stderr(),
      };
      // The scan saw the journey: every request (by path) and the worker's jobs were logged.
      expect(logs["web stdout"]).toContain('"msg":"request"');
      expect(logs["web stdout"]).toContain('"path":"/api/v1/me/export"');
      expect(logs["worker stdout"]).toContain('"msg":"job completed"');
      const jobs = await redisText();
      expect(jobs).toContain("suggestForNeed");
      expect(jobs).toContain("scheduleBooking");
      const outbox = JSON.stringify(
        await db().outboxEvent.findMany({
          select: { topic: true, aggregateType: true, aggregateId: true, lastError: true },
        }),
      );
      const audit = JSON.stringify(
        await db().auditLog.findMany({
          select: { action: true, targetType: true, targetId: true, data: true },
        }),
      );

      expect(logs["web stdout"]).toContain(`"path":"/api/v1/needs/137****5678"`);
      // The scan itself finds what it looks for.
      expect(leaksIn("self-check", `${RESIDENT.phone} ${ADDRESS}`)).toHaveLength(3);

      const leaks = [
        ...Object.entries(logs).flatMap(([where, text]) => leaksIn(where, text)),
        ...leaksIn("Redis (job payloads, results, events)", jobs),
        ...leaksIn("outbox rows", outbox),
        ...leaksIn("audit log", audit),
      ];
      expect(leaks).toEqual([]);
    },
  );
});
