import { chinaDay, isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { maskPhone } from "~/lib/masking";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { authorize } from "../policy";
import { CALLBACK_SAMPLE_SIZE, type CallbackView } from "./declarations.schema";
import { PERIOD } from "./progress.server";
import { loadProject, purchaserPathOf } from "./projects.server";

// The 回访 sample (ADR 0026): evaluators call a few of the residents the platform counted to check
// the figures are real. Only staff who may evaluate the project see it (never the provider, whose
// figures are being checked); phones are masked (the full number is dialled from the staff's own
// records, not copied out of here); every look is audited.

/** A random but reproducible sample of the check-ins counted toward the project: ordered by a hash
 * of the project and the registration, so the same evaluator (or the next) sees the same people and
 * a provider cannot guess who will be called. Erased accounts are left out. */
export async function callbackSample(actor: Actor, projectId: string): Promise<CallbackView[]> {
  const row = await loadProject(projectId);
  authorize(actor, "project.evaluate", { purchaserPath: purchaserPathOf(row), providerId: row.providerId });
  const rows = await db().$queryRaw<
    { registrationId: string; name: string; phone: string; title: string; startsAt: Date }[]
  >`
    SELECT r.id AS "registrationId", u.name, u.phone, a.title, a."startsAt"
    FROM "Activity" a
    JOIN "Project" p ON p.id = a."projectId"
    JOIN "ActivityTally" t ON t."activityId" = a.id
    JOIN "Registration" r ON r."activityId" = a.id
    JOIN "User" u ON u.id = r."userId"
    WHERE a."projectId" = ${projectId} AND a.status = 'FINISHED' AND ${PERIOD}
      AND r.status = 'REGISTERED' AND r."checkedInAt" IS NOT NULL AND u."deletedAt" IS NULL
    ORDER BY md5(p.id || ':' || r.id)
    LIMIT ${CALLBACK_SAMPLE_SIZE}`;
  await db().$transaction((tx) =>
    recordAudit(tx, {
      actorId: actor.userId,
      action: "project.callbackSampleViewed",
      targetType: "Project",
      targetId: projectId,
      data: { shown: rows.length },
    }),
  );
  return rows.map((r) => ({
    registrationId: r.registrationId,
    name: r.name,
    phone: maskPhone(r.phone),
    activityTitle: r.title,
    activityDate: isoDay(chinaDay(r.startsAt)),
  }));
}
