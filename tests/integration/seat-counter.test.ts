import { beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "~/domain/accounts/actor";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { cancelActivity, updateActivity } from "~/domain/activities/activities.server";
import { getActivity } from "~/domain/activities/activity-views.server";
import {
  cancelMyRegistration,
  registerForActivity,
  withdrawUpcomingRegistrationsOf,
} from "~/domain/activities/registrations.server";
import { db } from "~/lib/db.server";
import { DomainError } from "~/lib/errors";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createHeldActivity } from "../factories/activities";

// The seat counter (ActivitySeats, ADR 0019) under concurrency: registration claims a seat or a
// waitlist place with one statement, and every other path that changes registrations (cancelling,
// promotion, capacity changes, account deletion, 代办, cancelling the activity) keeps it equal to the
// rows. Correctness only: how fast is the benchmark's business (npm run bench).

let fx: TerritoryFixture;
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

async function actorOf(user: { id: string }): Promise<Actor> {
  const actor = await actorForToken((await startSession(user.id, "API")).token);
  if (!actor) throw new Error("no actor");
  return actor;
}

async function residents(n: number) {
  const people = await Promise.all(
    Array.from({ length: n }, () => createResident(db(), fx.communities.a1.id)),
  );
  return Promise.all(people.map(async (person) => ({ ...person, actor: await actorOf(person) })));
}

const openActivity = (capacity: number) =>
  createHeldActivity(db(), {
    communityId: fx.communities.a1.id,
    createdById: fx.users.workerA1.id,
    startsAt: new Date(Date.now() + 3 * 24 * 3600 * 1000),
    status: "PUBLISHED",
    capacity,
  });

const counterOf = (activityId: string) => db().activitySeats.findUniqueOrThrow({ where: { activityId } });

/** The counter against a recount from the rows, and the rules no workload may break. */
async function assertCounterExact(activityId: string) {
  const counter = await counterOf(activityId);
  const activity = await db().activity.findUniqueOrThrow({ where: { id: activityId } });
  const rows = await db().registration.findMany({ where: { activityId } });
  const registered = rows.filter((r) => r.status === "REGISTERED").length;
  const waitlisted = rows.filter((r) => r.status === "WAITLISTED").length;
  expect(counter.taken).toBe(registered);
  expect(counter.waiting).toBe(waitlisted);
  expect(counter.capacity).toBe(activity.capacity);
  expect(registered).toBeLessThanOrEqual(activity.capacity);
  // Nobody waits while a seat is free.
  if (waitlisted > 0) expect(registered).toBe(activity.capacity);
  expect(new Set(rows.map((r) => r.userId)).size).toBe(rows.length);
  expect(new Set(rows.map((r) => r.checkInCode)).size).toBe(rows.length);
  return { counter, registered, waitlisted, rows };
}

const refusal = (result: PromiseSettledResult<unknown>) =>
  result.status === "rejected" && result.reason instanceof DomainError ? result.reason.code : null;

