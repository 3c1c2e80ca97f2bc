import type { NeedStatus, Prisma } from "@prisma/client";
import type { z } from "zod";
import { db } from "~/lib/db.server";
import { conflict, validationError } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { recordAudit } from "../audit.server";
import { recordOutbox } from "../outbox.server";
import { authorize } from "../policy";
import {
  CANCELLABLE,
  CLOSABLE,
  contactOf,
  FULFILLABLE,
  getNeed,
  loadNeed,
  type NeedRow,
} from "./need-read.server";
import { type closeNeedSchema, type fulfilNeedSchema, NEED_STATUS_LABELS } from "./needs.schema";

// The life cycle of a need (DESIGN.md §4) after it is posted: withdrawn by its requester, closed by
// staff, confirmed as met.

/** Moves a need along its life cycle: the status change, the version bump, the audit entry and the
 * outbox event in one transaction. The version guard turns a concurrent change into a 409. */
async function transition(
  actor: Actor,
  row: NeedRow,
  change: {
    from: NeedStatus[];
    verb: string;
    action: string;
    data: Prisma.NeedUpdateManyMutationInput;
    audit?: Prisma.InputJsonObject;
  },
) {
  if (!change.from.includes(row.status)) {
    throw conflict(`该需求当前“${NEED_STATUS_LABELS[row.status]}”，不能${change.verb}`);
  }
  const version = row.version + 1;
  await db().$transaction(async (tx) => {
    const { count } = await tx.need.updateMany({
      where: { id: row.id, version: row.version },
      data: { ...change.data, version },
    });
    if (count === 0) throw conflict("该需求刚被他人更新，请刷新页面后重试");
    await recordAudit(tx, {
      actorId: actor.userId,
      action: change.action,
      targetType: "Need",
      targetId: row.id,
      data: { from: row.status, ...change.audit },
    });
    await recordOutbox(tx, "Need", row.id, version);
  });
  return getNeed(actor, row.id);
}

/** The requester withdraws a need that is still open or matched. */
export async function cancelNeed(actor: Actor, id: string) {
  const row = await loadNeed(id);
  authorize(actor, "need.cancel", contactOf(row));
  return transition(actor, row, {
    from: CANCELLABLE,
    verb: "取消",
    action: "need.cancel",
    data: { status: "CANCELLED", cancelledAt: new Date() },
  });
}

/** Staff in scope close a need that will not be served, saying why. */
export async function closeNeed(actor: Actor, id: string, values: z.output<typeof closeNeedSchema>) {
  const row = await loadNeed(id);
  authorize(actor, "need.close", contactOf(row));
  return transition(actor, row, {
    from: CLOSABLE,
    verb: "关闭",
    action: "need.close",
    data: { status: "CLOSED", closedAt: new Date(), closeReason: values.reason },
  });
}

/** The requester or staff in scope confirm that a need was met; only the requester may rate it. */
export async function fulfilNeed(actor: Actor, id: string, values: z.output<typeof fulfilNeedSchema>) {
  const row = await loadNeed(id);
  authorize(actor, "need.fulfil", contactOf(row));
  if (actor.userId !== row.requesterId) {
    const fields: Record<string, string> = {};
    if (values.rating !== undefined) fields.rating = "只有提出需求的居民本人可以评分";
    if (values.comment !== undefined) fields.comment = "只有提出需求的居民本人可以填写评价";
    if (Object.keys(fields).length > 0) throw validationError(fields);
  }
  if (row.status === "OPEN") {
    throw conflict("这条需求还没有对接服务，对接之后才能确认完成", { status: "NOT_MATCHED" });
  }
  return transition(actor, row, {
    from: FULFILLABLE,
    verb: "确认完成",
    action: "need.fulfil",
    data: {
      status: "FULFILLED",
      fulfilledAt: new Date(),
      rating: values.rating ?? null,
      ratingComment: values.comment ?? null,
    },
    audit: values.rating === undefined ? {} : { rating: values.rating },
  });
}

/** A resident's needs they could still cancel themself. */
export const cancellableNeedsOf = (requesterId: string) =>
  ({ requesterId, status: { in: CANCELLABLE } }) satisfies Prisma.NeedWhereInput;
