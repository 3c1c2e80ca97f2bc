-- AlterTable
ALTER TABLE "Need" ADD COLUMN     "requesterNameGiven" TEXT;
