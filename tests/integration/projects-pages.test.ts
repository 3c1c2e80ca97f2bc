import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recomputeActivityFigures } from "~/domain/activities/tallies.server";
import { serviceCheckboxName, targetFieldName } from "~/domain/projects/project-form";
import { chinaDay, DAY_MS, isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createProvider, createService } from "../../prisma/factories/marketplace";
import { createProjectRow } from "../../prisma/factories/projects";
import { createHeldActivity } from "../factories/activities";
import { keptFixture } from "../setup/kept-fixtures";
import { pagesOf, visibleText } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// The 政府购买服务 forms as a browser without JavaScript uses them (issue 18): 新建项目, 修改项目,
// 提前终止, 评估 and the printable 结项报告, the activity form's 项目 select and the provider's
// dashboard. Each form: good input does what the API does (audited), garbage changes nothing and
// names the field in Chinese, and every role that may not gets a refusal with nothing written.

let server: TestServer;
let fx: TerritoryFixture;
let cookies: Record<string, string> = {};
let ids: Record<string, string> = {};
/** A person's session cookie ("" for a stranger) and the ids of the people and rows made below. */
const cookie = (who: string) => cookies[who] ?? "";
const id = (key: string) => ids[key] ?? "";
const today = chinaDay(new Date());
const day = (offset: number) => isoDay(new Date(today.getTime() + offset * DAY_MS));

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const pages = pagesOf(() => server);

/** What every test starts from: made once, put back from its rows for every later test. */
const world = keptFixture(async () => {
  fx = await createTerritoryFixture(db());
  const member = await createResident(db(), fx.communities.a1.id);
  const workerB1 = await createUser(db(), {
    roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
  });
  const provider = await createProvider(db(), {
    name: "阳光社工服务中心",
    communityIds: [fx.communities.a1.id, fx.communities.a2.id],
    members: [{ userId: member.id }],
  });
  const bought = await createService(db(), {
    providerId: provider.id,
    communityIds: [fx.communities.a1.id],
    title: "助老上门探访",
    funding: "GOVERNMENT_PURCHASED",
  });
  const users = { ...fx.users, member, workerB1 };
  for (const [key, user] of Object.entries(users)) {
    cookies[key] = await pages.cookieOf(user);
    ids[key] = user.id;
  }
  Object.assign(ids, { provider: provider.id, bought: bought.id });
  return { fx, cookies, ids };
});
beforeEach(async () => {
  ({ fx, cookies, ids } = await world());
});

const projectForm = (overrides: Record<string, string> = {}) => ({
  title: "东湖街道居家养老服务项目",
  purchaserId: fx.subdistricts.a.id,
  providerId: id("provider"),
  description: "为街道内老年人提供上门探访、助餐和健康讲座。",
  budgetYuan: "185000.29",
  startsOn: day(-30),
  endsOn: day(300),
  servicesListed: "1",
  [targetFieldName("activitiesHeld")]: "12",
  [targetFieldName("personTimes")]: "",
  [targetFieldName("uniquePersons")]: "",
  [targetFieldName("needsFulfilled")]: "",
  [targetFieldName("averageRating")]: "4.5",
  [serviceCheckboxName(id("bought"))]: "on",
  ...overrides,
});

/** A running project bought by subdistrict A from the provider (as createProject leaves it). */
const existingProject = () =>
  createProjectRow(db(), {
    purchaser: {
      id: fx.subdistricts.a.id,
      level: "SUBDISTRICT",
      subdistrictId: fx.subdistricts.a.id,
      districtId: fx.district.id,
    },
    providerId: id("provider"),
    createdById: id("subdistrictAdminA"),
    budgetFen: 10_000_000,
    startsOn: new Date(`${day(-30)}T00:00:00Z`),
    endsOn: new Date(`${day(300)}T00:00:00Z`),
    targets: { activitiesHeld: 10, personTimes: 100 },
  });

const auditOf = (projectId: string) =>
  db().auditLog.findMany({
    where: { targetType: "Project", targetId: projectId },
    orderBy: { createdAt: "asc" },
  });

