import { db, type Tx } from "~/lib/db.server";
import { forbidden, validationError } from "~/lib/errors";
import { type Actor, isStaff, residentCommunities } from "../accounts/actor";
import { findOnBehalfHolder, NO_RESIDENT_IN_SCOPE } from "../accounts/on-behalf.server";
import { createResidentAccount, unknownPasswordHash } from "../accounts/resident-accounts.server";
import { assertUnderLimit, countAgainstLimit, LIMITS } from "../accounts/throttle.server";
import { recordAudit } from "../audit.server";
import { notify } from "../notifications/notifications.server";
import { recordEvent, recordOutbox } from "../outbox.server";
import { authorize, type TerritoryPath } from "../policy";
import { findCommunityPath } from "../territory/territory.server";
import { getNeed } from "./need-read.server";
import { type Need, type NeedInput, namedNeed } from "./needs.schema";
import { assertRequestableService } from "./requested-service.server";

// Posting residents' needs (居民需求): by the resident, or by a worker on their behalf (代办). Reading
// is in need-read.server.ts, the life cycle of DESIGN.md §4 in need-lifecycle.server.ts.

async function communityPathOf(communityId: string) {
  const path = await findCommunityPath(communityId);
  if (!path) throw validationError({ communityId: "所选社区不存在，请重新选择" });
  return path;
}

/** Creates the need row and its outbox event inside the caller's transaction. */
async function insertNeed(
  tx: Tx,
  values: NeedInput,
  who: { requesterId: string; createdById: string; communityId: string; nameGiven?: string | null },
) {
  const need = await tx.need.create({
    data: {
      requesterId: who.requesterId,
      createdById: who.createdById,
      onBehalf: who.requesterId !== who.createdById,
      requesterNameGiven: who.nameGiven ?? null,
      communityId: who.communityId,
      title: values.title,
      description: values.description,
      category: values.category,
      urgency: values.urgency,
      preferredTime: values.preferredTime ?? null,
      requestedServiceId: values.requestedServiceId ?? null,
    },
    select: { id: true, version: true, caseNumber: true },
  });
  await recordOutbox(tx, "Need", need.id, need.version);
  await recordEvent(tx, "need.posted", "Need", need.id, need.version);
  // The first step of her need's story, told to the resident also when a worker typed it in (代办).
  await notify(tx, {
    userIds: [who.requesterId],
    kind: "need.submitted",
    title: "您的需求已提交",
    body: `您的需求${namedNeed(values.title, need.caseNumber)}已提交，社区工作人员会尽快受理。`,
    link: `/needs/${need.id}`,
    dedupeKey: `need.submitted:${need.id}`,
  });
  return need.id;
}

/** A resident posts a need for their own community (the default when none is given). */
export async function postNeed(actor: Actor, values: NeedInput): Promise<Need> {
  const communityId = values.communityId ?? actor.communityId;
  if (residentCommunities(actor.roles).length === 0 && isStaff(actor)) {
    throw validationError({ requesterPhone: "代办需求请填写居民的手机号" });
  }
  if (!communityId) throw validationError({ communityId: "请选择社区" });
  const path = await communityPathOf(communityId);
  authorize(actor, "need.post", { communityPath: path });
  const id = await db().$transaction(async (tx) => {
    const needId = await insertNeed(tx, values, {
      requesterId: actor.userId,
      createdById: actor.userId,
      communityId: path.communityId,
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "need.create",
      targetType: "Need",
      targetId: needId,
      data: { communityId: path.communityId, category: values.category, urgency: values.urgency },
    });
    return needId;
  });
  return getNeed(actor, id);
}

/** An account the need is for; `nameGiven` when it is held outside the scope (see below). */
type BehalfRequester =
  | { kind: "existing"; id: string; nameGiven: string | null }
  | { kind: "new"; name: string; passwordHash: string };

