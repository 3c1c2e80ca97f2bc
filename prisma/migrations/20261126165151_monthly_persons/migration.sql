-- CreateTable
CREATE TABLE "TerritoryMonthlyPersons" (
    "territoryId" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "persons" INTEGER NOT NULL,

    CONSTRAINT "TerritoryMonthlyPersons_pkey" PRIMARY KEY ("territoryId","month")
);

