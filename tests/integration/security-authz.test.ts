import type { Role } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import {
  createCommunity,
  createDistrict,
  createResident,
  createSubdistrict,
  createUser,
} from "../../prisma/factories";
import { createNeed, createProvider } from "../../prisma/factories/marketplace";
import { createProjectRow } from "../../prisma/factories/projects";
import { createHeldActivity } from "../factories/activities";
import { tableFingerprints } from "../setup/garbage";
import { resetState } from "../setup/integration";
import { keptFixture } from "../setup/kept-fixtures";
import { sessionCookie } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The authorization matrix (DESIGN §7: role × action × foreign scope) beyond the marketplace
// (marketplace-authz.test.ts): activities, statistics, exports, the queue board, venues, projects,
// password reset codes and community service phones, each tried by
// every kind of caller against the a side ("own" for residentA1, workerA1, adminA) and its mirror on
// the b side ("foreign"). A refused write must leave the activity as it was. Expectations come from
// API.md, ADR 0011/0012 and app/domain/policy.ts; a route that lets in a caller it should not fails
// its row.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const COLUMNS = [
  "anonymous",
  "residentA1",
  "workerA1",
  "workerB1",
  "adminA",
  "adminB",
  "districtAdmin",
] as const;
type ActorKey = (typeof COLUMNS)[number];
type SignedIn = Exclude<ActorKey, "anonymous">;