describe("the seat counter", () => {
  it("is made with the activity and follows its capacity and whether registration is open", async () => {
    const activity = await openActivity(3);
    expect(await counterOf(activity.id)).toMatchObject({ capacity: 3, open: true, taken: 0, lastPlace: 0 });
    const [first, second] = await residents(2);
    if (!first || !second) throw new Error("fixture");
    await registerForActivity(first.actor, activity.id, {});

    const worker = await actorOf(fx.users.workerA1);
    await updateActivity(worker, activity.id, { capacity: 5 });
    expect(await counterOf(activity.id)).toMatchObject({ capacity: 5, taken: 1 });
    await cancelActivity(worker, activity.id, {});
    expect(await counterOf(activity.id)).toMatchObject({ open: false, taken: 1, lastPlace: 1 });
    await expect(registerForActivity(second.actor, activity.id, {})).rejects.toMatchObject({
      code: "CONFLICT",
      message: "该活动已取消，不能报名",
    });
    expect(await counterOf(activity.id)).toMatchObject({ taken: 1, lastPlace: 1 });
    expect(await db().registration.count({ where: { activityId: activity.id } })).toBe(1);
  });

  it("refuses a capacity below the seats held, changing nothing, and a raise promotes in order", async () => {
    const activity = await openActivity(2);
    const people = await residents(4);
    for (const person of people) await registerForActivity(person.actor, activity.id, {});
    const worker = await actorOf(fx.users.workerA1);
    await expect(updateActivity(worker, activity.id, { capacity: 1 })).rejects.toMatchObject({
      code: "VALIDATION",
      fields: { capacity: "已有 2 人报名，名额不能少于 2" },
    });
    expect(await counterOf(activity.id)).toMatchObject({ capacity: 2, taken: 2 });

    await updateActivity(worker, activity.id, { capacity: 3 });
    const third = await db().registration.findFirstOrThrow({
      where: { activityId: activity.id, userId: people[2]?.id },
    });
    expect(third.status).toBe("REGISTERED");
    expect(await db().notification.count({ where: { userId: people[2]?.id } })).toBe(1);
    expect((await assertCounterExact(activity.id)).waitlisted).toBe(1);
  });

  it("lets one person hold one place however many times they press at once", async () => {
    const activity = await openActivity(5);
    const [person] = await residents(1);
    if (!person) throw new Error("fixture");
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => registerForActivity(person.actor, activity.id, {})),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => refusal(r) === "CONFLICT")).toHaveLength(5);
    // The refused claims rolled back with their statements: one seat, one place, one audit entry.
    expect(await counterOf(activity.id)).toMatchObject({ taken: 1, lastPlace: 1 });
    expect(await db().auditLog.count({ where: { action: "registration.create", actorId: person.id } })).toBe(
      1,
    );
  });

  it("numbers places in claiming order: seats first, the waitlist served and shown in that order", async () => {
    const activity = await openActivity(10);
    const people = await residents(40);
    const views = await Promise.all(people.map((p) => registerForActivity(p.actor, activity.id, {})));
    expect(views.filter((v) => v.status === "REGISTERED")).toHaveLength(10);
    const rows = await db().registration.findMany({
      where: { activityId: activity.id },
      orderBy: { place: "asc" },
    });
    expect(rows.map((r) => r.place)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(rows.slice(0, 10).every((r) => r.status === "REGISTERED")).toBe(true);
    // Each waiting person was told their position by place.
    const shown = new Map(views.map((v) => [v.id, v.waitlistPosition]));
    expect(rows.slice(10).map((r) => shown.get(r.id))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));

    // Five seat holders cancel at once: the first five waiting get their seats, nobody else.
    const leaving = rows.slice(0, 5).map((r) => people.find((p) => p.id === r.userId));
    await Promise.all(leaving.map((p) => (p ? cancelMyRegistration(p.actor, activity.id) : null)));
    const after = await db().registration.findMany({
      where: { activityId: activity.id },
      orderBy: { place: "asc" },
    });
    expect(after.slice(10, 15).every((r) => r.status === "REGISTERED" && r.promotedAt)).toBe(true);
    expect(after.slice(15).every((r) => r.status === "WAITLISTED")).toBe(true);
    await assertCounterExact(activity.id);
  });

  it("claims for everyone pressing at once even when one of them already holds a place", async () => {
    const activity = await openActivity(4);
    const people = await residents(9);
    const early = people[4];
    if (!early) throw new Error("fixture");
    await registerForActivity(early.actor, activity.id, {});
    // The early one presses again among eight others: the statement claiming for them together fails
    // on the early one's registration, nothing of it is kept, and the halves are claimed in turn.
    const results = await Promise.allSettled(
      people.map((p) => registerForActivity(p.actor, activity.id, {})),
    );
    expect(results.map(refusal)).toEqual([null, null, null, null, "CONFLICT", null, null, null, null]);
    const { registered, waitlisted, counter, rows } = await assertCounterExact(activity.id);
    expect([registered, waitlisted, counter.lastPlace]).toEqual([4, 5, 9]);
    // The others' places follow the order in which they pressed.
    const others = rows.filter((r) => r.userId !== early.id).sort((x, y) => x.place - y.place);
    expect(others.map((r) => r.userId)).toEqual(people.filter((p) => p !== early).map((p) => p.id));
  });

  it("tells a waitlist position that counts only those still waiting", async () => {
    const activity = await openActivity(1);
    const people = await residents(6);
    const views = [];
    for (const person of people.slice(0, 5))
      views.push(await registerForActivity(person.actor, activity.id, {}));
    expect(views.map((v) => v.waitlistPosition)).toEqual([null, 1, 2, 3, 4]);
    // The second waiting gives up their place, the seat holder too (the first waiting moves up).
    const [holder, , second] = people;
    if (!holder || !second) throw new Error("fixture");
    await cancelMyRegistration(second.actor, activity.id);
    await cancelMyRegistration(holder.actor, activity.id);
    const [late] = people.slice(5);
    if (!late) throw new Error("fixture");
    const view = await registerForActivity(late.actor, activity.id, {});
    // Waiting now: the third and fourth, then the late one.
    expect(view.waitlistPosition).toBe(3);
    const { activity: shown } = await getActivity(late.actor, activity.id);
    expect(shown.myRegistration?.waitlistPosition).toBe(3);
    await assertCounterExact(activity.id);
  });

  it("stays equal to the rows after a mixed concurrent workload", async () => {
    const activity = await openActivity(12);
    const stayers = await residents(30);
    const leavers = await residents(6);
    const deleted = await residents(4);
    const helped = await residents(6);
    const worker = await actorOf(fx.users.workerA1);

    // Everyone registers at once, staff register six more (代办), the capacity goes up, and people
    // who got in leave, come back, or delete their account, all interleaved.
    const results = await Promise.allSettled([
      ...stayers.map((p) => registerForActivity(p.actor, activity.id, {})),
      ...helped.map((h) => registerForActivity(worker, activity.id, { phone: h.phone })),
      updateActivity(worker, activity.id, { capacity: 15 }),
      ...leavers.map(async (p) => {
        await registerForActivity(p.actor, activity.id, {});
        await cancelMyRegistration(p.actor, activity.id);
        await registerForActivity(p.actor, activity.id, {});
      }),
      ...deleted.map(async (p) => {
        await registerForActivity(p.actor, activity.id, {});
        await db().$transaction((tx) => withdrawUpcomingRegistrationsOf(tx, p.actor));
      }),
    ]);
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);

    const { registered, waitlisted, rows } = await assertCounterExact(activity.id);
    expect(registered).toBe(15);
    expect(registered + waitlisted).toBe(30 + 6 + 6);
    expect(
      rows
        .filter((r) => r.status === "CANCELLED")
        .map((r) => r.userId)
        .sort(),
    ).toEqual(deleted.map((p) => p.id).sort());
    expect(rows.filter((r) => r.registeredById === worker.userId)).toHaveLength(6);
    // 代办 is audited as the helper's act, naming the resident, in the claim's own statement.
    const onBehalf = await db().auditLog.findMany({
      where: { action: "registration.create.onBehalf", actorId: worker.userId },
    });
    expect(onBehalf.map((entry) => entry.data)).toEqual(
      expect.arrayContaining(helped.map((h) => expect.objectContaining({ userId: h.id }))),
    );
    expect(onBehalf).toHaveLength(6);
    // Places are numbered without repeats.
    const places = rows.filter((r) => r.status !== "CANCELLED").map((r) => r.place);
    expect(new Set(places).size).toBe(places.length);
  });
});
