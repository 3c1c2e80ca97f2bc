-- CreateTable
CREATE TABLE "AttendanceCorrection" (
    "id" TEXT NOT NULL,
    "activityId" TEXT NOT NULL,
    "correctedById" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "walkInsFrom" INTEGER NOT NULL,
    "walkInsTo" INTEGER NOT NULL,
    "checkInsAdded" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AttendanceCorrection_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AttendanceCorrection_activityId_createdAt_idx" ON "AttendanceCorrection"("activityId", "createdAt");

-- AddForeignKey
ALTER TABLE "AttendanceCorrection" ADD CONSTRAINT "AttendanceCorrection_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- An activity's page shows its corrections and is kept in memory (ADR 0016): announce changes.
CREATE TRIGGER "AttendanceCorrection_public_data_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "AttendanceCorrection"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_public_data_change"();