async function makeWorld() {
  const district = await createDistrict(db());
  const [sdA, sdB] = await Promise.all([
    createSubdistrict(db(), { districtId: district.id }),
    createSubdistrict(db(), { districtId: district.id }),
  ]);
  const [a1, b1] = await Promise.all([
    createCommunity(db(), { subdistrictId: sdA.id }),
    createCommunity(db(), { subdistrictId: sdB.id }),
  ]);
  const staff = (role: Role, scopeId: string) => createUser(db(), { roles: [{ role, scopeId }] });
  const [residentA1, workerA1, workerB1, adminA, adminB, districtAdmin] = await Promise.all([
    createResident(db(), a1.id),
    staff("COMMUNITY_WORKER", a1.id),
    staff("COMMUNITY_WORKER", b1.id),
    staff("SUBDISTRICT_ADMIN", sdA.id),
    staff("SUBDISTRICT_ADMIN", sdB.id),
    staff("DISTRICT_ADMIN", district.id),
  ]);
  const startsAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const activityIn = (communityId: string, createdById: string) =>
    createHeldActivity(db(), { communityId, createdById, startsAt, status: "PUBLISHED" });
  const [activityA1, activityB1] = await Promise.all([
    activityIn(a1.id, workerA1.id),
    activityIn(b1.id, workerB1.id),
  ]);
  // Held two weeks ago: its organiser's 24 hours are long over (ADR 0018).
  const finishedIn = (communityId: string, createdById: string) =>
    createHeldActivity(db(), {
      communityId,
      createdById,
      startsAt: new Date(Date.now() - 14 * 24 * 3600 * 1000),
    });
  const [finishedA1, finishedB1] = await Promise.all([
    finishedIn(a1.id, workerA1.id),
    finishedIn(b1.id, workerB1.id),
  ]);
  // A venue on each side, open all day, with a resident's request and a booking that has started.
  const venueIn = async (communityId: string, subdistrictId: string, bookerId: string) => {
    const venue = await db().venue.create({
      data: {
        name: "党群服务中心 · 活动室",
        subdistrictId,
        communityId,
        address: "某路1号",
        capacity: 30,
        description: "活动室",
        approval: "STAFF",
        openingHours: {
          create: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensMinute: 0, closesMinute: 1440 })),
        },
      },
    });
    const booking = (startsAt: Date, status: "REQUESTED" | "CONFIRMED") =>
      db().booking.create({
        data: {
          venueId: venue.id,
          status,
          channel: "WEB",
          startsAt,
          endsAt: new Date(startsAt.getTime() + 3600_000),
          bookerId,
          createdById: bookerId,
          groupName: "书法兴趣小组",
          expectedPersons: 10,
          contactName: "张老师",
          contactPhone: "13812345678",
          purpose: "练字",
        },
      });
    const request = await booking(new Date(Date.now() + 5 * 24 * 3600 * 1000), "REQUESTED");
    const started = await booking(new Date(Date.now() - 1800_000), "CONFIRMED");
    return { venueId: venue.id, requestId: request.id, startedId: started.id };
  };
  const residentB1 = await createResident(db(), b1.id);
  const [needA1, needB1] = await Promise.all([
    createNeed(db(), { requesterId: residentA1.id, communityId: a1.id }),
    createNeed(db(), { requesterId: residentB1.id, communityId: b1.id }),
  ]);
  const [venueA1, venueB1] = await Promise.all([
    venueIn(a1.id, sdA.id, residentA1.id),
    venueIn(b1.id, sdB.id, residentB1.id),
  ]);
  // A government-purchased project of each subdistrict, both from one provider serving both sides.
  const provider = await createProvider(db(), { communityIds: [a1.id, b1.id] });
  const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const projectOf = (subdistrictId: string, createdById: string) =>
    createProjectRow(db(), {
      purchaser: { id: subdistrictId, level: "SUBDISTRICT", subdistrictId, districtId: district.id },
      providerId: provider.id,
      createdById,
      startsOn: new Date(today.getTime() - 30 * 24 * 3600 * 1000),
      endsOn: new Date(today.getTime() + 300 * 24 * 3600 * 1000),
      targets: { activitiesHeld: 10 },
    });
  const [projectA, projectB] = await Promise.all([
    projectOf(sdA.id, adminA.id),
    projectOf(sdB.id, adminB.id),
  ]);
  const users: Record<SignedIn, { id: string }> = {
    residentA1,
    workerA1,
    workerB1,
    adminA,
    adminB,
    districtAdmin,
  };
  const sides = {
    own: {
      communityId: a1.id,
      subdistrictId: sdA.id,
      activityId: activityA1.id,
      finishedActivityId: finishedA1.id,
      workerId: workerA1.id,
      needId: needA1.id,
      ...venueA1,
      projectId: projectA.id,
    },
    foreign: {
      communityId: b1.id,
      subdistrictId: sdB.id,
      activityId: activityB1.id,
      finishedActivityId: finishedB1.id,
      workerId: workerB1.id,
      needId: needB1.id,
      ...venueB1,
      projectId: projectB.id,
    },
  };
  return {
    users,
    sides,
    districtId: district.id,
    residentA1Phone: residentA1.phone,
    providerId: provider.id,
  };
}
/** The world every row starts from: made once, put back from its rows after that. */
const buildWorld = keptFixture(makeWorld);
type World = Awaited<ReturnType<typeof makeWorld>>;
type Side = World["sides"]["own"];

type Call = {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  json?: unknown;
  page?: boolean;
};
const bookingDay = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString().slice(0, 10);
const period = "from=2026-01-01&to=2026-12-31";

/** An activity of the side's community ten days ahead (创建 as the form sends it). */
const newActivity = (s: Side) => ({
  title: "重阳节敬老茶话会",
  description: "社区老人一起喝茶聊天，表演节目。",
  category: "culture",
  communityId: s.communityId,
  venue: "社区活动室",
  startsAt: new Date(Date.now() + 10 * 24 * 3600 * 1000).toISOString(),
  endsAt: new Date(Date.now() + 10 * 24 * 3600 * 1000 + 7200 * 1000).toISOString(),
  capacity: 30,
});

