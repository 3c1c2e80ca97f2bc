import type { Role, SessionKind } from "@prisma/client";
import type { z } from "zod";
import { BUSY_TRANSACTION, db } from "~/lib/db.server";
import { conflict, forbidden, notFound, unauthenticated, validationError } from "~/lib/errors";
import { maskPhone } from "~/lib/masking";
import { ID_PATTERN } from "~/lib/zod";
import { recordAudit } from "../audit.server";
import { authorize, can, type TerritoryPath } from "../policy";
import { findCommunityPath, findSubdistrictPath, getTerritoryTree } from "../territory/territory.server";
import { territoryNodes } from "../territory/tree";
import type { createStaffSchema, PublicUser, registerResidentSchema, signInSchema } from "./accounts.schema";
import { type Actor, ROLE_LABELS, SCOPE_OF_ROLE, STAFF_ROLES } from "./actor";
import { hashPassword, verifyPassword } from "./passwords.server";
import { createResidentAccount, phoneTakenMeanwhile } from "./resident-accounts.server";
import { startSession } from "./sessions.server";
import { LIMITS, passwordCheckPasses, spendAttempt } from "./throttle.server";

/** Where a request comes from, for rate limits. */
export type RequestOrigin = { clientIp: string };

const publicUserSelect = {
  id: true,
  name: true,
  phone: true,
  roles: { select: { role: true, scopeType: true, scopeId: true }, orderBy: { createdAt: "asc" } },
} as const;

function toPublicUser(user: {
  id: string;
  name: string;
  phone: string;
  roles: PublicUser["roles"];
}): PublicUser {
  return { id: user.id, name: user.name, phoneMasked: maskPhone(user.phone), roles: user.roles };
}

const PHONE_TAKEN = "该手机号已注册，请直接登录";
const STAFF_PHONE_TAKEN = "该手机号已有账号";

/** Checked first so the user gets a field error; the unique index still guards against races. */
async function assertPhoneFree(phone: string, message: string) {
  if (await db().user.findUnique({ where: { phone }, select: { id: true } })) {
    throw conflict(message, { phone: message });
  }
}

export async function registerResident(
  values: z.output<typeof registerResidentSchema>,
  origin: RequestOrigin,
) {
  await spendAttempt(LIMITS.signUpPerIp, origin.clientIp);
  const path = await findCommunityPath(values.communityId);
  if (!path) throw validationError({ communityId: "所选社区不存在，请重新选择" });
  await assertPhoneFree(values.phone, PHONE_TAKEN);
  const passwordHash = await hashPassword(values.password);
  // People signing up with one number at once wait on its unique index for the first to commit:
  // they wait their turn for a connection rather than fail (503) after Prisma's default 2 s.
  const user = await db().$transaction(async (tx) => {
    const id = await createResidentAccount(
      tx,
      {
        ...values,
        communityId: path.communityId,
        passwordHash,
        privacyConsent: Boolean(values.privacyConsent),
      },
      null,
    );
    return tx.user.findUniqueOrThrow({ where: { id }, select: publicUserSelect });
  }, BUSY_TRANSACTION);
  return toPublicUser(user);
}

const WRONG_CREDENTIALS = "手机号或密码不正确";

/** Checks the password (under the sign-in limits) and opens a web session or API token. */
export async function signIn(
  values: z.output<typeof signInSchema>,
  kind: SessionKind,
  origin: RequestOrigin,
) {
  const user = await db().user.findUnique({
    where: { phone: values.phone },
    select: { ...publicUserSelect, passwordHash: true },
  });
  const passes = await passwordCheckPasses(values.phone, origin.clientIp, () =>
    verifyPassword(user?.passwordHash ?? null, values.password),
  );
  if (!passes || !user) throw unauthenticated(WRONG_CREDENTIALS);
  const session = await startSession(user.id, kind);
  return { ...session, user: toPublicUser(user) };
}

export async function getPublicUser(actor: Actor): Promise<PublicUser> {
  const user = await db().user.findUnique({ where: { id: actor.userId }, select: publicUserSelect });
  if (!user) throw unauthenticated();
  return toPublicUser(user);
}

/** District admins create subdistrict admins and community workers in their district; subdistrict
 * admins create community workers in their subdistrict. */
