-- CreateTable
CREATE TABLE "EvaluationIndicator" (
    "id" TEXT NOT NULL,
    "districtId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "indicator" TEXT NOT NULL,
    "max" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvaluationIndicator_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EvaluationIndicator_districtId_position_key" ON "EvaluationIndicator"("districtId", "position");

-- AddForeignKey
ALTER TABLE "EvaluationIndicator" ADD CONSTRAINT "EvaluationIndicator_districtId_fkey" FOREIGN KEY ("districtId") REFERENCES "District"("id") ON DELETE CASCADE ON UPDATE CASCADE;
