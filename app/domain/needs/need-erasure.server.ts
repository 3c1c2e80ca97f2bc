import type { Tx } from "~/lib/db.server";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { categoryName } from "../catalog/categories";
import { recordOutbox } from "../outbox.server";
import { CANCELLABLE } from "./need-read.server";

/** Account deletion (ADR 0013), inside the caller's transaction: the person's needs keep what the
 * figures count (category, community, urgency, status, times, rating) and lose every free text that
 * could identify them, theirs or written about them; those still open or matched are cancelled, as
 * the requester could have. Scheduled needs stay for staff to settle. Each change reaches the search
 * index through the outbox. */
export async function anonymiseNeedsOf(tx: Tx, actor: Actor, now: Date) {
  await tx.$queryRaw`SELECT id FROM "Need" WHERE "requesterId" = ${actor.userId} ORDER BY id FOR UPDATE`;
  const rows = await tx.need.findMany({
    where: { requesterId: actor.userId },
    select: { id: true, status: true, version: true, category: true, closeReason: true },
  });
  let cancelled = 0;
  for (const row of rows) {
    const cancel = CANCELLABLE.includes(row.status);
    const version = row.version + 1;
    await tx.need.update({
      where: { id: row.id },
      data: {
        title: `${categoryName(row.category)}需求（居民已注销）`,
        description: "提出该需求的居民已注销账号，需求内容已删除。",
        preferredTime: null,
        requesterNameGiven: null,
        ratingComment: null,
        closeReason: row.closeReason === null ? null : "（居民已注销，原因已删除）",
        version,
        ...(cancel ? { status: "CANCELLED", cancelledAt: now } : {}),
      },
    });
    if (cancel) {
      cancelled += 1;
      await recordAudit(tx, {
        actorId: actor.userId,
        action: "need.cancel",
        targetType: "Need",
        targetId: row.id,
        data: { from: row.status, because: "account.delete" },
      });
    }
    await recordOutbox(tx, "Need", row.id, version);
  }
  // Notes and decline reasons are staff's and providers' words about this person's need.
  await tx.match.updateMany({
    where: { need: { requesterId: actor.userId } },
    data: { note: null, declineReason: null },
  });
  return { anonymised: rows.length, cancelled };
}
