-- AlterTable
ALTER TABLE "Provider" ADD COLUMN     "businessPhone" TEXT;

-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "requestedServiceId" TEXT;

-- CreateIndex
CREATE INDEX "Need_requestedServiceId_idx" ON "Need"("requestedServiceId");

-- AddForeignKey
ALTER TABLE "Need" ADD CONSTRAINT "Need_requestedServiceId_fkey" FOREIGN KEY ("requestedServiceId") REFERENCES "Service"("id") ON DELETE SET NULL ON UPDATE CASCADE;

