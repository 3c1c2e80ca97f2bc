import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recomputeActivityFigures } from "~/domain/activities/tallies.server";
import { chinaDay, DAY_MS, isoDay } from "~/lib/china-time";
import { db } from "~/lib/db.server";
import { sharedEnv } from "~/lib/env.server";
import {
  createResident,
  createTerritoryFixture,
  createUser,
  type TerritoryFixture,
} from "../../prisma/factories";
import { createProvider } from "../../prisma/factories/marketplace";
import { createEvaluationRow, createProjectRow } from "../../prisma/factories/projects";
import { createHeldActivity } from "../factories/activities";
import { maskOf, pagesOf, visibleText } from "../setup/pages";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// Declared figures with their evidence files and the 回访 sample (issue 18, ADR 0026): who declares
// and reads, what a file must be (its first bytes, size, count), that a file is streamed only after
// the policy says yes, that declarations freeze with the project, and who sees the callback sample.

let server: TestServer;
let fx: TerritoryFixture;
const token: Record<string, string> = {};
const user: Record<string, { id: string; phone: string }> = {};
let projectId = "";
let providerId = "";
const today = chinaDay(new Date());
const day = (offset: number) => isoDay(new Date(today.getTime() + offset * DAY_MS));
const pages = pagesOf(() => server);
const who = (key: string) => {
  const found = user[key];
  if (!found) throw new Error(`no user ${key}`);
  return found;
};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const owner = await createResident(db(), fx.communities.a1.id);
  const otherOwner = await createResident(db(), fx.communities.a1.id);
  const workerB1 = await createUser(db(), {
    roles: [{ role: "COMMUNITY_WORKER", scopeId: fx.communities.b1.id }],
  });
  const outsider = await createResident(db(), fx.communities.a1.id);
  // A subdistrict admin who is also a member of the provider: may read, never evaluate or sample.
  const conflicted = await createUser(db(), {
    roles: [{ role: "SUBDISTRICT_ADMIN", scopeId: fx.subdistricts.a.id }],
  });
  const provider = await createProvider(db(), {
    communityIds: [fx.communities.a1.id],
    members: [{ userId: owner.id }, { userId: conflicted.id, role: "MEMBER" }],
  });
  await createProvider(db(), { communityIds: [fx.communities.a1.id], members: [{ userId: otherOwner.id }] });
  providerId = provider.id;
  const project = await createProjectRow(db(), {
    purchaser: {
      id: fx.subdistricts.a.id,
      level: "SUBDISTRICT",
      subdistrictId: fx.subdistricts.a.id,
      districtId: fx.district.id,
    },
    providerId,
    createdById: fx.users.subdistrictAdminA.id,
    startsOn: new Date(today.getTime() - 30 * DAY_MS),
    endsOn: new Date(today.getTime() + 30 * DAY_MS),
    targets: { activitiesHeld: 4 },
  });
  projectId = project.id;
  for (const [key, u] of Object.entries({ ...fx.users, owner, otherOwner, workerB1, outsider, conflicted })) {
    user[key] = u;
    token[key] = await tokenFor(u.id);
  }
});

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1]);
const PDF = new TextEncoder().encode("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const HTML = new TextEncoder().encode("<html><script>alert(1)</script></html>");

type Upload = { name: string; bytes: Uint8Array<ArrayBuffer>; type?: string };
const fields = (overrides: Record<string, string> = {}) => ({
  label: "入户走访",
  value: "36",
  fromOn: day(-10),
  toOn: day(-1),
  note: "对辖区独居老人逐户走访，签到表附后。",
  ...overrides,
});

function formOf(values: Record<string, string>, files: Upload[]) {
  const form = new FormData();
  for (const [key, value] of Object.entries(values)) form.append(key, value);
  for (const file of files) {
    form.append("files", new Blob([file.bytes], { type: file.type ?? "image/jpeg" }), file.name);
  }
  return form;
}

const declare = (who: string | undefined, values = fields(), files: Upload[] = []) =>
  server
    .request(`/api/v1/projects/${projectId}/declared-figures`, {
      method: "POST",
      body: formOf(values, files),
      token: who ? token[who] : undefined,
    })
    .then(async (res) => ({ status: res.status, body: await res.json() }));

const storedFiles = async () => {
  const dir = path.join(path.resolve(sharedEnv().EVIDENCE_DIR), projectId);
  return readdir(dir).catch(() => []);
};

describe("declaring a figure with evidence", () => {
  it("the provider's people declare with a JPEG and a PDF; staff in scope read both files", async () => {
    const res = await declare("owner", fields(), [
      { name: "签到表.jpg", bytes: JPEG },
      // The browser's claim is ignored: the first bytes say PDF.
      { name: "C:\\扫描\\签到表.pdf", bytes: PDF, type: "text/html" },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.declaration).toMatchObject({
      label: "入户走访",
      value: 36,
      fromOn: day(-10),
      toOn: day(-1),
      evidence: [
        { fileName: "签到表.jpg", contentType: "image/jpeg", size: JPEG.byteLength },
        { fileName: "签到表.pdf", contentType: "application/pdf", size: PDF.byteLength },
      ],
    });
    expect(await storedFiles()).toHaveLength(2);
    const [jpeg, pdf] = res.body.declaration.evidence;

    const image = await server.request(jpeg.url, { token: token.subdistrictAdminA });
    expect(image.status).toBe(200);
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(JPEG);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(image.headers.get("content-disposition")).toMatch(/^inline; /);
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");
    expect(image.headers.get("cache-control")).toBe("private, no-store");
    const document = await server.request(pdf.url, { token: token.owner });
    expect(document.status).toBe(200);
    expect(document.headers.get("content-type")).toBe("application/pdf");
    expect(document.headers.get("content-disposition")).toMatch(/^attachment; /);
    await document.arrayBuffer();

    const audit = await db().auditLog.findMany({
      where: { targetId: projectId },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual([
      "project.declare",
      "project.evidenceRead",
      "project.evidenceRead",
    ]);
    expect(audit[0]?.data).toMatchObject({ value: 36, files: 2 });

    const list = await server.json(`/api/v1/projects/${projectId}/declared-figures`, {
      token: token.districtAdmin,
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((d: { label: string }) => d.label)).toEqual(["入户走访"]);
  });

  it("staff in the purchaser's scope declare too, as JSON without files", async () => {
    const res = await server.json(`/api/v1/projects/${projectId}/declared-figures`, {
      method: "POST",
      token: token.subdistrictAdminA,
      json: { ...fields(), value: 12 },
    });
    expect(res.status).toBe(201);
    expect(res.body.declaration.evidence).toEqual([]);
  });

  it("nobody else declares, lists or reads a file", async () => {
    const made = await declare("owner", fields(), [{ name: "a.jpg", bytes: JPEG }]);
    const url = made.body.declaration.evidence[0].url;
    for (const who of ["otherOwner", "workerB1", "outsider"]) {
      expect((await declare(who)).status, who).toBe(403);
      expect(
        (await server.json(`/api/v1/projects/${projectId}/declared-figures`, { token: token[who] })).status,
      ).toBe(403);
      const read = await server.request(url, { token: token[who] });
      expect(read.status, who).toBe(403);
      expect(read.headers.get("content-type")).toMatch(/json/);
    }
    expect((await declare(undefined)).status).toBe(401);
    expect((await server.request(url)).status).toBe(401);
    // A file of another project is not found through this one.
    const other = await createProjectRow(db(), {
      purchaser: {
        id: fx.subdistricts.a.id,
        level: "SUBDISTRICT",
        subdistrictId: fx.subdistricts.a.id,
        districtId: fx.district.id,
      },
      providerId,
      createdById: fx.users.subdistrictAdminA.id,
      startsOn: today,
      endsOn: today,
    });
    const elsewhere = url.replace(projectId, other.id);
    expect((await server.request(elsewhere, { token: token.districtAdmin })).status).toBe(404);
    expect(await db().projectDeclaration.count()).toBe(1);
  });

  it("refuses files by their bytes, size and count, with field errors and nothing kept", async () => {
    const cases: [Upload[], RegExp][] = [
      [[{ name: "photo.jpg", bytes: HTML }], /不是JPEG 图片、PNG 图片、PDF 文件/],
      [[{ name: "big.jpg", bytes: new Uint8Array(5 * 1024 * 1024 + 1).fill(0xff) }], /超过5MB/],
      [[{ name: "empty.jpg", bytes: new Uint8Array(0) }], /是空的/],
      [Array.from({ length: 6 }, (_, i) => ({ name: `${i}.jpg`, bytes: JPEG })), /最多上传5个文件/],
    ];
    for (const [files, message] of cases) {
      const res = await declare("owner", fields(), files);
      expect(res.status).toBe(400);
      expect(res.body.error.fields.files).toMatch(message);
    }
    expect(await db().projectDeclaration.count()).toBe(0);
    expect(await storedFiles()).toEqual([]);
  });

  it("refuses bad fields and days outside the period or after today", async () => {
    const cases: [Record<string, string>, string][] = [
      [{ label: "" }, "label"],
      [{ value: "-1" }, "value"],
      [{ value: "3.5" }, "value"],
      [{ fromOn: day(-1), toOn: day(-2) }, "toOn"],
      [{ fromOn: day(-40) }, "fromOn"],
      [{ toOn: day(1) }, "toOn"],
      [{ fromOn: "2026-02-30" }, "fromOn"],
      [{ note: "短" }, "note"],
    ];
    for (const [overrides, field] of cases) {
      const res = await declare("owner", fields(overrides), [{ name: "a.jpg", bytes: JPEG }]);
      expect(res.status, JSON.stringify(overrides)).toBe(400);
      expect(Object.keys(res.body.error.fields)).toContain(field);
    }
    expect(await db().projectDeclaration.count()).toBe(0);
    expect(await storedFiles()).toEqual([]);
  });

  it("freezes declared figures once the project is completed: no new ones, no edits", async () => {
    expect((await declare("owner")).status).toBe(201);
    await createEvaluationRow(db(), {
      projectId,
      stage: "FINAL",
      evaluatorId: fx.users.subdistrictAdminA.id,
      scores: [{ indicator: "服务成效", score: 30, max: 40 }],
    });
    await db().project.update({
      where: { id: projectId },
      data: { status: "COMPLETED", endedAt: new Date() },
    });
    const refused = await declare("owner");
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/结项或终止/);
    await expect(db().projectDeclaration.updateMany({ data: { value: 99 } })).rejects.toThrow(/append-only/);
    expect((await db().projectDeclaration.findFirst())?.value).toBe(36);
  });
});

describe("the declaration form and the project page (no JavaScript)", () => {
  it("a multipart post declares and the page shows counted and declared figures apart", async () => {
    const cookie = await pages.cookieOf(who("owner"));
    const form = await pages.page(`/projects/${projectId}/declared-figures`, cookie);
    expect(form.status).toBe(200);
    expect(form.html).toMatch(/enctype="multipart\/form-data"/i);
    const res = await server.request(`/projects/${projectId}/declared-figures`, {
      method: "POST",
      body: formOf(fields(), [
        { name: "签到表.png", bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) },
      ]),
      headers: { origin: server.origin, cookie },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/projects/${projectId}?declared=1#declared-figures`);
    const page = visibleText((await pages.page(`/projects/${projectId}`, cookie)).html);
    expect(page).toContain("平台自动统计");
    expect(page).toContain("人工申报");
    expect(page).toContain("入户走访");
    expect(page).toContain("签到表.png");
    // The public sees the progress, not the declared figures or their files.
    const anonymous = visibleText((await pages.page(`/projects/${projectId}`)).html);
    expect(anonymous).not.toContain("入户走访");
    expect(anonymous).not.toContain("人工申报");
  });

  it("a bad file comes back to the form with its error and the typed values", async () => {
    const cookie = await pages.cookieOf(who("owner"));
    const res = await server.request(`/projects/${projectId}/declared-figures`, {
      method: "POST",
      body: formOf(fields(), [{ name: "x.jpg", bytes: HTML }]),
      headers: { origin: server.origin, cookie },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(visibleText(html)).toContain("请上传签到表扫描件或照片");
    expect(html).toContain('value="入户走访"');
    expect(await db().projectDeclaration.count()).toBe(0);
  });

  it("the form is refused to those who may not declare", async () => {
    expect(
      (await pages.page(`/projects/${projectId}/declared-figures`, await pages.cookieOf(who("outsider"))))
        .status,
    ).toBe(403);
  });
});

describe("the 回访 sample", () => {
  beforeEach(async () => {
    const residents = await Promise.all(
      Array.from({ length: 25 }, () => createResident(db(), fx.communities.a1.id)),
    );
    for (const [offset, group] of [residents.slice(0, 13), residents.slice(13)].entries()) {
      const activity = await createHeldActivity(db(), {
        communityId: fx.communities.a1.id,
        createdById: fx.users.workerA1.id,
        title: `长者健康讲座${offset + 1}`,
        startsAt: new Date(today.getTime() - (offset + 2) * DAY_MS + 2 * 3600 * 1000),
        attendees: group.map((r) => ({ userId: r.id, checkedIn: true })),
      });
      await db().activity.update({ where: { id: activity.id }, data: { projectId } });
      await recomputeActivityFigures(activity.id);
    }
  });

  it("evaluators see 20 check-ins with masked phones, the same each time, and each look is audited", async () => {
    const first = await server.json(`/api/v1/projects/${projectId}/callback-sample`, {
      token: token.subdistrictAdminA,
    });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(20);
    for (const item of first.body.items) {
      expect(item.phone).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(item.activityTitle).toMatch(/^长者健康讲座/);
      expect(item.activityDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const again = await server.json(`/api/v1/projects/${projectId}/callback-sample`, {
      token: token.districtAdmin,
    });
    expect(again.body.items).toEqual(first.body.items);
    const audit = await db().auditLog.findMany({ where: { action: "project.callbackSampleViewed" } });
    expect(audit.map((a) => a.actorId).sort()).toEqual(
      [who("subdistrictAdminA").id, who("districtAdmin").id].sort(),
    );
    expect(JSON.stringify(audit)).not.toMatch(/1\d{10}/);
  });

  it("the provider (even its member on the staff), other staff and residents never see it", async () => {
    for (const who of ["owner", "conflicted", "otherOwner", "workerB1", "outsider"]) {
      const res = await server.json(`/api/v1/projects/${projectId}/callback-sample`, { token: token[who] });
      expect(res.status, who).toBe(403);
    }
    expect((await server.json(`/api/v1/projects/${projectId}/callback-sample`)).status).toBe(401);
    expect(await db().auditLog.count({ where: { action: "project.callbackSampleViewed" } })).toBe(0);
  });

  it("the page lists names with masked phones for an evaluator and is refused to the provider", async () => {
    const sampled = await server.json(`/api/v1/projects/${projectId}/callback-sample`, {
      token: token.subdistrictAdminA,
    });
    const resident = await db().user.findFirstOrThrow({ where: { name: sampled.body.items[0].name } });
    const page = await pages.page(
      `/projects/${projectId}/callbacks`,
      await pages.cookieOf(who("subdistrictAdminA")),
    );
    expect(page.status).toBe(200);
    const text = visibleText(page.html);
    expect(text).toContain(maskOf(resident.phone));
    expect(page.html).not.toContain(resident.phone);
    const project = visibleText(
      (await pages.page(`/projects/${projectId}`, await pages.cookieOf(who("subdistrictAdminA")))).html,
    );
    expect(project).toContain("回访抽样");
    const provider = await pages.cookieOf(who("owner"));
    expect((await pages.page(`/projects/${projectId}/callbacks`, provider)).status).toBe(403);
    expect(visibleText((await pages.page(`/projects/${projectId}`, provider)).html)).not.toContain(
      "回访抽样",
    );
  });
});
