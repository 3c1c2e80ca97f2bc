import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { createVenueSchema } from "~/domain/venues/venues.schema";
import { createVenue } from "~/domain/venues/venues.server";
import { createExpressApp } from "~/http/express.server";
import { loadServerBuild } from "~/http/load-build.server";
import { chinaDate } from "~/lib/china-time";
import { db, disconnectDb } from "~/lib/db.server";
import { disconnectRedis } from "~/lib/redis.server";
import { createResident, createTerritoryFixture } from "../../prisma/factories";
import { int, num, stats, table } from "./measure";

// The booking race (issue 19): N people book one slot of one venue at once through the real HTTP
// stack, then N book N distinct slots. Exactness is the point (exactly one 201 for one slot, every
// distinct slot booked); throughput and p95 say what the exclusion constraint costs.

const N = Number(process.env.BENCH_BOOKINGS ?? 200);

async function main() {
  const fx = await createTerritoryFixture(db());
  const staff = await actorForToken((await startSession(fx.users.workerA1.id, "API")).token);
  if (!staff) throw new Error("no staff actor");
  const { venue } = await createVenue(
    staff,
    createVenueSchema.parse({
      name: "基准测试阵地",
      territoryId: fx.communities.a1.id,
      address: "基准路1号",
      capacity: 50,
      description: "基准测试",
      openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: "00:00", closes: "24:00" })),
      approval: "AUTO",
      maxLeadDays: 365,
    }),
  );
  const tokens = await Promise.all(
    Array.from({ length: N }, async () => {
      const person = await createResident(db(), fx.communities.a1.id);
      return (await startSession(person.id, "API")).token;
    }),
  );
  const app = createExpressApp({ build: await loadServerBuild(), trustProxy: true });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  const origin = `http://127.0.0.1:${address.port}`;

  const book = async (token: string, startsAt: Date) => {
    const t0 = performance.now();
    const response = await fetch(`${origin}/api/v1/bookings`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        venueId: venue.id,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
        groupName: "基准测试党支部",
        expectedPersons: 10,
        contactName: "测试",
        contactPhone: "13800000000",
        purpose: "基准测试",
      }),
    });
    const body = await response.json();
    return { status: response.status, code: body?.error?.code, ms: performance.now() - t0 };
  };
  const day = new Date(`${chinaDate(new Date(Date.now() + 3 * 24 * 3600_000))}T10:00:00+08:00`);
  const rows: (string | number)[][] = [];
  for (const [name, slotOf] of [
    ["one slot", () => day],
    ["distinct slots", (i: number) => new Date(day.getTime() + (i + 24) * 3600_000)],
  ] as const) {
    const t0 = performance.now();
    const results = await Promise.all(tokens.map((token, i) => book(token, slotOf(i))));
    const seconds = (performance.now() - t0) / 1000;
    const created = results.filter((r) => r.status === 201).length;
    const taken = results.filter((r) => r.code === "SLOT_TAKEN").length;
    const exact = name === "one slot" ? created === 1 && taken === N - 1 : created === N;
    const latency = stats(results.map((r) => r.ms));
    const others = [
      ...new Set(
        results
          .filter((r) => r.status !== 201 && r.code !== "SLOT_TAKEN")
          .map((r) => `${r.status} ${r.code}`),
      ),
    ];
    if (others.length) console.log(`${name}: other answers: ${others.join(", ")}`);
    rows.push([
      name,
      N,
      created,
      taken,
      N - created - taken,
      int(N / seconds),
      num(latency.p50, 0),
      num(latency.p95, 0),
      exact ? "yes" : "NO",
    ]);
  }
  table(
    ["booking race", "requests", "201", "409 SLOT_TAKEN", "other", "req/s", "p50 ms", "p95 ms", "exact"],
    rows,
  );
  server.close();
}

await main();
await disconnectDb();
await disconnectRedis();
