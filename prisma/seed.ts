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
import {
  DEMO_DISTRICT,
  DEMO_PASSWORD,
  DEMO_SUBDISTRICTS,
  demoName,
  demoPhones,
  RESIDENTS_PER_COMMUNITY,
} from "./demo-territory";

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
  let residentNo = 0;
  let communities = 0;
  for (const [s, spec] of DEMO_SUBDISTRICTS.entries()) {
    const subdistrict = await createSubdistrict(prisma, { districtId: district.id, name: spec.name });
    await createUser(prisma, {
      phone: demoPhones.subdistrictAdmin(s),
      passwordHash: demoHash,
      name: demoName(100 + s),
      roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: subdistrict.id }],
    });
    for (const [c, label] of spec.communities.entries()) {
      const villageConverted = label.endsWith("(V)");
      const community = await createCommunity(prisma, {
        subdistrictId: subdistrict.id,
        name: label.replace("(V)", ""),
        kind: villageConverted ? "VILLAGE_CONVERTED" : "URBAN",
      });
      communities += 1;
      await createUser(prisma, {
        phone: demoPhones.worker(s, c),
        passwordHash: demoHash,
        name: demoName(200 + s * 10 + c),
        roles: [{ role: "COMMUNITY_WORKER", scopeId: community.id }],
      });
      for (let r = 0; r < RESIDENTS_PER_COMMUNITY; r += 1) {
        await createResident(prisma, community.id, {
          phone: demoPhones.resident(residentNo),
          passwordHash: demoHash,
          name: demoName(residentNo),
        });
        residentNo += 1;
      }
    }
  }
  console.log(
    `seed: ${DEMO_DISTRICT}, ${DEMO_SUBDISTRICTS.length} subdistricts, ${communities} communities, ` +
      `${1 + DEMO_SUBDISTRICTS.length + communities} staff, ${residentNo} residents in ${Date.now() - started} ms.`,
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
