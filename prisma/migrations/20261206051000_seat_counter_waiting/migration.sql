-- AlterTable
ALTER TABLE "ActivitySeats" ADD COLUMN     "waiting" INTEGER NOT NULL DEFAULT 0;

-- The waitlist's length, kept under the counter's row lock like taken (ADR 0019): a new waitlist
-- place's position is this count right after the claim.
ALTER TABLE "ActivitySeats" ADD CONSTRAINT "ActivitySeats_waiting_check" CHECK ("waiting" >= 0);

-- Backfill from the rows.
UPDATE "ActivitySeats" s SET "waiting" = w.waiting
FROM (
  SELECT "activityId", count(*)::int AS waiting FROM "Registration" WHERE status = 'WAITLISTED'
  GROUP BY "activityId"
) w
WHERE w."activityId" = s."activityId";
