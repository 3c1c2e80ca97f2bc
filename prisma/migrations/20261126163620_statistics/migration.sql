-- DropForeignKey
ALTER TABLE "CommunityDailyStat" DROP CONSTRAINT "CommunityDailyStat_communityId_fkey";

-- DropTable
DROP TABLE "CommunityDailyStat";

-- CreateTable
CREATE TABLE "TerritoryDailyStat" (
    "territoryId" TEXT NOT NULL,
    "level" "ScopeType" NOT NULL,
    "day" DATE NOT NULL,
    "category" TEXT NOT NULL,
    "socialOrgsJoined" INTEGER NOT NULL DEFAULT 0,
    "merchantsJoined" INTEGER NOT NULL DEFAULT 0,
    "servicesPublished" INTEGER NOT NULL DEFAULT 0,
    "governmentPurchasedPublished" INTEGER NOT NULL DEFAULT 0,
    "needsPosted" INTEGER NOT NULL DEFAULT 0,
    "needsMatched" INTEGER NOT NULL DEFAULT 0,
    "needsFulfilled" INTEGER NOT NULL DEFAULT 0,
    "ratings" INTEGER NOT NULL DEFAULT 0,
    "ratingSum" INTEGER NOT NULL DEFAULT 0,
    "minutesToMatch" INTEGER[],
    "activitiesHeld" INTEGER NOT NULL DEFAULT 0,
    "registered" INTEGER NOT NULL DEFAULT 0,
    "checkedIn" INTEGER NOT NULL DEFAULT 0,
    "walkIns" INTEGER NOT NULL DEFAULT 0,
    "personTimes" INTEGER NOT NULL DEFAULT 0,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TerritoryDailyStat_pkey" PRIMARY KEY ("territoryId","day","category")
);

-- CreateTable
CREATE TABLE "TerritoryAttendance" (
    "territoryId" TEXT NOT NULL,
    "level" "ScopeType" NOT NULL,
    "userId" TEXT NOT NULL,
    "days" datemultirange NOT NULL,

    CONSTRAINT "TerritoryAttendance_pkey" PRIMARY KEY ("territoryId","userId")
);

-- CreateIndex
CREATE INDEX "TerritoryDailyStat_day_idx" ON "TerritoryDailyStat"("day");

-- CreateIndex
CREATE INDEX "TerritoryAttendance_userId_idx" ON "TerritoryAttendance"("userId");

