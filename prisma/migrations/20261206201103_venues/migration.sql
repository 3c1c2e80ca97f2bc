-- btree_gist lets one exclusion constraint mix equality on venueId with overlap on the range.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- CreateEnum
CREATE TYPE "VenueApproval" AS ENUM ('STAFF', 'AUTO');

-- CreateEnum
CREATE TYPE "BookingKind" AS ENUM ('BOOKING', 'CLOSURE');

-- CreateEnum
CREATE TYPE "BookingStatus" AS ENUM ('REQUESTED', 'CONFIRMED', 'DECLINED', 'LAPSED', 'CANCELLED', 'COMPLETED');

-- CreateEnum
CREATE TYPE "BookingChannel" AS ENUM ('WEB', 'MINI_PROGRAM', 'PHONE', 'PAPER');

-- AlterTable
ALTER TABLE "TerritoryDailyStat" ADD COLUMN     "venueBookings" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "venuePersons" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Venue" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "subdistrictId" TEXT NOT NULL,
    "communityId" TEXT,
    "address" TEXT NOT NULL,
    "capacity" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "approval" "VenueApproval" NOT NULL DEFAULT 'STAFF',
    "minLeadMinutes" INTEGER NOT NULL DEFAULT 120,
    "maxLeadDays" INTEGER NOT NULL DEFAULT 30,
    "answerHours" INTEGER NOT NULL DEFAULT 48,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Venue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VenueOpeningHours" (
    "id" TEXT NOT NULL,
    "venueId" TEXT NOT NULL,
    "weekday" INTEGER NOT NULL,
    "opensMinute" INTEGER NOT NULL,
    "closesMinute" INTEGER NOT NULL,

    CONSTRAINT "VenueOpeningHours_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VenueMenuItem" (
    "id" TEXT NOT NULL,
    "venueId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "maxGroupSize" INTEGER,

    CONSTRAINT "VenueMenuItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Booking" (
    "id" TEXT NOT NULL,
    "venueId" TEXT NOT NULL,
    "kind" "BookingKind" NOT NULL DEFAULT 'BOOKING',
    "status" "BookingStatus" NOT NULL,
    "channel" "BookingChannel",
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    -- The time a row covers, [startsAt, endsAt): generated, so no write can make it disagree. The
    -- timestamps are stored as UTC without a zone; AT TIME ZONE 'UTC' keeps the expression immutable.
    "during" tstzrange GENERATED ALWAYS AS (tstzrange("startsAt" AT TIME ZONE 'UTC', "endsAt" AT TIME ZONE 'UTC', '[)')) STORED,
    "seriesId" TEXT,
    "bookerId" TEXT,
    "createdById" TEXT NOT NULL,
    "groupName" TEXT NOT NULL,
    "expectedPersons" INTEGER NOT NULL,
    "contactName" TEXT NOT NULL,
    "contactPhone" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "menuItemIds" TEXT[],
    "answerBy" TIMESTAMP(3),
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "reason" TEXT,
    "attended" INTEGER,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Booking_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Venue_subdistrictId_idx" ON "Venue"("subdistrictId");

-- CreateIndex
CREATE INDEX "Venue_communityId_idx" ON "Venue"("communityId");

-- CreateIndex
CREATE INDEX "VenueOpeningHours_venueId_weekday_idx" ON "VenueOpeningHours"("venueId", "weekday");

-- CreateIndex
CREATE INDEX "VenueMenuItem_venueId_position_idx" ON "VenueMenuItem"("venueId", "position");

-- CreateIndex
CREATE INDEX "Booking_venueId_startsAt_idx" ON "Booking"("venueId", "startsAt");

-- CreateIndex
CREATE INDEX "Booking_status_createdAt_idx" ON "Booking"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Booking_bookerId_startsAt_idx" ON "Booking"("bookerId", "startsAt");

-- CreateIndex
CREATE INDEX "Booking_seriesId_idx" ON "Booking"("seriesId");

-- AddForeignKey
ALTER TABLE "Venue" ADD CONSTRAINT "Venue_subdistrictId_fkey" FOREIGN KEY ("subdistrictId") REFERENCES "Subdistrict"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Venue" ADD CONSTRAINT "Venue_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VenueOpeningHours" ADD CONSTRAINT "VenueOpeningHours_venueId_fkey" FOREIGN KEY ("venueId") REFERENCES "Venue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VenueMenuItem" ADD CONSTRAINT "VenueMenuItem_venueId_fkey" FOREIGN KEY ("venueId") REFERENCES "Venue"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_venueId_fkey" FOREIGN KEY ("venueId") REFERENCES "Venue"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_bookerId_fkey" FOREIGN KEY ("bookerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;


ALTER TABLE "Booking" ADD CONSTRAINT "Booking_ends_after_start" CHECK ("endsAt" > "startsAt");

-- Held time never overlaps (issue 19): requests and confirmed bookings, closures included, of one
-- venue. PostgreSQL decides it, whatever the concurrency; the domain turns the violation (23P01)
-- into 409 SLOT_TAKEN. Back-to-back rows do not overlap: the ranges are half-open.
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_no_overlap"
  EXCLUDE USING gist ("venueId" WITH =, "during" WITH &&)
  WHERE ("status" IN ('REQUESTED', 'CONFIRMED'));
