import { randomInt } from "node:crypto";
import { newId } from "~/lib/ids.server";
import { sql, violatedConstraint } from "~/lib/sql.server";
import type { RegistrationFacts } from "./waitlist.server";

// Claiming places from an activity's seat counter (ActivitySeats, ADR 0019). One statement claims
// places for a batch of people: seats while taken < capacity, then waitlist places, numbered in
// claiming order; it writes or reopens their registrations and the audit entries, and commits once.
// The counter's row is locked only while PostgreSQL runs the statement and commits. A rush on one
// activity is bounded by how fast one commit follows another on that row, so the registrations that
// arrive while a claim for the activity is under way go together in the next statement, one commit
// for all of them, instead of queueing one commit each behind the row lock.

/** A place claimed: the registration as written, and its waitlist position (null with a seat). */
export type ClaimedPlace = RegistrationFacts & { waitlistPosition: number | null };

/** Who claims a place: the person, and who registered them (代办) or null. */
export type Claimant = { userId: string; registeredById: string | null };

/** The person already holds an open registration (the unique index of (activity, user)). */
export class AlreadyRegistered extends Error {}

/** Registration's unique indexes that a failed claim may run into. */
const PERSON_REGISTERED = "Registration_activityId_userId_key";
const CODE_IN_USE = "Registration_activityId_checkInCode_key";

/** A random six-digit check-in code; the unique index on (activity, code) refuses one in use, and the
 * claim is tried again with another. */
const randomCheckInCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");
/** Tries before giving up on free codes: a claim for k people collides with probability about
 * k × registrations ÷ 10⁶. */
const CODE_ATTEMPTS = 8;
/** The most people one statement claims for; the rest wait for the next. */
const MOST_PER_CLAIM = 200;

/** 报名 for k people at once. The UPDATE's SET reads the row as it was, so with k people and
 * `free` = capacity − taken seats the first min(k, free) places come with a seat; PostgreSQL 15 has no
 * RETURNING OLD, so lastSeatPlace says afterwards which places those were. A second open registration
 * of one person raises the unique violation of (activity, user) (registration_already_open), and a
 * check-in code in use that of (activity, code): either rolls the whole statement back, claim included.
 * Parameters: $1 activity, $2 k, then one array per column, in claiming order: $3 people, $4 new
 * registration ids, $5 check-in codes, $6 who registered them (代办) or null, $7 audit ids, $8 audit
 * actions, $9 extra audit data (jsonb text). Exported for the benchmark, which drives it through pg. */
export const CLAIM_PLACES_SQL = `
WITH claimant AS (
  SELECT * FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
    WITH ORDINALITY AS c("userId", id, code, "registeredById", "auditId", action, extra, n)
), claim AS (
  UPDATE "ActivitySeats"
  SET "taken" = "taken" + least($2::int, "capacity" - "taken"),
    "lastPlace" = "lastPlace" + $2::int,
    "lastSeatPlace" = CASE WHEN "taken" < "capacity"
      THEN "lastPlace" + least($2::int, "capacity" - "taken") ELSE "lastSeatPlace" END,
    "waiting" = "waiting" + $2::int - least($2::int, "capacity" - "taken")
  WHERE "activityId" = $1::text AND "open"
  RETURNING "lastPlace", "lastSeatPlace", "waiting"
), placed AS (
  SELECT c.*, claim."lastPlace" - $2::int + c.n::int AS place, claim."lastSeatPlace", claim."lastPlace",
    claim."waiting"
  FROM claimant c CROSS JOIN claim
), saved AS (
  INSERT INTO "Registration" (id, "activityId", "userId", status, "checkInCode", "registeredById", place,
    "queuedAt", "createdAt", "updatedAt")
  SELECT p.id, $1::text, p."userId",
    (CASE WHEN p.place <= p."lastSeatPlace" THEN 'REGISTERED' ELSE 'WAITLISTED' END)::"RegistrationStatus",
    p.code, p."registeredById", p.place, now(), now(), now()
  FROM placed p ORDER BY p.n
  ON CONFLICT ("activityId", "userId") DO UPDATE SET status = EXCLUDED.status, place = EXCLUDED.place,
    "queuedAt" = EXCLUDED."queuedAt", "registeredById" = EXCLUDED."registeredById", "cancelledAt" = NULL,
    "promotedAt" = NULL, "checkedInAt" = NULL, "nameGiven" = NULL, "updatedAt" = EXCLUDED."updatedAt"
  WHERE CASE WHEN "Registration".status = 'CANCELLED' THEN true ELSE registration_already_open() END
  RETURNING id, "activityId", "userId", status, "checkInCode", "checkedInAt", place, "queuedAt", "createdAt"
), audited AS (
  INSERT INTO "AuditLog" (id, "actorId", action, "targetType", "targetId", data, "createdAt")
  SELECT p."auditId", coalesce(p."registeredById", p."userId"), p.action, 'Registration', saved.id,
    jsonb_build_object('activityId', saved."activityId", 'status', saved.status) || p.extra::jsonb, now()
  FROM saved JOIN placed p ON p."userId" = saved."userId"
)
SELECT saved.*, CASE WHEN saved.status = 'WAITLISTED' THEN p."waiting" - (p."lastPlace" - saved.place) END
  AS "waitlistPosition"
FROM saved JOIN placed p ON p."userId" = saved."userId"`;