/** Who may not manage a subdistrict A project: strangers are sent to sign in, the rest refused. */
const NOT_MANAGERS = [
  ["resident", "residentA1"],
  ["provider member", "member"],
  ["staff outside the scope", "workerB1"],
] as const;

describe("新建项目", () => {
  it("offers purchasers in the actor's scope only and approved social organizations", async () => {
    const page = await pages.page("/projects/new", cookie("subdistrictAdminA"));
    expect(page.status).toBe(200);
    const text = visibleText(page.html);
    expect(text).toContain(fx.communities.a1.name);
    expect(text).not.toContain(fx.communities.b1.name);
    expect(text).toContain("阳光社工服务中心");
    expect(text).toContain("助老上门探访");
    const worker = visibleText((await pages.page("/projects/new", cookie("workerA1"))).html);
    expect(worker).toContain(fx.communities.a1.name);
    expect(worker).not.toContain(fx.communities.a2.name);
  });

  it("creates the project with the budget in exact fen, the targets given and the service, audited", async () => {
    const res = await pages.submit("/projects/new", cookie("subdistrictAdminA"), projectForm());
    expect(res.status).toBe(302);
    const project = await db().project.findFirstOrThrow({ include: { services: true } });
    expect(res.location).toBe(`/projects/${project.id}?done=created`);
    // 185000.29 × 100 in floating point is 18500028.999999996: the digits are read as text.
    expect(project.budgetFen).toBe(18_500_029);
    expect(project.targetActivitiesHeld).toBe(12);
    expect(project.targetPersonTimes).toBeNull();
    expect(project.targetRatingX100).toBe(450);
    expect(project.services.map((s) => s.serviceId)).toEqual([id("bought")]);
    expect((await auditOf(project.id)).map((a) => a.action)).toEqual(["project.create"]);
    const shown = visibleText((await pages.page(res.location ?? "", cookie("subdistrictAdminA"))).html);
    expect(shown).toContain("项目已创建");
    expect(shown).toContain("185,000.29 元");
  });

  it.each([
    ["budgetYuan", { budgetYuan: "12.345" }, "两位小数"],
    ["budgetYuan", { budgetYuan: "十万" }, "预算请填写数字"],
    ["budgetYuan", { budgetYuan: "10000001" }, "预算不能超过"],
    ["endsOn", { startsOn: day(10), endsOn: day(9) }, "结束日期不能早于开始日期"],
    ["startsOn", { startsOn: "2026-02-30" }, "开始日期"],
    ["title", { title: "" }, "请填写项目名称"],
    [targetFieldName("personTimes"), { [targetFieldName("personTimes")]: "-3" }, "服务人次目标"],
    [targetFieldName("averageRating"), { [targetFieldName("averageRating")]: "6" }, "平均评分"],
    ["providerId", { providerId: "" }, "请选择承接机构"],
    ["purchaserId", { purchaserId: "nowhere" }, "购买方"],
  ])("refuses a bad %s with its Chinese message and writes nothing", async (field, overrides, message) => {
    const res = await pages.submit("/projects/new", cookie("subdistrictAdminA"), projectForm(overrides));
    expect(res.status).toBe(400);
    expect(res.html).toContain(`id="${field}-error"`);
    expect(visibleText(res.html)).toContain(message);
    // What was typed stays in the form.
    expect(res.html).toContain("东湖街道居家养老服务项目");
    expect(await db().project.count()).toBe(0);
    expect(await db().auditLog.count({ where: { targetType: "Project" } })).toBe(0);
  });

  it("shows every problem at once", async () => {
    const res = await pages.submit(
      "/projects/new",
      cookie("subdistrictAdminA"),
      projectForm({ title: "", budgetYuan: "abc", startsOn: "2026-13-01" }),
    );
    expect(res.status).toBe(400);
    for (const field of ["title", "budgetYuan", "startsOn"])
      expect(res.html).toContain(`id="${field}-error"`);
  });

  it.each(NOT_MANAGERS)("refuses a %s (page and post) and writes nothing", async (_, who) => {
    // Staff of another community may buy for their own: the form opens without this one's places.
    const form = await pages.page("/projects/new", cookie(who));
    if (who === "workerB1") {
      expect(form.status).toBe(200);
      expect(form.html).not.toContain(`value="${fx.communities.a1.id}"`);
    } else {
      expect(form.status).toBe(403);
    }
    const purchaserId = who === "workerB1" ? fx.communities.a1.id : fx.subdistricts.a.id;
    const res = await pages.submit("/projects/new", cookie(who), projectForm({ purchaserId }));
    expect(res.status).toBe(403);
    expect(await db().project.count()).toBe(0);
  });

  it("sends a stranger to sign in", async () => {
    const page = await pages.page("/projects/new");
    expect(page.status).toBe(302);
    expect(page.location).toContain("/login");
    expect((await pages.submit("/projects/new", "", projectForm())).status).toBe(302);
    expect(await db().project.count()).toBe(0);
  });

  it("shows 新建项目 on the list to staff only", async () => {
    expect((await pages.page("/projects", cookie("workerA1"))).html).toContain('href="/projects/new"');
    expect((await pages.page("/projects", cookie("member"))).html).not.toContain('href="/projects/new"');
    expect((await pages.page("/projects")).html).not.toContain('href="/projects/new"');
  });
});

