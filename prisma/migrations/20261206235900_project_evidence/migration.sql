-- Declared figures (ADR 0026): a span of days instead of one attachment column set; evidence files in
-- their own table (up to five per declaration). No declaration was written before this change.
ALTER TABLE "ProjectDeclaration" DROP COLUMN "attachmentKey",
DROP COLUMN "attachmentName",
DROP COLUMN "attachmentSize",
DROP COLUMN "attachmentType",
ADD COLUMN     "fromOn" DATE NOT NULL,
ADD COLUMN     "toOn" DATE NOT NULL;

-- CreateTable
CREATE TABLE "ProjectEvidence" (
    "id" TEXT NOT NULL,
    "declarationId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "storageKey" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectEvidence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProjectEvidence_storageKey_key" ON "ProjectEvidence"("storageKey");

-- CreateIndex
CREATE INDEX "ProjectEvidence_declarationId_idx" ON "ProjectEvidence"("declarationId");

-- CreateIndex
CREATE INDEX "ProjectEvidence_projectId_idx" ON "ProjectEvidence"("projectId");

-- AddForeignKey
ALTER TABLE "ProjectEvidence" ADD CONSTRAINT "ProjectEvidence_declarationId_fkey" FOREIGN KEY ("declarationId") REFERENCES "ProjectDeclaration"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The same limits as the domain, kept even if it were bypassed.
ALTER TABLE "ProjectDeclaration" ADD CONSTRAINT "ProjectDeclaration_value_check" CHECK ("value" >= 0);
ALTER TABLE "ProjectDeclaration" ADD CONSTRAINT "ProjectDeclaration_span_check" CHECK ("fromOn" <= "toOn");
ALTER TABLE "ProjectEvidence" ADD CONSTRAINT "ProjectEvidence_size_check" CHECK ("size" > 0 AND "size" <= 5242880);
ALTER TABLE "ProjectEvidence" ADD CONSTRAINT "ProjectEvidence_type_check"
  CHECK ("contentType" IN ('image/jpeg', 'image/png', 'application/pdf'));

-- Declared figures feed the 结项 report: they are append-only, so what a report was built on is
-- never changed after the fact (a correction is a new declaration, audited like the first).
CREATE FUNCTION project_declaration_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'declared figures and their evidence are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "ProjectDeclaration_append_only" BEFORE UPDATE ON "ProjectDeclaration"
  FOR EACH ROW EXECUTE FUNCTION project_declaration_append_only();
CREATE TRIGGER "ProjectEvidence_append_only" BEFORE UPDATE ON "ProjectEvidence"
  FOR EACH ROW EXECUTE FUNCTION project_declaration_append_only();