const CALLS = {
  "stats of a community": (s: Side) => ({
    path: `/api/v1/stats?scope=community&id=${s.communityId}&${period}`,
  }),
  "stats of a subdistrict": (s: Side) => ({
    path: `/api/v1/stats?scope=subdistrict&id=${s.subdistrictId}&${period}`,
  }),
  "stats of the district": (_s: Side, w: World) => ({
    path: `/api/v1/stats?scope=district&id=${w.districtId}&${period}`,
  }),
  "report of a community": (s: Side) => ({
    path: `/api/v1/stats/report?scope=community&id=${s.communityId}&${period}`,
  }),
  "export figures of a community": (s: Side) => ({
    path: `/api/v1/stats/export?format=csv&scope=community&id=${s.communityId}&${period}`,
  }),
  "export activity list of a community": (s: Side) => ({
    path: `/api/v1/stats/export?format=csv&dataset=activities&scope=community&id=${s.communityId}&${period}`,
  }),
  "export need list of a subdistrict": (s: Side) => ({
    path: `/api/v1/stats/export?format=csv&dataset=needs&scope=subdistrict&id=${s.subdistrictId}&${period}`,
  }),
  "create activity": (s: Side) => ({ method: "POST", path: "/api/v1/activities", json: newActivity(s) }),
  "cancel activity": (s: Side) => ({
    method: "POST",
    path: `/api/v1/activities/${s.activityId}/cancel`,
    json: { reason: "场地临时维修" },
  }),
  // 代办 for residentA1, in an activity of either side: only staff whose scope covers both.
  "register residentA1 on their behalf": (s: Side, w: World) => ({
    method: "POST",
    path: `/api/v1/activities/${s.activityId}/registrations`,
    json: { phone: w.residentA1Phone },
  }),
  "correct a finished activity's attendance": (s: Side) => ({
    method: "POST",
    path: `/api/v1/activities/${s.finishedActivityId}/attendance-corrections`,
    json: { walkIns: 3, reason: "按纸质签到表更正" },
  }),
  "sign-in desk page": (s: Side) => ({ path: `/activities/${s.activityId}/desk`, page: true }),
  "edit activity page": (s: Side) => ({ path: `/activities/${s.activityId}/edit`, page: true }),
  "download the registration list": (s: Side) => ({
    path: `/activities/${s.activityId}/registrants?format=csv`,
    page: true,
  }),
  "queue board": () => ({ path: "/workbench/queues/board/", page: true }),
  "queue page": () => ({ path: "/workbench/queues", page: true }),
  "remove the community worker's role": (s: Side) => ({
    method: "DELETE",
    path: `/api/v1/staff/${s.workerId}`,
  }),
  "story of a need": (s: Side) => ({ path: `/api/v1/needs/${s.needId}/story` }),
  "statistics page of a community": (s: Side) => ({
    path: `/stats?scope=community&id=${s.communityId}`,
    page: true,
  }),
  "create venue": (s: Side) => ({
    method: "POST",
    path: "/api/v1/venues",
    json: {
      name: "新阵地",
      territoryId: s.communityId,
      address: "某路2号",
      capacity: 20,
      description: "介绍",
      openingHours: [{ weekday: 1, opens: "09:00", closes: "17:00" }],
      approval: "AUTO",
    },
  }),
  "edit venue": (s: Side) => ({
    method: "PATCH",
    path: `/api/v1/venues/${s.venueId}`,
    json: { capacity: 25 },
  }),
  "close venue": (s: Side) => ({
    method: "POST",
    path: `/api/v1/venues/${s.venueId}/closures`,
    json: {
      startsAt: `${bookingDay}T08:00:00+08:00`,
      endsAt: `${bookingDay}T12:00:00+08:00`,
      reason: "消防检查",
    },
  }),
  "phone booking (代订)": (s: Side) => ({
    method: "POST",
    path: "/api/v1/bookings",
    json: {
      venueId: s.venueId,
      startsAt: `${bookingDay}T09:00:00+08:00`,
      endsAt: `${bookingDay}T10:00:00+08:00`,
      groupName: "某公司党支部",
      expectedPersons: 10,
      contactName: "刘先生",
      contactPhone: "13900001111",
      purpose: "党日活动",
      channel: "PHONE",
    },
  }),
  "see a booking": (s: Side) => ({ path: `/api/v1/bookings/${s.requestId}` }),
  "confirm a booking request": (s: Side) => ({
    method: "POST",
    path: `/api/v1/bookings/${s.requestId}/confirm`,
    json: {},
  }),
  "decline a booking request": (s: Side) => ({
    method: "POST",
    path: `/api/v1/bookings/${s.requestId}/decline`,
    json: { reason: "当天已安排其他活动" },
  }),
  "cancel a booking": (s: Side) => ({
    method: "POST",
    path: `/api/v1/bookings/${s.requestId}/cancel`,
    json: { reason: "场地临时维修" },
  }),
  "record attendance": (s: Side) => ({
    method: "POST",
    path: `/api/v1/bookings/${s.startedId}/attendance`,
    json: { attended: 9 },
  }),
  "new venue page": () => ({ path: "/venues/new", page: true }),
  "edit venue page": (s: Side) => ({ path: `/venues/${s.venueId}/edit`, page: true }),
  "venue staff page (暂停开放)": (s: Side) => ({ path: `/venues/${s.venueId}/manage`, page: true }),
  "代订 page": (s: Side) => ({ path: `/venues/${s.venueId}/on-behalf`, page: true }),
  "预约审核 page": () => ({ path: "/workbench/bookings", page: true }),
  "a booking's calendar file (.ics)": (s: Side) => ({ path: `/bookings/${s.requestId}.ics`, page: true }),
  "booking form page": (s: Side) => ({ path: `/venues/${s.venueId}/book`, page: true }),
  "a booker's own booking page": (s: Side) => ({ path: `/me/bookings/${s.requestId}`, page: true }),
  "create a project bought by a subdistrict": (s: Side, w: World) => ({
    method: "POST",
    path: "/api/v1/projects",
    json: {
      title: "街道居家养老服务项目",
      purchaserId: s.subdistrictId,
      providerId: w.providerId,
      budgetFen: 5_000_000,
      startsOn: "2026-01-01",
      endsOn: "2026-12-31",
      description: "为街道老年人提供上门探访服务。",
      targets: { activitiesHeld: 12 },
    },
  }),
  "read a project": (s: Side) => ({ path: `/api/v1/projects/${s.projectId}` }),
  "a project's 结项 report": (s: Side) => ({ path: `/api/v1/projects/${s.projectId}/report` }),
  "evaluate a project": (s: Side) => ({
    method: "POST",
    path: `/api/v1/projects/${s.projectId}/evaluations`,
    json: {
      stage: "MIDTERM",
      scores: [{ indicator: "服务成效", score: 30, max: 40 }],
      comment: "进度正常。",
    },
  }),
  "edit a project": (s: Side) => ({
    method: "PATCH",
    path: `/api/v1/projects/${s.projectId}`,
    json: { budgetFen: 6_000_000, targets: { activitiesHeld: 1 } },
  }),
  "link a new activity to a project": (s: Side) => ({
    method: "POST",
    path: "/api/v1/activities",
    json: { ...newActivity(s), projectId: s.projectId },
  }),
  "new project page": () => ({ path: "/projects/new", page: true }),
  "edit project page": (s: Side) => ({ path: `/projects/${s.projectId}/edit`, page: true }),
  "evaluate project page": (s: Side) => ({ path: `/projects/${s.projectId}/evaluations/new`, page: true }),
  "结项报告 page": (s: Side) => ({ path: `/projects/${s.projectId}/report`, page: true }),
  "回访 page": (s: Side) => ({ path: `/projects/${s.projectId}/callbacks`, page: true }),
  "end a project early": (s: Side) => ({
    method: "POST",
    path: `/api/v1/projects/${s.projectId}/end`,
    json: { reason: "双方协商提前终止" },
  }),
  "issue a password reset code for residentA1": (_s: Side, w: World) => ({
    method: "POST",
    path: "/api/v1/password-reset-codes",
    json: { phone: w.residentA1Phone },
  }),
  "password reset code desk page": () => ({ path: "/workbench/password-reset", page: true }),
  "read a community's service phone": (s: Side) => ({
    path: `/api/v1/communities/${s.communityId}/service-phone`,
  }),
  "set a community's service phone": (s: Side) => ({
    method: "PATCH",
    path: `/api/v1/communities/${s.communityId}/service-phone`,
    json: { servicePhone: "0571-88886666" },
  }),
  "declare a project figure": (s: Side) => ({
    method: "POST",
    path: `/api/v1/projects/${s.projectId}/declared-figures`,
    json: {
      label: "入户走访",
      value: 20,
      fromOn: new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString().slice(0, 10),
      toOn: new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString().slice(0, 10),
      note: "对独居老人逐户走访。",
    },
  }),
  "a project's declared figures": (s: Side) => ({ path: `/api/v1/projects/${s.projectId}/declared-figures` }),
  "a project's 回访 sample": (s: Side) => ({ path: `/api/v1/projects/${s.projectId}/callback-sample` }),
  "read the district's evaluation indicators": (_s: Side, w: World) => ({
    path: `/api/v1/districts/${w.districtId}/evaluation-indicators`,
  }),
  "keep the district's evaluation indicators": (_s: Side, w: World) => ({
    method: "PUT",
    path: `/api/v1/districts/${w.districtId}/evaluation-indicators`,
    json: { indicators: [{ indicator: "服务成效", max: 60 }] },
  }),
  "评估指标 page": () => ({ path: "/projects/indicators", page: true }),
} satisfies Record<string, (side: Side, world: World) => Call>;
type CallKey = keyof typeof CALLS;