describe("修改项目 and 提前终止", () => {
  it("saves only what changed, audited with the values before", async () => {
    const project = await existingProject();
    const form = await pages.page(`/projects/${project.id}/edit`, cookie("subdistrictAdminA"));
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="100000.00"');
    const res = await pages.submit(`/projects/${project.id}/edit`, cookie("subdistrictAdminA"), {
      title: project.title,
      description: project.description,
      budgetYuan: "120000.10",
      startsOn: day(-30),
      endsOn: day(300),
      servicesListed: "1",
      [targetFieldName("activitiesHeld")]: "10",
      [targetFieldName("personTimes")]: "100",
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/projects/${project.id}?done=saved`);
    const stored = await db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect(stored.budgetFen).toBe(12_000_010);
    expect(stored.targetActivitiesHeld).toBe(10);
    const [audit] = await auditOf(project.id);
    expect(audit?.action).toBe("project.update");
    expect(audit?.data).toMatchObject({ changed: ["budgetFen"], before: { budgetFen: 10_000_000 } });
  });

  it("refuses garbage and changes nothing", async () => {
    const project = await existingProject();
    const res = await pages.submit(`/projects/${project.id}/edit`, cookie("subdistrictAdminA"), {
      budgetYuan: "-5",
      endsOn: "明年",
      [targetFieldName("activitiesHeld")]: "1.5",
    });
    expect(res.status).toBe(400);
    for (const field of ["budgetYuan", "endsOn", targetFieldName("activitiesHeld")]) {
      expect(res.html).toContain(`id="${field}-error"`);
    }
    const stored = await db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect(stored).toMatchObject({ budgetFen: 10_000_000, version: project.version });
    expect(await auditOf(project.id)).toEqual([]);
  });

  it("ends the project early with a reason; without one nothing changes", async () => {
    const project = await existingProject();
    const empty = await pages.submit(`/projects/${project.id}/end`, cookie("subdistrictAdminA"), {
      reason: " ",
    });
    expect(empty.status).toBe(400);
    expect(visibleText(empty.html)).toContain("请填写终止原因");
    expect((await db().project.findUniqueOrThrow({ where: { id: project.id } })).status).toBe("ACTIVE");
    const res = await pages.submit(`/projects/${project.id}/end`, cookie("subdistrictAdminA"), {
      reason: "承接机构注销，无法继续履约",
    });
    expect(res.location).toBe(`/projects/${project.id}?done=ended`);
    const stored = await db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect(stored).toMatchObject({ status: "ENDED", endReason: "承接机构注销，无法继续履约" });
    // A closed project has no edit form any more.
    expect((await pages.page(`/projects/${project.id}/edit`, cookie("subdistrictAdminA"))).status).toBe(409);
  });

  it.each(NOT_MANAGERS)("refuses a %s on both forms and changes nothing", async (_, who) => {
    const project = await existingProject();
    expect((await pages.page(`/projects/${project.id}/edit`, cookie(who))).status).toBe(403);
    expect((await pages.page(`/projects/${project.id}/end`, cookie(who))).status).toBe(403);
    const edit = await pages.submit(`/projects/${project.id}/edit`, cookie(who), { budgetYuan: "1" });
    expect(edit.status).toBe(403);
    const end = await pages.submit(`/projects/${project.id}/end`, cookie(who), {
      reason: "不想做了不想做了",
    });
    expect(end.status).toBe(403);
    const stored = await db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect(stored).toMatchObject({ status: "ACTIVE", budgetFen: 10_000_000 });
    expect(await auditOf(project.id)).toEqual([]);
  });

  it("shows the buttons only to those allowed", async () => {
    const project = await existingProject();
    const staff = (await pages.page(`/projects/${project.id}`, cookie("subdistrictAdminA"))).html;
    for (const path of ["edit", "end", "evaluations/new", "report"]) {
      expect(staff).toContain(`href="/projects/${project.id}/${path}"`);
    }
    const member = (await pages.page(`/projects/${project.id}`, cookie("member"))).html;
    expect(member).toContain(`href="/projects/${project.id}/report"`);
    for (const path of ["edit", "end", "evaluations/new"]) {
      expect(member).not.toContain(`href="/projects/${project.id}/${path}"`);
    }
    for (const who of ["residentA1", "workerB1", "stranger"]) {
      const html = (await pages.page(`/projects/${project.id}`, cookie(who))).html;
      expect(html).not.toMatch(new RegExp(`href="/projects/${project.id}/(edit|end|evaluations|report)`));
    }
  });

  it("draws each target's bar with the pace mark and reads the period as Chinese dates", async () => {
    const project = await existingProject();
    // 90 of 331 days elapsed: the pace of 100 person-times is floor(100 × 90 / 331) = 27.
    await db().project.update({
      where: { id: project.id },
      data: { startsOn: new Date(`${day(-89)}T00:00:00Z`), endsOn: new Date(`${day(241)}T00:00:00Z`) },
    });
    const { html } = await pages.page(`/projects/${project.id}`);
    expect(html).toContain('aria-label="服务人次：实际 0 / 目标 100 人次，按进度应达 27，进度落后"');
    expect(html).toMatch(/<line class="pace-bar__pace" x1="27" x2="27"/);
    const [from, to] = [day(-89), day(241)].map(
      (d) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`,
    );
    expect(html).toContain(`${from}至${to}`);
  });
});

describe("评估", () => {
  const scores = (rows: [string, string, string][]) =>
    Object.fromEntries(
      rows.flatMap(([indicator, score, max], row) => [
        [`scores.${row}.indicator`, indicator],
        [`scores.${row}.score`, score],
        [`scores.${row}.max`, max],
      ]),
    );

  it("prefills the default indicators; mid-term then final, which completes the project", async () => {
    const project = await existingProject();
    const form = await pages.page(`/projects/${project.id}/evaluations/new`, cookie("subdistrictAdminA"));
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="服务成效"');
    expect(form.html).toContain('value="40"');
    // What is scored against stands on the form, with the way to the 回访 sample.
    expect(form.html).toContain("平台统计的完成情况");
    expect(form.html).toMatch(/开展活动<\/strong>：实际 0 \/ 目标 10 场，按进度应达 \d+/);
    expect(form.html).toContain(`href="/projects/${project.id}/callbacks"`);
    const midterm = await pages.submit(
      `/projects/${project.id}/evaluations/new`,
      cookie("subdistrictAdminA"),
      {
        stage: "MIDTERM",
        comment: "进度正常，继续保持。",
        ...scores([
          ["服务成效", "35", "40"],
          ["项目管理", "18", "20"],
          ["", "", ""],
        ]),
      },
    );
    expect(midterm.location).toBe(`/projects/${project.id}?done=evaluated`);
    const final = await pages.submit(`/projects/${project.id}/evaluations/new`, cookie("districtAdmin"), {
      stage: "FINAL",
      comment: "目标全部完成，同意结项。",
      ...scores([["服务成效", "38", "40"]]),
    });
    expect(final.location).toBe(`/projects/${project.id}?done=completed`);
    const stored = await db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect(stored.status).toBe("COMPLETED");
    const evaluations = await db().projectEvaluation.findMany({
      where: { projectId: project.id },
      include: { scores: { orderBy: { position: "asc" } } },
      orderBy: { stage: "asc" },
    });
    expect(evaluations.map((e) => [e.stage, e.scores.map((s) => s.score)])).toEqual([
      ["MIDTERM", [35, 18]],
      ["FINAL", [38]],
    ]);
    expect((await auditOf(project.id)).map((a) => a.action)).toEqual([
      "project.evaluate",
      "project.evaluate",
    ]);
  });

  it("names the bad cell by its row in Chinese and records nothing", async () => {
    const project = await existingProject();
    const res = await pages.submit(`/projects/${project.id}/evaluations/new`, cookie("subdistrictAdminA"), {
      stage: "FINAL",
      comment: "好",
      ...scores([
        ["", "", ""],
        ["服务成效", "45", "40"],
        ["项目管理", "abc", "20"],
      ]),
    });
    expect(res.status).toBe(400);
    expect(res.html).toContain('id="scores.1.score-error"');
    expect(res.html).toContain('id="scores.2.score-error"');
    expect(res.html).toContain('id="comment-error"');
    expect(visibleText(res.html)).toContain("得分不能高于满分");
    const bogus = await pages.submit(`/projects/${project.id}/evaluations/new`, cookie("subdistrictAdminA"), {
      stage: "LATE",
      comment: "评估意见评估意见",
    });
    expect(bogus.status).toBe(400);
    expect(bogus.html).toContain('id="stage-error"');
    expect(bogus.html).toContain('id="scores-error"');
    expect(await db().projectEvaluation.count()).toBe(0);
    expect((await db().project.findUniqueOrThrow({ where: { id: project.id } })).status).toBe("ACTIVE");
  });

  it.each(NOT_MANAGERS)("refuses a %s (the provider cannot evaluate itself)", async (_, who) => {
    const project = await existingProject();
    expect((await pages.page(`/projects/${project.id}/evaluations/new`, cookie(who))).status).toBe(403);
    const res = await pages.submit(`/projects/${project.id}/evaluations/new`, cookie(who), {
      stage: "FINAL",
      comment: "自评优秀自评优秀",
      ...scores([["服务成效", "40", "40"]]),
    });
    expect(res.status).toBe(403);
    expect(await db().projectEvaluation.count()).toBe(0);
  });
});

describe("结项报告 page", () => {
  it("prints targets against actuals, the activities, months and the paragraph, with the XLSX link", async () => {
    const project = await existingProject();
    const resident = await createResident(db(), fx.communities.a1.id);
    const activity = await createHeldActivity(db(), {
      communityId: fx.communities.a1.id,
      createdById: id("workerA1"),
      startsAt: new Date(today.getTime() - 3 * DAY_MS + 2 * 3600_000),
      title: "重阳节敬老茶话会",
      walkIns: 7,
      attendees: [{ userId: resident.id, checkedIn: true }],
    });
    await db().activity.update({ where: { id: activity.id }, data: { projectId: project.id } });
    await recomputeActivityFigures(activity.id);
    for (const who of ["subdistrictAdminA", "member"]) {
      const page = await pages.page(`/projects/${project.id}/report`, cookie(who));
      expect(page.status).toBe(200);
      const text = visibleText(page.html);
      expect(text).toContain("结项报告");
      expect(text).toContain("重阳节敬老茶话会");
      expect(text).toContain("开展活动1场次");
      expect(text).toContain("逐月数据");
      expect(page.html).toContain(`href="/api/v1/projects/${project.id}/report?format=xlsx"`);
      // No resident's personal data.
      expect(text).not.toContain(resident.name);
      expect(text).not.toContain(resident.phone);
    }
  });

  it.each([
    ["resident", "residentA1"],
    ["staff outside the scope", "workerB1"],
  ])("refuses a %s", async (_, who) => {
    const project = await existingProject();
    expect((await pages.page(`/projects/${project.id}/report`, cookie(who))).status).toBe(403);
  });

  it("sends a stranger to sign in", async () => {
    const project = await existingProject();
    expect((await pages.page(`/projects/${project.id}/report`)).status).toBe(302);
  });
});

describe("linking activities on the web", () => {
  const activityForm = (projectId: string) => ({
    title: "社区健康讲座",
    description: "邀请社区医生讲解冬季常见病的预防。",
    communityId: fx.communities.a1.id,
    venue: "映月社区党群服务中心",
    startsAt: `${day(5)}T09:30`,
    endsAt: `${day(5)}T11:00`,
    capacity: "30",
    publish: "on",
    projectId,
  });

  it("the 新建活动 form offers the projects the actor may link and links the activity", async () => {
    const project = await existingProject();
    const staffForm = await pages.page("/activities/new", cookie("subdistrictAdminA"));
    expect(staffForm.html).toContain(`value="${project.id}"`);
    // A community worker does not buy for the subdistrict, so does not link to its projects.
    const worker = await pages.page("/activities/new", cookie("workerA1"));
    expect(worker.html).not.toContain(`value="${project.id}"`);
    const memberForm = await pages.page("/activities/new", cookie("member"));
    expect(memberForm.html).toContain(`value="${project.id}"`);
    const outsider = await pages.page("/activities/new", cookie("workerB1"));
    expect(outsider.html).not.toContain(`value="${project.id}"`);
    const res = await pages.submit("/activities/new", cookie("subdistrictAdminA"), activityForm(project.id));
    expect(res.status).toBe(302);
    const activity = await db().activity.findFirstOrThrow({ where: { title: "社区健康讲座" } });
    expect(activity.projectId).toBe(project.id);
  });

  it("refuses a project outside the actor's reach and creates nothing", async () => {
    const project = await existingProject();
    const res = await pages.submit("/activities/new", cookie("workerB1"), {
      ...activityForm(project.id),
      communityId: fx.communities.b1.id,
    });
    expect(res.status).toBe(403);
    expect(await db().activity.count({ where: { title: "社区健康讲座" } })).toBe(0);
  });

  it("the 修改活动 form links and unlinks; a retime out of the period is refused", async () => {
    const project = await existingProject();
    expect(
      (await pages.submit("/activities/new", cookie("subdistrictAdminA"), activityForm(""))).status,
    ).toBe(302);
    const activity = await db().activity.findFirstOrThrow({ where: { title: "社区健康讲座" } });
    expect(activity.projectId).toBeNull();
    const edit = await pages.page(`/activities/${activity.id}/edit`, cookie("subdistrictAdminA"));
    expect(edit.html).toContain(`value="${project.id}"`);
    const linked = await pages.submit(`/activities/${activity.id}/edit`, cookie("subdistrictAdminA"), {
      projectId: project.id,
    });
    expect(linked.status).toBe(302);
    expect((await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).projectId).toBe(
      project.id,
    );
    const late = await pages.submit(`/activities/${activity.id}/edit`, cookie("subdistrictAdminA"), {
      projectId: project.id,
      startsAt: `${day(400)}T09:30`,
      endsAt: `${day(400)}T11:00`,
    });
    expect(late.status).toBe(400);
    expect(late.html).toContain('id="startsAt-error"');
    const unlinked = await pages.submit(`/activities/${activity.id}/edit`, cookie("subdistrictAdminA"), {
      projectId: "",
    });
    expect(unlinked.status).toBe(302);
    expect((await db().activity.findUniqueOrThrow({ where: { id: activity.id } })).projectId).toBeNull();
  });

  it("the provider's dashboard lists its projects", async () => {
    const project = await existingProject();
    const page = await pages.page(`/me/providers/${id("provider")}`, cookie("member"));
    expect(page.status).toBe(200);
    expect(page.html).toContain(`href="/projects/${project.id}"`);
    expect(visibleText(page.html)).toContain("承接的政府购买服务项目");
  });
});
