-- CreateEnum
CREATE TYPE "ActivityStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ONGOING', 'FINISHED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "RegistrationStatus" AS ENUM ('REGISTERED', 'WAITLISTED', 'CANCELLED');

-- CreateTable
CREATE TABLE "Activity" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "venue" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "capacity" INTEGER NOT NULL,
    "status" "ActivityStatus" NOT NULL DEFAULT 'DRAFT',
    "createdById" TEXT NOT NULL,
    "providerId" TEXT,
    "serviceId" TEXT,
    "walkIns" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityProvider" (
    "activityId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,

    CONSTRAINT "ActivityProvider_pkey" PRIMARY KEY ("activityId","providerId")
);

-- CreateTable
CREATE TABLE "ActivityNeed" (
    "activityId" TEXT NOT NULL,
    "needId" TEXT NOT NULL,

    CONSTRAINT "ActivityNeed_pkey" PRIMARY KEY ("activityId","needId")
);

-- CreateTable
CREATE TABLE "Registration" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" "RegistrationStatus" NOT NULL,
    "checkInCode" TEXT NOT NULL,
    "checkedInAt" TIMESTAMP(3),
    "checkedInById" TEXT,
    "registeredById" TEXT,
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promotedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Registration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityTally" (
    "activityId" TEXT NOT NULL,
    "registered" INTEGER NOT NULL,
    "waitlisted" INTEGER NOT NULL,
    "checkedIn" INTEGER NOT NULL,
    "walkIns" INTEGER NOT NULL,
    "personTimes" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ActivityTally_pkey" PRIMARY KEY ("activityId")
);

-- CreateTable
CREATE TABLE "CommunityDailyStat" (
    "communityId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "activitiesHeld" INTEGER NOT NULL,
    "registered" INTEGER NOT NULL,
    "checkedIn" INTEGER NOT NULL,
    "walkIns" INTEGER NOT NULL,
    "personTimes" INTEGER NOT NULL,
    "uniquePersons" INTEGER NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CommunityDailyStat_pkey" PRIMARY KEY ("communityId","day")
);

-- CreateIndex
CREATE INDEX "Activity_communityId_startsAt_idx" ON "Activity"("communityId", "startsAt");

-- CreateIndex
CREATE INDEX "Activity_status_startsAt_idx" ON "Activity"("status", "startsAt");

-- CreateIndex
CREATE INDEX "Activity_status_endsAt_idx" ON "Activity"("status", "endsAt");

-- CreateIndex
CREATE INDEX "ActivityProvider_providerId_idx" ON "ActivityProvider"("providerId");

-- CreateIndex
CREATE INDEX "ActivityNeed_needId_idx" ON "ActivityNeed"("needId");

-- CreateIndex
CREATE INDEX "Registration_activityId_status_queuedAt_idx" ON "Registration"("activityId", "status", "queuedAt");

-- CreateIndex
CREATE INDEX "Registration_userId_idx" ON "Registration"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_activityId_userId_key" ON "Registration"("activityId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Registration_activityId_checkInCode_key" ON "Registration"("activityId", "checkInCode");

-- CreateIndex
CREATE INDEX "CommunityDailyStat_day_idx" ON "CommunityDailyStat"("day");

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityProvider" ADD CONSTRAINT "ActivityProvider_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityProvider" ADD CONSTRAINT "ActivityProvider_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityNeed" ADD CONSTRAINT "ActivityNeed_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityNeed" ADD CONSTRAINT "ActivityNeed_needId_fkey" FOREIGN KEY ("needId") REFERENCES "Need"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Registration" ADD CONSTRAINT "Registration_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityTally" ADD CONSTRAINT "ActivityTally_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CommunityDailyStat" ADD CONSTRAINT "CommunityDailyStat_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

