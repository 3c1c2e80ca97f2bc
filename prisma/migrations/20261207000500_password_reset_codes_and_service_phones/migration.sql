-- AlterTable
ALTER TABLE "Community" ADD COLUMN     "servicePhone" TEXT;

-- AlterTable
ALTER TABLE "Registration" ADD COLUMN     "nameGiven" TEXT;

-- CreateTable
CREATE TABLE "PasswordResetCode" (
    "userId" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "issuedById" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PasswordResetCode_pkey" PRIMARY KEY ("userId")
);

-- AddForeignKey
ALTER TABLE "PasswordResetCode" ADD CONSTRAINT "PasswordResetCode_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