type Status = 200 | 201 | 302 | 400 | 401 | 403 | 404;
type Row = [CallKey, "any" | "own" | "foreign", [Status, Status, Status, Status, Status, Status, Status]];

// biome-ignore format: the matrix is aligned by hand so that it reads as a table
const MATRIX: Row[] = [
  //                                               anon resA1 wrkA1 wrkB1 admA  admB  dist
  // Statistics below the district are for staff whose scope covers the place (stats.view).
  ["stats of a community",                "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["stats of a community",                "foreign", [401, 403,  403,  200,  403,  200,  200]],
  ["stats of a subdistrict",              "own",     [401, 403,  403,  403,  200,  403,  200]],
  ["stats of a subdistrict",              "foreign", [401, 403,  403,  403,  403,  200,  200]],
  // The district's figures are public (ADR 0012).
  ["stats of the district",               "any",     [200, 200,  200,  200,  200,  200,  200]],
  ["report of a community",               "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["report of a community",               "foreign", [401, 403,  403,  200,  403,  200,  200]],
  ["export figures of a community",       "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["export figures of a community",       "foreign", [401, 403,  403,  200,  403,  200,  200]],
  ["export activity list of a community", "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["export activity list of a community", "foreign", [401, 403,  403,  200,  403,  200,  200]],
  ["export need list of a subdistrict",   "own",     [401, 403,  403,  403,  200,  403,  200]],
  ["export need list of a subdistrict",   "foreign", [401, 403,  403,  403,  403,  200,  200]],
  // Staff in scope organise activities (activity.create / activity.manage); residents do not.
  ["create activity",                     "own",     [401, 403,  201,  403,  201,  403,  201]],
  ["create activity",                     "foreign", [401, 403,  403,  201,  403,  201,  201]],
  ["cancel activity",                     "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["cancel activity",                     "foreign", [401, 403,  403,  200,  403,  200,  200]],
  // 代办 reaches residents in the staff member's scope only: the b side's staff get the answer an
  // unknown number gets (400), whichever activity of theirs it is for (ADR 0018).
  ["register residentA1 on their behalf", "own",     [401, 403,  201,  403,  201,  403,  201]],
  ["register residentA1 on their behalf", "foreign", [401, 403,  403,  400,  403,  400,  201]],
  // After the organiser's 24 hours, only admins above the community correct attendance.
  ["correct a finished activity's attendance", "own",     [401, 403, 403, 403, 201, 403, 201]],
  ["correct a finished activity's attendance", "foreign", [401, 403, 403, 403, 403, 201, 201]],
  // The organiser's pages: sign-in sends the anonymous to sign in (302).
  ["sign-in desk page",                   "own",     [302, 403,  200,  403,  200,  403,  200]],
  ["sign-in desk page",                   "foreign", [302, 403,  403,  200,  403,  200,  200]],
  ["edit activity page",                  "own",     [302, 403,  200,  403,  200,  403,  200]],
  ["edit activity page",                  "foreign", [302, 403,  403,  200,  403,  200,  200]],
  // 报名名单 with full phones: the activity's organisers only (activity.registrants, #15 item 11).
  ["download the registration list",      "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["download the registration list",      "foreign", [401, 403,  403,  200,  403,  200,  200]],
  // The queue page and the engineers' board are the district admins' alone (operations.view).
  ["queue board",                         "any",     [302, 403,  403,  403,  403,  403,  200]],
  ["queue page",                          "any",     [302, 403,  403,  403,  403,  403,  200]],
  // Taking a worker's role away (staff.remove): whoever could give it. Staff who cannot see the
  // worker get 404, as in their list; a worker cannot take even their own.
  ["remove the community worker's role",  "own",     [401, 403,  403,  404,  200,  404,  200]],
  ["remove the community worker's role",  "foreign", [401, 403,  404,  403,  404,  200,  200]],
  // A need's story (issue #15): its requester (residentA1 on the own side) and staff in scope.
  ["story of a need",                     "own",     [401, 200,  200,  403,  200,  403,  200]],
  ["story of a need",                     "foreign", [401, 403,  403,  200,  403,  200,  200]],
  // The 统计 page stays on the district view for the anonymous and says why (401), not a redirect.
  ["statistics page of a community",      "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["statistics page of a community",      "foreign", [401, 403,  403,  200,  403,  200,  200]],
  // Venues (issue 19): staff in scope manage them and work their bookings (venue.manage,
  // booking.review, booking.enterOnBehalf); a booking's booker sees and cancels it; others get 404
  // for a booking they may not see.
  ["create venue",                        "own",     [401, 403,  201,  403,  201,  403,  201]],
  ["create venue",                        "foreign", [401, 403,  403,  201,  403,  201,  201]],
  ["edit venue",                          "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["edit venue",                          "foreign", [401, 403,  403,  200,  403,  200,  200]],
  ["close venue",                         "own",     [401, 403,  201,  403,  201,  403,  201]],
  ["close venue",                         "foreign", [401, 403,  403,  201,  403,  201,  201]],
  ["phone booking (代订)",                "own",     [401, 403,  201,  403,  201,  403,  201]],
  ["phone booking (代订)",                "foreign", [401, 403,  403,  201,  403,  201,  201]],
  ["see a booking",                       "own",     [401, 200,  200,  404,  200,  404,  200]],
  ["see a booking",                       "foreign", [401, 404,  404,  200,  404,  200,  200]],
  ["confirm a booking request",           "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["confirm a booking request",           "foreign", [401, 403,  403,  200,  403,  200,  200]],
  ["decline a booking request",           "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["decline a booking request",           "foreign", [401, 403,  403,  200,  403,  200,  200]],
  ["cancel a booking",                    "own",     [401, 200,  200,  403,  200,  403,  200]],
  ["cancel a booking",                    "foreign", [401, 403,  403,  200,  403,  200,  200]],
  ["record attendance",                   "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["record attendance",                   "foreign", [401, 403,  403,  200,  403,  200,  200]],
  // The staff's venue pages: sign-in sends the anonymous to sign in (302); a resident is refused.
  // 新建阵地 and 预约审核 open for any staff, showing only what their scope covers.
  ["new venue page",                      "any",     [302, 403,  200,  200,  200,  200,  200]],
  ["edit venue page",                     "own",     [302, 403,  200,  403,  200,  403,  200]],
  ["edit venue page",                     "foreign", [302, 403,  403,  200,  403,  200,  200]],
  ["venue staff page (暂停开放)",          "own",     [302, 403,  200,  403,  200,  403,  200]],
  ["venue staff page (暂停开放)",          "foreign", [302, 403,  403,  200,  403,  200,  200]],
  ["代订 page",                           "own",     [302, 403,  200,  403,  200,  403,  200]],
  ["代订 page",                           "foreign", [302, 403,  403,  200,  403,  200,  200]],
  ["预约审核 page",                       "any",     [302, 403,  200,  200,  200,  200,  200]],
  // A booking's .ics is its booker's and the venue's staff's; anyone signed in may book (the form).
  ["a booking's calendar file (.ics)",    "own",     [302, 200,  200,  404,  200,  404,  200]],
  ["a booking's calendar file (.ics)",    "foreign", [302, 404,  404,  200,  404,  200,  200]],
  ["booking form page",                   "any",     [302, 200,  200,  200,  200,  200,  200]],
  // The booker's own page of a booking is theirs alone: staff have their own pages (404 here).
  ["a booker's own booking page",         "own",     [302, 200,  404,  404,  404,  404,  404]],
  ["a booker's own booking page",         "foreign", [302, 404,  404,  404,  404,  404,  404]],
  // Government-purchased projects (ADR 0026): staff whose scope covers the purchaser (here a
  // subdistrict) create, evaluate and end; the project and its progress are public.
  ["create a project bought by a subdistrict", "own",     [401, 403, 403, 403, 201, 403, 201]],
  ["create a project bought by a subdistrict", "foreign", [401, 403, 403, 403, 403, 201, 201]],
  ["read a project",                      "any",     [200, 200,  200,  200,  200,  200,  200]],
  ["a project's 结项 report",              "own",     [401, 403,  403,  403,  200,  403,  200]],
  ["a project's 结项 report",              "foreign", [401, 403,  403,  403,  403,  200,  200]],
  ["evaluate a project",                  "own",     [401, 403,  403,  403,  201,  403,  201]],
  ["evaluate a project",                  "foreign", [401, 403,  403,  403,  403,  201,  201]],
  ["end a project early",                 "own",     [401, 403,  403,  403,  200,  403,  200]],
  ["end a project early",                 "foreign", [401, 403,  403,  403,  403,  200,  200]],
  ["edit a project",                      "own",     [401, 403,  403,  403,  200,  403,  200]],
  ["edit a project",                      "foreign", [401, 403,  403,  403,  403,  200,  200]],
  // Linking: a community worker may organise in its community but not count it toward its
  // subdistrict's project (linking needs the purchaser's scope); a refusal creates no activity.
  ["link a new activity to a project",    "own",     [401, 403,  403,  403,  201,  403,  201]],
  ["link a new activity to a project",    "foreign", [401, 403,  403,  403,  403,  201,  201]],
  // The project's pages behind sign-in: a community worker may buy for its own community.
  ["new project page",                    "any",     [302, 403,  200,  200,  200,  200,  200]],
  ["edit project page",                   "own",     [302, 403,  403,  403,  200,  403,  200]],
  ["edit project page",                   "foreign", [302, 403,  403,  403,  403,  200,  200]],
  ["evaluate project page",               "own",     [302, 403,  403,  403,  200,  403,  200]],
  ["evaluate project page",               "foreign", [302, 403,  403,  403,  403,  200,  200]],
  ["结项报告 page",                        "own",     [302, 403,  403,  403,  200,  403,  200]],
  ["结项报告 page",                        "foreign", [302, 403,  403,  403,  403,  200,  200]],
  ["回访 page",                            "own",     [302, 403,  403,  403,  200,  403,  200]],
  ["回访 page",                            "foreign", [302, 403,  403,  403,  403,  200,  200]],
  // Password reset codes (ADR 0028): staff whose scope covers the resident's community; staff
  // elsewhere get the answer an unknown number gets (400), a resident is refused outright.
  ["issue a password reset code for residentA1", "any", [401, 403,  201,  400,  201,  400,  201]],
  ["password reset code desk page",       "any",     [302, 403,  200,  200,  200,  200,  200]],
  // 社区服务电话: public to read, kept by staff whose scope covers the community.
  ["read a community's service phone",    "any",     [200, 200,  200,  200,  200,  200,  200]],
  ["set a community's service phone",     "own",     [401, 403,  200,  403,  200,  403,  200]],
  ["set a community's service phone",     "foreign", [401, 403,  403,  200,  403,  200,  200]],
  // Declared figures and the 回访 sample (ADR 0026): staff in the purchaser's scope (and the
  // provider's people, tested in projects-evidence) declare and read; only evaluators sample.
  ["declare a project figure",            "own",     [401, 403,  403,  403,  201,  403,  201]],
  ["declare a project figure",            "foreign", [401, 403,  403,  403,  403,  201,  201]],
  ["a project's declared figures",        "own",     [401, 403,  403,  403,  200,  403,  200]],
  ["a project's declared figures",        "foreign", [401, 403,  403,  403,  403,  200,  200]],
  ["a project's 回访 sample",              "own",     [401, 403,  403,  403,  200,  403,  200]],
  ["a project's 回访 sample",              "foreign", [401, 403,  403,  403,  403,  200,  200]],
  // The district's default evaluation indicators: public to read, kept by its district admins alone.
  ["read the district's evaluation indicators", "any", [200, 200, 200,  200,  200,  200,  200]],
  ["keep the district's evaluation indicators", "any", [401, 403, 403,  403,  403,  403,  200]],
  ["评估指标 page",                        "any",     [200, 200,  200,  200,  200,  200,  200]],
];

const CASES = MATRIX.flatMap(([call, scope, statuses]) =>
  COLUMNS.map((actor, column) => {
    const expected = statuses[column];
    if (expected === undefined) throw new Error(`${call} ${scope}: no outcome for ${actor}`);
    return {
      name: `${call} · ${actor} · ${scope} → ${expected}`,
      call,
      actor,
      scope,
      side: scope === "foreign" ? ("foreign" as const) : ("own" as const),
      expected,
    };
  }),
);

type Case = (typeof CASES)[number];

// The cases of one row run one after another, in one world while they only read or are refused
// (each checks that a refusal changed nothing); after a write that succeeded, the next case gets a
// fresh world. A few dozen worlds instead of two hundred, every case still checked by its name.
const ROWS = MATRIX.map(([call, scope]) => ({
  row: `${call} · ${scope}`,
  cases: CASES.filter((c) => c.call === call && c.scope === scope),
}));

/** What a refused call must leave exactly as it was, every row and column. */
const UNTOUCHED_BY_REFUSALS = [
  "Activity",
  "RoleAssignment",
  "Registration",
  "AttendanceCorrection",
  "Venue",
  "Booking",
  "Project",
  "ProjectEvaluation",
  "EvaluationIndicator",
  "Community",
  "PasswordResetCode",
] as const;

/** Calls one case in a world and checks its answer, and that a refusal changed nothing. True when it
 * was a write that succeeded (the world has changed). */
async function check(world: World, { name, call, actor, side, expected }: Case): Promise<boolean> {
  const s = world.sides[side];
  const spec: Call = CALLS[call](s, world);
  const person = actor === "anonymous" ? null : world.users[actor];
  const headers: Record<string, string> = {};
  let token: string | undefined;
  if (person && spec.page) headers.cookie = await sessionCookie(server, person.id);
  else if (person) token = await tokenFor(person.id);
  const before = await tableFingerprints(UNTOUCHED_BY_REFUSALS);

  const res = await server.request(spec.path, {
    method: spec.method ?? "GET",
    json: spec.json,
    token,
    headers,
  });
  const body = await res.text();
  expect(res.status, `${name}: ${body.slice(0, 300)}`).toBe(expected);
  if (expected === 302) expect(res.headers.get("location"), name).toMatch(/^\/login\?redirectTo=/);
  if (expected === 400 || expected === 401 || expected === 403 || expected === 404) {
    const codes = { 400: "VALIDATION", 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND" };
    if (!spec.page) expect(JSON.parse(body).error.code, name).toBe(codes[expected]);
    expect(await tableFingerprints(UNTOUCHED_BY_REFUSALS), name).toEqual(before);
  }
  return (spec.method ?? "GET") !== "GET" && expected < 300;
}

describe("authorization matrix: activities, statistics, exports, queue board", () => {
  it("covers every caller for every call", () => {
    expect(new Set(MATRIX.map(([call]) => call))).toEqual(new Set(Object.keys(CALLS)));
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(ROWS.flatMap(({ cases }) => cases)).toHaveLength(CASES.length);
  });

  it.each(ROWS)("$row: every caller gets its answer", async ({ cases }) => {
    let world = await buildWorld();
    for (const c of cases) {
      if (!(await check(world, c))) continue;
      await resetState();
      world = await buildWorld();
    }
  });
});
