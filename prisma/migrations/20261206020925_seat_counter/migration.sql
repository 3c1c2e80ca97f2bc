-- DropIndex
DROP INDEX "Registration_activityId_status_queuedAt_idx";

-- AlterTable
ALTER TABLE "Registration" ADD COLUMN     "place" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "ActivitySeats" (
    "activityId" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "open" BOOLEAN NOT NULL,
    "taken" INTEGER NOT NULL DEFAULT 0,
    "lastPlace" INTEGER NOT NULL DEFAULT 0,
    "lastSeatPlace" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ActivitySeats_pkey" PRIMARY KEY ("activityId")
);

-- CreateIndex
CREATE INDEX "Registration_activityId_status_place_queuedAt_idx" ON "Registration"("activityId", "status", "place", "queuedAt");

-- AddForeignKey
ALTER TABLE "ActivitySeats" ADD CONSTRAINT "ActivitySeats_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Never more seats than capacity, never fewer than none: the counter's invariant, whoever writes it.
ALTER TABLE "ActivitySeats" ADD CONSTRAINT "ActivitySeats_taken_check" CHECK ("taken" >= 0 AND "taken" <= "capacity");

-- Backfill: existing registrations are numbered in the order the waitlist served them until now.
UPDATE "Registration" r SET "place" = numbered.place
FROM (
  SELECT id, row_number() OVER (PARTITION BY "activityId" ORDER BY "queuedAt", id)::int AS place
  FROM "Registration"
) numbered
WHERE numbered.id = r.id;

-- Backfill: one counter per activity, from its rows. An activity whose seats were over capacity (not
-- possible through the domain) keeps its capacity raised to the seats held rather than failing here.
INSERT INTO "ActivitySeats" ("activityId", "capacity", "open", "taken", "lastPlace", "lastSeatPlace")
SELECT a.id, greatest(a.capacity, coalesce(r.taken, 0)), a.status IN ('PUBLISHED', 'ONGOING'),
  coalesce(r.taken, 0), coalesce(r.places, 0), 0
FROM "Activity" a
LEFT JOIN (
  SELECT "activityId", count(*) FILTER (WHERE status = 'REGISTERED')::int AS taken, count(*)::int AS places
  FROM "Registration" GROUP BY "activityId"
) r ON r."activityId" = a.id;

-- The counter follows its activity: created with it, and its capacity and whether registration is open
-- copied on every change, whichever code (domain, seed, fixtures, SQL) writes the activity. Lowering the
-- capacity below the seats held fails on the CHECK above (the domain refuses it first, with a message).
CREATE FUNCTION "follow_activity_seats"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ActivitySeats" ("activityId", "capacity", "open")
  VALUES (NEW.id, NEW.capacity, NEW.status IN ('PUBLISHED', 'ONGOING'))
  ON CONFLICT ("activityId") DO UPDATE SET "capacity" = EXCLUDED."capacity", "open" = EXCLUDED."open"
  WHERE ("ActivitySeats"."capacity", "ActivitySeats"."open") IS DISTINCT FROM (EXCLUDED."capacity", EXCLUDED."open");
  RETURN NULL;
END
$$;

CREATE TRIGGER "Activity_follow_seats" AFTER INSERT OR UPDATE OF "capacity", "status" ON "Activity"
  FOR EACH ROW EXECUTE FUNCTION "follow_activity_seats"();

-- The claiming statement's way to refuse a second open registration of one person (ADR 0019): the same
-- error as inserting a duplicate, so that it rolls the whole statement back, seat claim included.
CREATE FUNCTION "registration_already_open"() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'duplicate key value violates unique constraint "Registration_activityId_userId_key"'
    USING ERRCODE = 'unique_violation', CONSTRAINT = 'Registration_activityId_userId_key';
END
$$;