/** k different random check-in codes. */
function checkInCodes(k: number) {
  const codes = new Set<string>();
  while (codes.size < k) codes.add(randomCheckInCode());
  return [...codes];
}

/** CLAIM_PLACES_SQL's parameters for these people, in claiming order (fresh ids and codes). */
export function claimPlacesParams(activityId: string, claimants: readonly Claimant[]) {
  return [
    activityId,
    claimants.length,
    claimants.map((c) => c.userId),
    claimants.map(() => newId()),
    checkInCodes(claimants.length),
    claimants.map((c) => c.registeredById),
    claimants.map(() => newId()),
    claimants.map((c) => (c.registeredById ? "registration.create.onBehalf" : "registration.create")),
    claimants.map((c) => JSON.stringify(c.registeredById ? { userId: c.userId } : {})),
  ];
}

type ClaimedRow = ClaimedPlace & { userId: string };

/** One statement for these people, tried again with other check-in codes while one was in use; the
 * places by person (none: registration is closed). */
async function claimTogether(activityId: string, claimants: readonly Claimant[]) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { rows } = await sql<ClaimedRow>(
        CLAIM_PLACES_SQL,
        claimPlacesParams(activityId, claimants),
        "claim-places",
      );
      return new Map(rows.map(({ userId, ...place }) => [userId, place]));
    } catch (error) {
      if (violatedConstraint(error) === CODE_IN_USE && attempt < CODE_ATTEMPTS) continue;
      throw error;
    }
  }
}

/** One person's claim. */
async function claimAlone(activityId: string, claimant: Claimant): Promise<ClaimedPlace | null> {
  try {
    return (await claimTogether(activityId, [claimant])).get(claimant.userId) ?? null;
  } catch (error) {
    if (violatedConstraint(error) === PERSON_REGISTERED) throw new AlreadyRegistered();
    throw error;
  }
}

type Waiting = Claimant & {
  resolve: (place: ClaimedPlace | null) => void;
  reject: (error: unknown) => void;
};

/** Per activity, the people waiting for the next claim; an activity is here while a claim runs. */
const queues = new Map<string, Waiting[]>();

/** Claims a place for the person (a seat while there is one, else on the waitlist), or null when
 * registration is closed (or the activity does not exist). Rejects with AlreadyRegistered when they
 * hold an open registration already. */
export function claimPlace(activityId: string, claimant: Claimant): Promise<ClaimedPlace | null> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(activityId);
    const waiting = { ...claimant, resolve, reject };
    if (queue) {
      queue.push(waiting);
      return;
    }
    queues.set(activityId, [waiting]);
    // Those who arrive in the same turn of the event loop go in the first statement together.
    setImmediate(() => void claimInTurns(activityId));
  });
}

/** Runs the activity's claims one statement after another until nobody waits. */
async function claimInTurns(activityId: string) {
  for (;;) {
    const queue = queues.get(activityId) ?? [];
    if (queue.length === 0) {
      queues.delete(activityId);
      return;
    }
    // A person once per statement (ON CONFLICT cannot touch a row twice): a second press waits its turn.
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    const people = new Set<string>();
    for (const waiting of queue) {
      if (batch.length < MOST_PER_CLAIM && !people.has(waiting.userId)) {
        people.add(waiting.userId);
        batch.push(waiting);
      } else later.push(waiting);
    }
    queues.set(activityId, later);
    await claimBatch(activityId, batch);
  }
}

/** Claims for the batch in one statement. When one of them already holds an open registration,
 * nothing of the statement was kept, and each half is claimed in turn, in the same order: a second
 * press among 200 people costs about 2 × log₂ 200 statements, not 200. */
async function claimBatch(activityId: string, batch: Waiting[]): Promise<void> {
  const [first] = batch;
  if (batch.length === 1 && first) {
    await claimAlone(activityId, first).then(first.resolve, first.reject);
    return;
  }
  try {
    const places = await claimTogether(activityId, batch);
    for (const waiting of batch) waiting.resolve(places.get(waiting.userId) ?? null);
    return;
  } catch (error) {
    if (violatedConstraint(error) !== PERSON_REGISTERED) {
      for (const waiting of batch) waiting.reject(error);
      return;
    }
  }
  const half = Math.ceil(batch.length / 2);
  await claimBatch(activityId, batch.slice(0, half));
  await claimBatch(activityId, batch.slice(half));
}
