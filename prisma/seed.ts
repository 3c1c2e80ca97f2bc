import { hashPassword } from "~/domain/accounts/passwords.server";
import { db, disconnectDb } from "~/lib/db.server";
import { EnvError, seedEnv } from "~/lib/env.server";
import {
  createCommunity,
  createDistrict,
  createResident,
  createSubdistrict,
  createUser,
} from "../tests/factories";
import { DEMO_DISTRICT, DEMO_PASSWORD, DEMO_SUBDISTRICTS, demoPlan } from "./demo-territory";

// Demo data for an empty database, built with the same factories as the tests. Running it on a
// database that already has a district does nothing, so `npm start` can call it every time.

async function seed() {
  const env = seedEnv();
  const prisma = db();
  if ((await prisma.district.count()) > 0) {
    console.log("seed: the database already has data; nothing to do.");
    return;
  }
  const started = Date.now();
  // One hash for every demo account but the admin's: argon2 is slow by design.
  const demoHash = await hashPassword(DEMO_PASSWORD);
  const district = await createDistrict(prisma, { name: DEMO_DISTRICT });
  await createUser(prisma, {
    phone: env.DEMO_ADMIN_PHONE,
    password: env.DEMO_ADMIN_PASSWORD,
    name: "区管理员",
    roles: [{ role: "DISTRICT_ADMIN", scopeId: district.id }],
  });
  let communities = 0;
  let residents = 0;
  for (const planned of demoPlan()) {
    const subdistrict = await createSubdistrict(prisma, { districtId: district.id, name: planned.name });
    await createUser(prisma, {
      ...planned.admin,
      passwordHash: demoHash,
      roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: subdistrict.id }],
    });
    for (const plannedCommunity of planned.communities) {
      const community = await createCommunity(prisma, {
        subdistrictId: subdistrict.id,
        name: plannedCommunity.name,
        kind: plannedCommunity.kind,
      });
      communities += 1;
      await createUser(prisma, {
        ...plannedCommunity.worker,
        passwordHash: demoHash,
        roles: [{ role: "COMMUNITY_WORKER", scopeId: community.id }],
      });
      for (const person of plannedCommunity.residents) {
        await createResident(prisma, community.id, { ...person, passwordHash: demoHash });
        residents += 1;
      }
    }
  }
  console.log(
    `seed: ${DEMO_DISTRICT}, ${DEMO_SUBDISTRICTS.length} subdistricts, ${communities} communities, ` +
      `${1 + DEMO_SUBDISTRICTS.length + communities} staff, ${residents} residents in ${Date.now() - started} ms.`,
  );
}

try {
  await seed();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await disconnectDb();
}
