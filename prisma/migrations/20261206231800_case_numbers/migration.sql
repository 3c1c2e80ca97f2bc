-- Case numbers (ADR 0029): a need is XQ-<year of creation in China>-<per-year sequence>, given by the
-- database at insert, so concurrent inserts never collide (the counter row's lock makes them take
-- turns) and no code path can forget it.

-- CreateTable
CREATE TABLE "CaseCounter" (
    "prefix" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "CaseCounter_pkey" PRIMARY KEY ("prefix","year")
);

-- AlterTable
ALTER TABLE "Need" ADD COLUMN "caseNumber" TEXT NOT NULL DEFAULT '';

-- The year a moment (stored in UTC, without a zone) falls in, in China.
CREATE FUNCTION case_year(at TIMESTAMP) RETURNS INTEGER
LANGUAGE sql IMMUTABLE AS $$
  SELECT EXTRACT(YEAR FROM (at AT TIME ZONE 'UTC') AT TIME ZONE 'Asia/Shanghai')::INTEGER
$$;

-- XQ-2026-000123; past 999999 the sequence grows a digit rather than being cut.
CREATE FUNCTION case_number(prefix TEXT, year INTEGER, seq BIGINT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
  SELECT prefix || '-' || year || '-' || lpad(seq::TEXT, GREATEST(6, length(seq::TEXT)), '0')
$$;

-- The next number of a prefix in the year of `at`: the upsert locks the year's counter row until
-- the inserting transaction ends.
CREATE FUNCTION next_case_number(kind TEXT, at TIMESTAMP) RETURNS TEXT
LANGUAGE sql VOLATILE AS $$
  INSERT INTO "CaseCounter" ("prefix", "year", "last")
  VALUES (kind, case_year(at), 1)
  ON CONFLICT ("prefix", "year") DO UPDATE SET "last" = "CaseCounter"."last" + 1
  RETURNING case_number("prefix", "year", "last")
$$;

-- Backfill: the needs already there, numbered per year in the order they were created, and the
-- counters set past them.
WITH numbered AS (
  SELECT "id", case_year("createdAt") AS year,
         ROW_NUMBER() OVER (PARTITION BY case_year("createdAt") ORDER BY "createdAt", "id") AS seq
  FROM "Need"
)
UPDATE "Need" SET "caseNumber" = case_number('XQ', numbered.year, numbered.seq)
FROM numbered WHERE "Need"."id" = numbered."id";

INSERT INTO "CaseCounter" ("prefix", "year", "last")
SELECT 'XQ', case_year("createdAt"), COUNT(*) FROM "Need" GROUP BY case_year("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Need_caseNumber_key" ON "Need"("caseNumber");

-- Every new need gets its number here, whatever the insert said.
CREATE FUNCTION need_case_number() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
  NEW."caseNumber" := next_case_number('XQ', NEW."createdAt");
  RETURN NEW;
END
$$;

CREATE TRIGGER need_case_number BEFORE INSERT ON "Need"
FOR EACH ROW EXECUTE FUNCTION need_case_number();
