-- CreateEnum
CREATE TYPE "ProjectStatus" AS ENUM ('ACTIVE', 'COMPLETED', 'ENDED');

-- CreateEnum
CREATE TYPE "EvaluationStage" AS ENUM ('MIDTERM', 'FINAL');

-- AlterTable
ALTER TABLE "Activity" ADD COLUMN     "projectId" TEXT;

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "purchaserId" TEXT NOT NULL,
    "purchaserLevel" "ScopeType" NOT NULL,
    "subdistrictId" TEXT,
    "districtId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "budgetFen" INTEGER NOT NULL,
    "startsOn" DATE NOT NULL,
    "endsOn" DATE NOT NULL,
    "status" "ProjectStatus" NOT NULL DEFAULT 'ACTIVE',
    "endReason" TEXT,
    "endedAt" TIMESTAMP(3),
    "targetActivitiesHeld" INTEGER,
    "targetPersonTimes" INTEGER,
    "targetUniquePersons" INTEGER,
    "targetNeedsFulfilled" INTEGER,
    "targetRatingX100" INTEGER,
    "createdById" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectService" (
    "projectId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,

    CONSTRAINT "ProjectService_pkey" PRIMARY KEY ("projectId","serviceId")
);

-- CreateTable
CREATE TABLE "ProjectEvaluation" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "stage" "EvaluationStage" NOT NULL,
    "comment" TEXT NOT NULL,
    "evaluatorId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectEvaluationScore" (
    "id" TEXT NOT NULL,
    "evaluationId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "indicator" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "max" INTEGER NOT NULL,

    CONSTRAINT "ProjectEvaluationScore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectDeclaration" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "declaredById" TEXT NOT NULL,
    "attachmentKey" TEXT,
    "attachmentType" TEXT,
    "attachmentSize" INTEGER,
    "attachmentName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectDeclaration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Project_purchaserId_status_idx" ON "Project"("purchaserId", "status");

-- CreateIndex
CREATE INDEX "Project_subdistrictId_status_idx" ON "Project"("subdistrictId", "status");

-- CreateIndex
CREATE INDEX "Project_districtId_status_idx" ON "Project"("districtId", "status");

-- CreateIndex
CREATE INDEX "Project_providerId_status_idx" ON "Project"("providerId", "status");

-- CreateIndex
CREATE INDEX "ProjectService_serviceId_idx" ON "ProjectService"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectEvaluation_projectId_stage_key" ON "ProjectEvaluation"("projectId", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectEvaluationScore_evaluationId_position_key" ON "ProjectEvaluationScore"("evaluationId", "position");

-- CreateIndex
CREATE INDEX "ProjectDeclaration_projectId_createdAt_idx" ON "ProjectDeclaration"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Activity_projectId_startsAt_idx" ON "Activity"("projectId", "startsAt");

-- AddForeignKey
ALTER TABLE "Activity" ADD CONSTRAINT "Activity_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectService" ADD CONSTRAINT "ProjectService_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectEvaluation" ADD CONSTRAINT "ProjectEvaluation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectEvaluationScore" ADD CONSTRAINT "ProjectEvaluationScore_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "ProjectEvaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectDeclaration" ADD CONSTRAINT "ProjectDeclaration_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Money and periods are checked by the domain; the database refuses what slips past (ADR 0026).
ALTER TABLE "Project" ADD CONSTRAINT "Project_budget_check" CHECK ("budgetFen" >= 0 AND "budgetFen" <= 1000000000);
ALTER TABLE "Project" ADD CONSTRAINT "Project_period_check" CHECK ("startsOn" <= "endsOn");
ALTER TABLE "ProjectEvaluationScore" ADD CONSTRAINT "ProjectEvaluationScore_score_check" CHECK ("score" >= 0 AND "score" <= "max");