export async function createStaffAccount(actor: Actor, values: z.output<typeof createStaffSchema>) {
  const at =
    values.role === "COMMUNITY_WORKER"
      ? await findCommunityPath(values.scopeId)
      : await findSubdistrictPath(values.scopeId);
  if (!at) {
    throw validationError({
      scopeId: values.role === "COMMUNITY_WORKER" ? "请选择一个存在的社区" : "请选择一个存在的街道",
    });
  }
  authorize(actor, "staff.create", { role: values.role, at });
  await assertPhoneFree(values.phone, STAFF_PHONE_TAKEN);
  const passwordHash = await hashPassword(values.password);
  const user = await db().$transaction(async (tx) => {
    const created = await tx.user
      .create({
        data: {
          phone: values.phone,
          passwordHash,
          name: values.name,
          roles: {
            create: { role: values.role, scopeType: SCOPE_OF_ROLE[values.role], scopeId: values.scopeId },
          },
        },
        select: publicUserSelect,
      })
      .catch((error: unknown) => phoneTakenMeanwhile(error, "phone", STAFF_PHONE_TAKEN));
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "staff.create",
      targetType: "User",
      targetId: created.id,
      data: { role: values.role, scopeId: values.scopeId },
    });
    return created;
  });
  return toPublicUser(user);
}

export type StaffMember = PublicUser & {
  roleLabels: string[];
  /** The actor may take at least one of this person's staff roles away (never their own). */
  canRemove: boolean;
};

type Grant = PublicUser["roles"][number];

/** Where every territory node sits, to decide on many grants with one (kept) read. */
async function placesOfScopes(): Promise<Map<string, TerritoryPath>> {
  return new Map([...territoryNodes(await getTerritoryTree())].map((node) => [node.id, node.path]));
}

/** Where in the territory the actor sees staff: their own reach (staff.list). */
function staffScopeIds(actor: Actor, places: Map<string, TerritoryPath>): Set<string> {
  return new Set([...places].filter(([, at]) => can(actor, "staff.list", at)).map(([id]) => id));
}

/** The staff grants among `roles` that the actor may take away. */
function removableGrants(actor: Actor, roles: Grant[], places: Map<string, TerritoryPath>) {
  return roles.filter((grant) => {
    const at = places.get(grant.scopeId);
    return at !== undefined && can(actor, "staff.remove", { role: grant.role, at });
  });
}

type StaffRow = Parameters<typeof toPublicUser>[0];

function toStaffMember(actor: Actor, user: StaffRow, places: Map<string, TerritoryPath>): StaffMember {
  return {
    ...toPublicUser(user),
    roleLabels: user.roles
      .filter((r) => r.role !== "RESIDENT")
      .map((r) => ROLE_LABELS[r.role satisfies Role]),
    canRemove: user.id !== actor.userId && removableGrants(actor, user.roles, places).length > 0,
  };
}

/** Staff whose roles sit inside the actor's reach, newest first. */
export async function listStaff(actor: Actor): Promise<StaffMember[]> {
  authorize(actor, "workbench.open", null);
  const places = await placesOfScopes();
  const users = await db().user.findMany({
    where: {
      roles: { some: { role: { in: [...STAFF_ROLES] }, scopeId: { in: [...staffScopeIds(actor, places)] } } },
    },
    orderBy: { createdAt: "desc" },
    take: 500,
    select: publicUserSelect,
  });
  return users.map((user) => toStaffMember(actor, user, places));
}

/** Takes away the staff roles the actor may take from someone leaving the job. Their access ends
 * with their next request (roles are read on every request); their account stays, as a resident's
 * would, and they may then delete it themselves. */
export async function removeStaffMember(actor: Actor, userId: string): Promise<StaffMember> {
  authorize(actor, "workbench.open", null);
  const [user, places] = await Promise.all([
    ID_PATTERN.test(userId)
      ? db().user.findUnique({ where: { id: userId, deletedAt: null }, select: publicUserSelect })
      : null,
    placesOfScopes(),
  ]);
  const seen = staffScopeIds(actor, places);
  const visible = (user?.roles ?? []).filter(
    (grant) => STAFF_ROLES.includes(grant.role) && seen.has(grant.scopeId),
  );
  if (!user || visible.length === 0) throw notFound("该工作人员不存在或不在您的辖区");
  const removable = removableGrants(actor, visible, places);
  if (removable.length === 0) throw forbidden("您无权撤销该工作人员的身份");
  if (user.id === actor.userId) throw conflict("不能撤销自己的工作人员身份，请联系上级管理员");
  const updated = await db().$transaction(async (tx) => {
    await tx.roleAssignment.deleteMany({
      where: { userId: user.id, OR: removable.map(({ role, scopeId }) => ({ role, scopeId })) },
    });
    await recordAudit(tx, {
      actorId: actor.userId,
      action: "staff.remove",
      targetType: "User",
      targetId: user.id,
      data: { roles: removable.map(({ role, scopeId }) => ({ role, scopeId })) },
    });
    return tx.user.findUniqueOrThrow({ where: { id: user.id }, select: publicUserSelect });
  });
  return toStaffMember(actor, updated, places);
}
