-- CreateEnum
CREATE TYPE "ProviderInvitationStatus" AS ENUM ('PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN');

-- AlterTable
ALTER TABLE "Provider" ADD COLUMN     "pendingChange" JSONB,
ADD COLUMN     "pendingChangeAt" TIMESTAMP(3),
ADD COLUMN     "pendingCommunityIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "ProviderInvitation" (
    "id" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "invitedById" TEXT NOT NULL,
    "status" "ProviderInvitationStatus" NOT NULL DEFAULT 'PENDING',
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProviderInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CoOrganiserInvitation" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "invitedById" TEXT NOT NULL,
    "status" "ProviderInvitationStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CoOrganiserInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProviderInvitation_phone_status_idx" ON "ProviderInvitation"("phone", "status");

-- CreateIndex
CREATE INDEX "ProviderInvitation_invitedById_sentAt_idx" ON "ProviderInvitation"("invitedById", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderInvitation_providerId_phone_key" ON "ProviderInvitation"("providerId", "phone");

-- CreateIndex
CREATE INDEX "CoOrganiserInvitation_providerId_status_idx" ON "CoOrganiserInvitation"("providerId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "CoOrganiserInvitation_activityId_providerId_key" ON "CoOrganiserInvitation"("activityId", "providerId");

-- AddForeignKey
ALTER TABLE "ProviderInvitation" ADD CONSTRAINT "ProviderInvitation_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoOrganiserInvitation" ADD CONSTRAINT "CoOrganiserInvitation_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CoOrganiserInvitation" ADD CONSTRAINT "CoOrganiserInvitation_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