/** Who a 代办 is for, by the one rule of 代办 (findOnBehalfHolder, ADR 0018). The community chosen
 * must lie in the actor's scope, checked before the number is looked up, so that refusal says
 * nothing about the number. A resident of the scope: the need goes to the community chosen, which
 * must be theirs, or else to their own. Any other number needs the person's name and community, with
 * one answer whether anyone holds it or not, and then goes ahead alike: a number nobody holds gets a
 * resident account of that community with a random password nobody knows (they are given access
 * later, ADR 0028), and one held outside the scope files the need for its holder, under the name the
 * worker typed (`requesterNameGiven`, shown instead of the account's), as 代办报名 registers them. */
async function resolveBehalfRequester(
  actor: Actor,
  values: NeedInput & { requesterPhone: string },
): Promise<{ path: Required<TerritoryPath>; requester: BehalfRequester }> {
  if (!isStaff(actor)) throw forbidden("只有社区工作人员可以为居民代办需求");
  const chosen = values.communityId ? await communityPathOf(values.communityId) : null;
  if (chosen) authorize(actor, "need.postOnBehalf", { communityPath: chosen });
  const holder = await findOnBehalfHolder(actor, values.requesterPhone, "need.postOnBehalf");
  if (holder.kind === "self") {
    throw validationError({ requesterPhone: "这是您本人的手机号，代办请填写居民的手机号" });
  }
  if (holder.kind === "resident") {
    if (chosen && !holder.homes.some((home) => home.communityId === chosen.communityId)) {
      throw validationError({ communityId: "该居民登记在其他社区，请选择其所在的社区" });
    }
    return {
      path: chosen ?? holder.homes[0],
      requester: { kind: "existing", id: holder.userId, nameGiven: holder.nameGiven },
    };
  }
  const { requesterName } = values;
  if (!requesterName || !chosen) {
    throw validationError({
      requesterPhone: NO_RESIDENT_IN_SCOPE,
      ...(requesterName ? {} : { requesterName: "请填写居民姓名" }),
      ...(chosen ? {} : { communityId: "请选择居民所在的社区" }),
    });
  }
  // Hashed whoever holds the number, so the time taken does not tell either.
  const passwordHash = await unknownPasswordHash();
  return {
    path: chosen,
    requester: holder.userId
      ? { kind: "existing", id: holder.userId, nameGiven: requesterName }
      : { kind: "new", name: requesterName, passwordHash },
  };
}

/** 代办: staff post a need for a resident of a community in their scope, found by phone number. */
export async function postNeedOnBehalf(
  actor: Actor,
  values: NeedInput & { requesterPhone: string },
): Promise<Need> {
  const { path, requester } = await resolveBehalfRequester(actor, values);
  const { communityId } = path;
  const id = await db().$transaction(async (tx) => {
    const requesterId =
      requester.kind === "existing"
        ? requester.id
        : await createResidentAccount(
            tx,
            {
              phone: values.requesterPhone,
              name: requester.name,
              passwordHash: requester.passwordHash,
              communityId,
            },
            actor.userId,
            "requesterPhone",
          );
    const nameGiven = requester.kind === "existing" ? requester.nameGiven : null;
    const needId = await insertNeed(tx, values, {
      requesterId,
      createdById: actor.userId,
      communityId,
      nameGiven,
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "need.create.onBehalf",
      targetType: "Need",
      targetId: needId,
      data: { requesterId, communityId, accountCreated: requester.kind === "new", category: values.category },
    });
    return needId;
  });
  return getNeed(actor, id);
}

/** The one entry for forms and the API: a requester phone makes it a 代办. Each need notifies
 * workers and starts a matching job, so an account posts a limited number an hour. */
export async function submitNeed(actor: Actor, values: NeedInput): Promise<Need> {
  await assertUnderLimit(LIMITS.needPostPerUser, actor.userId);
  await assertRequestableService(values.requestedServiceId);
  const { requesterPhone } = values;
  const need = requesterPhone
    ? await postNeedOnBehalf(actor, { ...values, requesterPhone })
    : await postNeed(actor, values);
  await countAgainstLimit(LIMITS.needPostPerUser, actor.userId);
  return need;
}
