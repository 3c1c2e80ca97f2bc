import type { Prisma } from "@prisma/client";
import type { Tx } from "~/lib/db.server";

/** Audit entries hold ids and codes only, so the log itself carries no personal data. */
export type AuditEntry = {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  data?: Prisma.InputJsonObject;
};

/** Written inside the caller's transaction: the entry exists exactly when the change does. */
export async function recordAudit(tx: Tx, entry: AuditEntry) {
  await tx.auditLog.create({ data: entry });
}
