import type { CommunityKind, PrismaClient, Role } from "@prisma/client";
import { SCOPE_OF_ROLE } from "~/domain/accounts/actor";
import { hashPassword } from "~/domain/accounts/passwords.server";
import { PRIVACY_NOTICE_VERSION } from "~/domain/accounts/privacy";

// Factories shared by the demo seed and the tests: they write rows directly (fast, no policy
// checks), with sensible defaults that a test overrides where it matters. They live beside the seed
// because production seeding must not depend on the test tree.

let sequence = 0;
const next = () => ++sequence;

/** A unique, valid mainland mobile number in the 19x range (not used by the demo seed): three digits
 * of the process id and a six-digit sequence, so parallel test processes do not collide. */
export const uniquePhone = () =>
  `19${String(process.pid % 1000).padStart(3, "0")}${String(next() % 1_000_000).padStart(6, "0")}`;

export const DEFAULT_PASSWORD = "test-password-1";

let defaultHash: Promise<string> | undefined;
/** Hashing is deliberately slow; reuse one hash for the default password. */
function hashOf(password: string) {
  if (password !== DEFAULT_PASSWORD) return hashPassword(password);
  defaultHash ??= hashPassword(DEFAULT_PASSWORD);
  return defaultHash;
}

export async function createDistrict(db: PrismaClient, values: { name?: string } = {}) {
  return db.district.create({ data: { name: values.name ?? `测试区${next()}` } });
}

export async function createSubdistrict(db: PrismaClient, values: { districtId: string; name?: string }) {
  return db.subdistrict.create({
    data: { districtId: values.districtId, name: values.name ?? `测试街道${next()}` },
  });
}

export async function createCommunity(
  db: PrismaClient,
  values: { subdistrictId: string; name?: string; kind?: CommunityKind; servicePhone?: string },
) {
  return db.community.create({
    data: {
      subdistrictId: values.subdistrictId,
      name: values.name ?? `测试社区${next()}`,
      kind: values.kind ?? "URBAN",
      servicePhone: values.servicePhone ?? null,
    },
  });
}

export type UserValues = {
  phone?: string;
  name?: string;
  password?: string;
  /** Pass a precomputed hash to create many users quickly (the seed does). */
  passwordHash?: string;
  communityId?: string | null;
  roles?: { role: Role; scopeId: string }[];
};

export async function createUser(db: PrismaClient, values: UserValues = {}) {
  const password = values.password ?? DEFAULT_PASSWORD;
  const user = await db.user.create({
    data: {
      phone: values.phone ?? uniquePhone(),
      name: values.name ?? `测试用户${next()}`,
      passwordHash: values.passwordHash ?? (await hashOf(password)),
      communityId: values.communityId ?? null,
      // Demo and test people agreed to the current notice when they were created (ADR 0013).
      privacyConsentAt: new Date(),
      privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
      roles: {
        create: (values.roles ?? []).map(({ role, scopeId }) => ({
          role,
          scopeType: SCOPE_OF_ROLE[role],
          scopeId,
        })),
      },
    },
    include: { roles: true },
  });
  return { ...user, password };
}

export const createResident = (db: PrismaClient, communityId: string, values: UserValues = {}) =>
  createUser(db, { ...values, communityId, roles: [{ role: "RESIDENT", scopeId: communityId }] });

/** A small tree for tests: one district, two subdistricts with two communities each (one of them
 * village-converted), and one staff member at every level. */
export async function createTerritoryFixture(db: PrismaClient) {
  // Each level's rows are written side by side (dozens of test files build this before every test);
  // their names are numbered before the writes start, so they stay in the order written here. The
  // people follow one by one: the staff list shows the newest first.
  const district = await createDistrict(db);
  const [sdA, sdB] = await Promise.all([
    createSubdistrict(db, { districtId: district.id }),
    createSubdistrict(db, { districtId: district.id }),
  ]);
  const [cA1, cA2, cB1, cB2] = await Promise.all([
    createCommunity(db, { subdistrictId: sdA.id, kind: "URBAN" }),
    createCommunity(db, { subdistrictId: sdA.id, kind: "VILLAGE_CONVERTED" }),
    createCommunity(db, { subdistrictId: sdB.id, kind: "URBAN" }),
    createCommunity(db, { subdistrictId: sdB.id, kind: "VILLAGE_CONVERTED" }),
  ]);
  const districtAdmin = await createUser(db, { roles: [{ role: "DISTRICT_ADMIN", scopeId: district.id }] });
  const subdistrictAdminA = await createUser(db, { roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: sdA.id }] });
  const workerA1 = await createUser(db, { roles: [{ role: "COMMUNITY_WORKER", scopeId: cA1.id }] });
  const residentA1 = await createResident(db, cA1.id);
  return {
    district,
    subdistricts: { a: sdA, b: sdB },
    communities: { a1: cA1, a2: cA2, b1: cB1, b2: cB2 },
    users: { districtAdmin, subdistrictAdminA, workerA1, residentA1 },
  };
}
export type TerritoryFixture = Awaited<ReturnType<typeof createTerritoryFixture>>;
