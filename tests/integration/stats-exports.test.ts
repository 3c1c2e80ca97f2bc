import ExcelJS from "exceljs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { actorForToken, startSession } from "~/domain/accounts/sessions.server";
import { recomputeTallies } from "~/domain/activities/tallies.server";
import { recountAllDays } from "~/domain/stats/daily.server";
import { exportStatistics } from "~/domain/stats/exports.server";
import { sessionCookieHeader } from "~/http/auth.server";
import { db } from "~/lib/db.server";
import { DomainError } from "~/lib/errors";
import { createResident, createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { createNeed, createProvider, createService } from "../../prisma/factories/marketplace";
import { createHeldActivity } from "../factories/activities";
import { expectCleanAnswer, NASTY_STRINGS } from "../setup/garbage";
import { startTestServer, type TestServer, tokenFor } from "../setup/server";

// The statistics exports (issue #6) of a small district counted by hand: the figures and the lists
// behind them, as CSV (read back with an RFC 4180 parser) and XLSX (read back with exceljs), exactly;
// who may download what; no personal data in the needs list; garbage never a 500.

let server: TestServer;
let fx: TerritoryFixture;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A moment written in China time. */
const china = (text: string) => new Date(`${text.replace(" ", "T")}:00+08:00`);
const PERIOD = "from=2026-03-01&to=2026-04-30";
const RESIDENT_PHONE = "13812345678";
const RESIDENT_NAME = "李秀英";

beforeEach(async () => {
  fx = await createTerritoryFixture(db());
  const { a1, a2, b1 } = fx.communities;
  await db().district.update({ where: { id: fx.district.id }, data: { name: "明湖区" } });
  await db().subdistrict.update({ where: { id: fx.subdistricts.a.id }, data: { name: "东城街道" } });
  await db().subdistrict.update({ where: { id: fx.subdistricts.b.id }, data: { name: "西城街道" } });
  for (const [key, name] of [
    ["a1", "映月社区"],
    ["a2", "望湖社区"],
    ["b1", "河西社区"],
    ["b2", "柳岸社区"],
  ] as const) {
    await db().community.update({ where: { id: fx.communities[key].id }, data: { name } });
  }
  for (const [who, user] of Object.entries(fx.users)) tokens[who] = await tokenFor(user.id);
  const worker = fx.users.workerA1.id;

  // Providers. On the platform at the end of April: P2 (merchant, February), P1 (social org, 2 March,
  // serving A1 and A2), P3 (social org, 20 March, suspended since). Pending P4 and P5, approved in
  // May, are not.
  const p1 = await createProvider(db(), {
    name: "阳光助老服务社",
    uscc: "53110105000000001X",
    communityIds: [a1.id, a2.id],
    reviewedAt: china("2026-03-02 10:00"),
    contactName: "王联系",
    contactPhone: "13911112222",
    address: "映月路1号",
  });
  const p2 = await createProvider(db(), {
    name: "老街理发店",
    kind: "MERCHANT",
    communityIds: [b1.id],
    reviewedAt: china("2026-02-10 09:00"),
  });
  await createProvider(db(), {
    name: "心语心理服务中心",
    status: "SUSPENDED",
    communityIds: [a1.id],
    reviewedAt: china("2026-03-20 09:00"),
  });
  await createProvider(db(), { name: "待审机构", status: "PENDING", communityIds: [a1.id] });
  await createProvider(db(), {
    name: "五月机构",
    communityIds: [a1.id],
    reviewedAt: china("2026-05-10 09:00"),
  });
  ids.p1uscc = p1.uscc;
  ids.p2uscc = p2.uscc;
  ids.p3uscc = (await db().provider.findFirstOrThrow({ where: { name: "心语心理服务中心" } })).uscc;

  // Services: S1 (A1, government-purchased) and S2 (A2) in March; S3 (B1) in February.
  await createService(db(), {
    providerId: p1.id,
    communityIds: [a1.id],
    funding: "GOVERNMENT_PURCHASED",
    category: "elderly-care",
    publishedAt: china("2026-03-05 10:00"),
  });
  await createService(db(), {
    providerId: p1.id,
    communityIds: [a2.id],
    category: "legal",
    publishedAt: china("2026-03-06 10:00"),
  });
  await createService(db(), {
    providerId: p2.id,
    communityIds: [b1.id],
    category: "housekeeping",
    publishedAt: china("2026-02-11 10:00"),
  });

  // Needs. N1 (A1) matched after 24 h, its title carrying the resident's phone; N2 (A2) matched after
  // 48 h and fulfilled with 5 stars; N3 (B1) open; N4 (A1) posted in February.
  const resident = await createResident(db(), a1.id, { name: RESIDENT_NAME, phone: RESIDENT_PHONE });
  const n1 = await createNeed(db(), {
    requesterId: resident.id,
    communityId: a1.id,
    title: `家里老人需要助浴，联系${RESIDENT_PHONE}`,
    description: `我是${RESIDENT_NAME}，电话${RESIDENT_PHONE}，住映月小区3栋。`,
    preferredTime: `周末上午，找${RESIDENT_NAME}`,
    urgency: "HIGH",
    category: "elderly-care",
    createdAt: china("2026-03-03 09:00"),
  });
  await db().need.update({
    where: { id: n1.id },
    data: { status: "MATCHED", matchedAt: china("2026-03-04 09:00") },
  });
  const n2 = await createNeed(db(), {
    requesterId: resident.id,
    communityId: a2.id,
    title: "想找人聊聊天",
    category: "mental-health",
    createdAt: china("2026-03-10 09:00"),
  });
  await db().need.update({
    where: { id: n2.id },
    data: {
      status: "FULFILLED",
      matchedAt: china("2026-03-12 09:00"),
      fulfilledAt: china("2026-03-15 18:00"),
      rating: 5,
    },
  });
  const n3 = await createNeed(db(), {
    requesterId: resident.id,
    communityId: b1.id,
    title: '=HYPERLINK("http://evil.example","点我")',
    category: "elderly-care",
    urgency: "LOW",
    createdAt: china("2026-04-01 08:00"),
  });
  await createNeed(db(), {
    requesterId: resident.id,
    communityId: a1.id,
    createdAt: china("2026-02-01 08:00"),
  });
  // The 编号 column carries the case numbers people read (ADR 0029), not the internal ids.
  Object.assign(ids, { n1: n1.caseNumber, n2: n2.caseNumber, n3: n3.caseNumber });

  // Activities. A5 (A2) at 01:00 on 1 March in China (still 28 February in UTC): 2 walk-ins. A1 (A1):
  // 3 registered, 2 checked in, 4 walk-ins. A3 (A1) cancelled. A2 (B1) at 00:30 on 16 April in China:
  // 1 registered and checked in. A draft counts nowhere.
  const people = await Promise.all([0, 1, 2].map(() => createResident(db(), a1.id)));
  const [first, second, third] = people.map((person) => person.id);
  const a5 = await createHeldActivity(db(), {
    communityId: a2.id,
    createdById: worker,
    startsAt: china("2026-03-01 01:00"),
    walkIns: 2,
  });
  const activityA1 = await createHeldActivity(db(), {
    communityId: a1.id,
    createdById: worker,
    startsAt: china("2026-03-08 09:30"),
    walkIns: 4,
    attendees: [
      { userId: first ?? "", checkedIn: true },
      { userId: second ?? "", checkedIn: true },
      { userId: third ?? "", checkedIn: false },
    ],
  });
  const a3 = await createHeldActivity(db(), {
    communityId: a1.id,
    createdById: worker,
    startsAt: china("2026-03-20 10:00"),
    status: "CANCELLED",
  });
  const a2Activity = await createHeldActivity(db(), {
    communityId: b1.id,
    createdById: worker,
    startsAt: china("2026-04-16 00:30"),
    category: "elderly-care",
    attendees: [{ userId: resident.id, checkedIn: true }],
  });
  await createHeldActivity(db(), {
    communityId: a1.id,
    createdById: worker,
    startsAt: china("2026-03-25 10:00"),
    status: "DRAFT",
  });
  const titles: [string, string][] = [
    [a5.id, "元宵灯谜会"],
    [activityA1.id, '"三八"妇女节讲座, 义诊'],
    [a3.id, "=1+2 取消的活动"],
    [a2Activity.id, "老年人防诈骗讲座"],
  ];
  for (const [id, title] of titles) await db().activity.update({ where: { id }, data: { title } });

  await recomputeTallies();
  await recountAllDays();
});

// --- Reading the files back ---------------------------------------------------------------------

/** RFC 4180: fields separated by commas, quoted fields may hold commas, CRLF and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += char;
  }
  if (field !== "" || row.length) throw new Error("the CSV does not end with CRLF");
  return rows;
}

type Download = { status: number; headers: Headers; bytes: Uint8Array<ArrayBuffer> };

async function download(
  query: string,
  who?: string,
  headers: Record<string, string> = {},
): Promise<Download> {
  const response = await server.request(`/api/v1/stats/export?${query}`, {
    token: who ? tokens[who] : undefined,
    headers,
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}

/** A CSV download's rows, after checking the BOM. */
function csvRows(file: Download): string[][] {
  expect(file.status).toBe(200);
  expect(file.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  expect([...file.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder("utf-8", { ignoreBOM: true }).decode(file.bytes).slice(1));
}

/** The figures' CSV cut into its tables: { title: [header, ...rows] }. */
function csvSections(rows: string[][]): Record<string, string[][]> {
  const sections: Record<string, string[][]> = {};
  let current: string[][] | null = null;
  for (const row of rows) {
    if (row.length === 1 && row[0] === "") current = null;
    else if (current === null) {
      current = [];
      sections[row[0] ?? ""] = current;
    } else current.push(row);
  }
  return sections;
}

type Value = string | number | null;

/** Every worksheet of an XLSX download as rows of values (numbers as numbers, empty as null). */
async function xlsxSheets(file: Download): Promise<Record<string, Value[][]>> {
  expect(file.status).toBe(200);
  expect(file.headers.get("content-type")).toBe(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file.bytes.buffer);
  const sheets: Record<string, Value[][]> = {};
  for (const sheet of workbook.worksheets) {
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const rows: Value[][] = [];
    sheet.eachRow((row) => {
      const values: Value[] = [];
      for (let col = 1; col <= sheet.columnCount; col++) {
        const value = row.getCell(col).value;
        values.push(typeof value === "number" || typeof value === "string" ? value : null);
      }
      rows.push(values);
    });
    sheets[sheet.name] = rows;
  }
  return sheets;
}

/** The CSV spelling of the same rows: numbers as written, blanks empty. */
const asCsv = (rows: Value[][]) =>
  rows.map((row) => row.map((value) => (value === null ? "" : String(value))));

const disposition = (file: Download) => file.headers.get("content-disposition") ?? "";
const filenameOf = (file: Download) =>
  decodeURIComponent(/filename\*=UTF-8''(\S+)/.exec(disposition(file))?.[1] ?? "");

// --- The expected tables, counted by hand --------------------------------------------------------

const FLOW = [
  "新入驻社会组织(家)",
  "新入驻特色商家(家)",
  "新发布服务(项)",
  "其中政府购买服务(项)",
  "需求提出(件)",
  "需求对接(件)",
  "需求办结(件)",
  "评价(条)",
  "满意度(分)",
  "活动场次(场)",
  "报名(人次)",
  "签到(人次)",
  "现场参与(人次)",
  "受众人次",
  "到场率(%)",
];

const districtOverall = (updated: Value): Value[][] => [
  ["指标", "数值"],
  ["地区", "明湖区"],
  ["统计时段", "2026-03-01至2026-04-30"],
  ["数据更新时间", updated],
  ["入驻社会组织(家)", 2],
  ["入驻特色商家(家)", 1],
  ["其中本期新入驻社会组织(家)", 2],
  ["其中本期新入驻特色商家(家)", 0],
  ["服务(项)", 3],
  ["其中政府购买服务(项)", 1],
  ["本期新发布服务(项)", 2],
  ["需求提出(件)", 3],
  ["需求对接(件)", 2],
  ["需求办结(件)", 1],
  // 24 h and 48 h.
  ["对接用时中位数(小时)", 36],
  ["评价(条)", 1],
  ["满意度(分，满分5分)", 5],
  ["活动场次(场)", 3],
  ["报名(人次)", 4],
  ["签到(人次)", 3],
  ["现场参与(人次)", 6],
  ["受众人次", 9],
  ["服务人数(人)", 3],
  ["到场率(%)", 75],
  // No venue booking was completed in this world (issue 19).
  ["阵地接待(批)", 0],
  ["阵地到场(人)", 0],
];

const DISTRICT_BY_CHILD: Value[][] = [
  ["街道", "入驻机构(家)", ...FLOW, "服务人数(人)"],
  ["东城街道", 2, 2, 0, 2, 1, 2, 2, 1, 1, 5, 2, 3, 2, 6, 8, 66.7, 2],
  ["西城街道", 1, 0, 0, 0, 0, 1, 0, 0, 0, null, 1, 1, 1, 0, 1, 100, 1],
];

const DISTRICT_BY_MONTH: Value[][] = [
  ["月份", ...FLOW, "服务人数(人)"],
  ["2026-03", 2, 0, 2, 1, 2, 2, 1, 1, 5, 2, 3, 2, 6, 8, 66.7, 2],
  ["2026-04", 0, 0, 0, 0, 1, 0, 0, 0, null, 1, 1, 1, 0, 1, 100, 1],
];

const DISTRICT_BY_CATEGORY: Value[][] = [
  ["类别", ...FLOW.slice(2)],
  ["养老助老", 1, 1, 2, 1, 0, 0, null, 1, 1, 1, 0, 1, 100],
  ["心理健康", 0, 0, 1, 1, 1, 1, 5, 0, 0, 0, 0, 0, null],
  ["法律援助", 1, 0, 0, 0, 0, 0, null, 0, 0, 0, 0, 0, null],
  ["文体活动", 0, 0, 0, 0, 0, 0, null, 2, 3, 2, 6, 8, 66.7],
];

const CHINA_MINUTE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

// --- The figures --------------------------------------------------------------------------------

describe("figures", () => {
  it("CSV: one file with a titled table after another, the same figures as the statistics", async () => {
    const file = await download(PERIOD);
    const sections = csvSections(csvRows(file));
    expect(Object.keys(sections)).toEqual(["总体", "按地区", "按月份", "按类别"]);
    const updated = sections.总体?.[3]?.[1] ?? "";
    expect(updated).toMatch(CHINA_MINUTE);
    expect(sections.总体).toEqual(asCsv(districtOverall(updated)));
    expect(sections.按地区).toEqual(asCsv(DISTRICT_BY_CHILD));
    expect(sections.按月份).toEqual(asCsv(DISTRICT_BY_MONTH));
    expect(sections.按类别).toEqual(asCsv(DISTRICT_BY_CATEGORY));

    // The same numbers as the statistics API.
    const stats = await (await server.request(`/api/v1/stats?${PERIOD}`)).json();
    expect(stats.activities.held).toBe(3);
    expect(stats.participation).toEqual({ personTimes: 9, uniquePersons: 3 });

    expect(filenameOf(file)).toBe("统计-明湖区-2026-03-01至2026-04-30.csv");
    expect(disposition(file)).toMatch(
      /^attachment; filename="stats-figures-2026-03-01-2026-04-30\.csv"; filename\*=/,
    );
    // The district's figures are public; nothing private to keep out of caches.
    expect(file.headers.get("cache-control")).not.toBe("no-store");
  });

  it("XLSX: a worksheet per table with numeric cells", async () => {
    const file = await download(`${PERIOD}&format=xlsx`);
    const sheets = await xlsxSheets(file);
    expect(Object.keys(sheets)).toEqual(["总体", "按地区", "按月份", "按类别"]);
    const updated = sheets.总体?.[3]?.[1] ?? null;
    expect(updated).toMatch(CHINA_MINUTE);
    expect(sheets.总体).toEqual(districtOverall(updated));
    expect(sheets.按地区).toEqual(DISTRICT_BY_CHILD);
    expect(sheets.按月份).toEqual(DISTRICT_BY_MONTH);
    expect(sheets.按类别).toEqual(DISTRICT_BY_CATEGORY);
    expect(filenameOf(file)).toBe("统计-明湖区-2026-03-01至2026-04-30.xlsx");
  });

  it("a subdistrict's figures go to its staff, broken down by community; a community's have no breakdown by place", async () => {
    const query = `scope=subdistrict&id=${fx.subdistricts.a.id}&${PERIOD}`;
    const file = await download(query, "subdistrictAdminA");
    const sections = csvSections(csvRows(file));
    expect(sections.按地区).toEqual(
      asCsv([
        ["社区", "入驻机构(家)", ...FLOW, "服务人数(人)"],
        ["映月社区", 2, 2, 0, 1, 1, 1, 1, 0, 0, null, 1, 3, 2, 4, 6, 66.7, 2],
        ["望湖社区", 1, 1, 0, 1, 0, 1, 1, 1, 1, 5, 1, 0, 0, 2, 2, null, 0],
      ]),
    );
    expect(sections.总体?.[1]).toEqual(["地区", "明湖区 / 东城街道"]);
    expect(filenameOf(file)).toBe("统计-明湖区东城街道-2026-03-01至2026-04-30.csv");
    expect(file.headers.get("cache-control")).toBe("no-store");

    const community = await download(`scope=community&id=${fx.communities.a1.id}&${PERIOD}`, "workerA1");
    expect(Object.keys(csvSections(csvRows(community)))).toEqual(["总体", "按月份", "按类别"]);
  });
});

// --- The lists ----------------------------------------------------------------------------------

const ACTIVITY_HEADERS = [
  "活动名称",
  "社区",
  "街道",
  "类别",
  "开始时间",
  "状态",
  "报名",
  "签到",
  "现场参与",
  "受众人次",
];
const DISTRICT_ACTIVITIES: Value[][] = [
  ACTIVITY_HEADERS,
  ["元宵灯谜会", "望湖社区", "东城街道", "文体活动", "2026-03-01 01:00", "已结束", 0, 0, 2, 2],
  ['"三八"妇女节讲座, 义诊', "映月社区", "东城街道", "文体活动", "2026-03-08 09:30", "已结束", 3, 2, 4, 6],
  [
    "=1+2 取消的活动",
    "映月社区",
    "东城街道",
    "文体活动",
    "2026-03-20 10:00",
    "已取消",
    null,
    null,
    null,
    null,
  ],
  ["老年人防诈骗讲座", "河西社区", "西城街道", "养老助老", "2026-04-16 00:30", "已结束", 1, 1, 0, 1],
];

const PROVIDER_HEADERS = [
  "机构名称",
  "类型",
  "状态",
  "统一社会信用代码",
  "服务社区",
  "入驻日期",
  "已发布服务数",
];

const NEED_HEADERS = [
  "编号",
  "标题",
  "类别",
  "社区",
  "街道",
  "状态",
  "紧急程度",
  "提出日期",
  "对接日期",
  "办结日期",
  "评分",
];
const districtNeeds = (): Value[][] => [
  NEED_HEADERS,
  [
    ids.n1 ?? "",
    "家里老人需要助浴，联系138****5678",
    "养老助老",
    "映月社区",
    "东城街道",
    "已对接",
    "紧急",
    "2026-03-03",
    "2026-03-04",
    null,
    null,
  ],
  [
    ids.n2 ?? "",
    "想找人聊聊天",
    "心理健康",
    "望湖社区",
    "东城街道",
    "已完成",
    "一般",
    "2026-03-10",
    "2026-03-12",
    "2026-03-15",
    5,
  ],
  [
    ids.n3 ?? "",
    '=HYPERLINK("http://evil.example","点我")',
    "养老助老",
    "河西社区",
    "西城街道",
    "待对接",
    "不急",
    "2026-04-01",
    null,
    null,
    null,
  ],
];

/** The CSV spelling, with the formula guard's apostrophe where a cell starts like a formula. */
const guarded = (rows: Value[][]) =>
  asCsv(rows).map((row) => row.map((cell) => (/^[=+\-@]/.test(cell) ? `'${cell}` : cell)));

describe("lists", () => {
  it("activities: in the period by China day, drafts left out, counts only for finished ones", async () => {
    const csv = await download(`dataset=activities&${PERIOD}`, "districtAdmin");
    expect(csvRows(csv)).toEqual(guarded(DISTRICT_ACTIVITIES));
    expect(csv.headers.get("cache-control")).toBe("no-store");
    expect(filenameOf(csv)).toBe("活动清单-明湖区-2026-03-01至2026-04-30.csv");
    expect(disposition(csv)).toContain('filename="stats-activities-2026-03-01-2026-04-30.csv"');

    const xlsx = await xlsxSheets(
      await download(`dataset=activities&format=xlsx&${PERIOD}`, "districtAdmin"),
    );
    // Text that looks like a formula is plain text in XLSX: no apostrophe needed.
    expect(xlsx).toEqual({ 活动清单: DISTRICT_ACTIVITIES });

    // A community worker gets their community's only.
    const mine = csvRows(
      await download(`dataset=activities&scope=community&id=${fx.communities.a1.id}&${PERIOD}`, "workerA1"),
    );
    expect(mine.map((row) => row[0])).toEqual(["活动名称", '"三八"妇女节讲座, 义诊', "'=1+2 取消的活动"]);
  });

  it("providers: approved or suspended by the end of the period, registry data only", async () => {
    const expected: Value[][] = [
      PROVIDER_HEADERS,
      ["老街理发店", "特色商家", "已通过", ids.p2uscc ?? "", "河西社区", "2026-02-10", 1],
      ["阳光助老服务社", "社会组织", "已通过", ids.p1uscc ?? "", "映月社区、望湖社区", "2026-03-02", 2],
      ["心语心理服务中心", "社会组织", "已暂停", ids.p3uscc ?? "", "映月社区", "2026-03-20", 0],
    ];
    const csv = await download(`dataset=providers&${PERIOD}`, "districtAdmin");
    const rows = csvRows(csv);
    expect(rows).toEqual(asCsv(expected));
    // Service counts add up to the figures' 服务(项).
    expect(rows.slice(1).reduce((sum, row) => sum + Number(row[6]), 0)).toBe(3);
    const text = new TextDecoder().decode(csv.bytes);
    for (const secret of ["王联系", "13911112222", "139****2222", "映月路1号"])
      expect(text).not.toContain(secret);

    expect(
      await xlsxSheets(await download(`dataset=providers&format=xlsx&${PERIOD}`, "districtAdmin")),
    ).toEqual({
      服务机构清单: expected,
    });
    // In a community's list, only that community is named and only its services are counted.
    const mine = csvRows(
      await download(`dataset=providers&scope=community&id=${fx.communities.a1.id}&${PERIOD}`, "workerA1"),
    );
    expect(mine.slice(1).map((row) => [row[0], row[4], row[6]])).toEqual([
      ["阳光助老服务社", "映月社区", "1"],
      ["心语心理服务中心", "映月社区", "0"],
    ]);
  });

  it("needs: posted in the period, phones in titles masked, nothing about the resident", async () => {
    const csv = await download(`dataset=needs&${PERIOD}`, "districtAdmin");
    expect(csvRows(csv)).toEqual(guarded(districtNeeds()));
    const xlsxFile = await download(`dataset=needs&format=xlsx&${PERIOD}`, "districtAdmin");
    const sheets = await xlsxSheets(xlsxFile);
    expect(sheets).toEqual({ 需求清单: districtNeeds() });
    for (const row of districtNeeds().slice(1)) expect(row[0]).toMatch(/^XQ-2026-\d{6}$/);

    const everything = [new TextDecoder().decode(csv.bytes), JSON.stringify(sheets)].join("\n");
    for (const secret of [RESIDENT_PHONE, RESIDENT_NAME, "映月小区", "周末上午", "5678，住"]) {
      expect(everything).not.toContain(secret);
    }
    // A subdistrict admin gets their subdistrict's needs only.
    const theirs = csvRows(
      await download(
        `dataset=needs&scope=subdistrict&id=${fx.subdistricts.a.id}&${PERIOD}`,
        "subdistrictAdminA",
      ),
    );
    expect(theirs.slice(1).map((row) => row[0])).toEqual([ids.n1, ids.n2]);
  });

  it("refuses a list longer than the limit, asking for a shorter period", async () => {
    const actor = await actorForToken(tokens.districtAdmin ?? "");
    const query = {
      scope: "district",
      format: "csv",
      dataset: "needs",
      from: new Date("2026-03-01"),
      to: new Date("2026-04-30"),
    } as const;
    const refused = exportStatistics(actor, query, { maxRows: 2 });
    await expect(refused).rejects.toBeInstanceOf(DomainError);
    await expect(refused).rejects.toMatchObject({
      code: "VALIDATION",
      fields: { from: expect.stringContaining("请缩短时段") },
    });
    await expect(exportStatistics(actor, query, { maxRows: 3 })).resolves.toMatchObject({ restricted: true });
  });

  it("reads lists in batches without losing or repeating rows, ties in the order included", async () => {
    const actor = await actorForToken(tokens.districtAdmin ?? "");
    const resident = await createResident(db(), fx.communities.b2.id);
    for (let i = 0; i < 5; i++) {
      await createNeed(db(), {
        requesterId: resident.id,
        communityId: fx.communities.b2.id,
        createdAt: china("2026-04-02 10:00"),
      });
    }
    const period = { scope: "district", from: new Date("2026-03-01"), to: new Date("2026-04-30") } as const;
    for (const dataset of ["activities", "providers", "needs"] as const) {
      const query = { ...period, format: "csv", dataset } as const;
      const whole = new TextDecoder().decode((await exportStatistics(actor, query)).body);
      for (const batchRows of [1, 2, 3]) {
        const text = new TextDecoder().decode((await exportStatistics(actor, query, { batchRows })).body);
        expect(text, `${dataset} in batches of ${batchRows}`).toBe(whole);
      }
      if (dataset === "needs") expect(parseCsv(whole.slice(1))).toHaveLength(1 + 3 + 5);
    }
  });
});

// --- Who may download what ----------------------------------------------------------------------

describe("scope", () => {
  const sub = (key: "a" | "b") => `scope=subdistrict&id=${fx.subdistricts[key].id}&${PERIOD}`;
  const community = (key: "a1" | "b1") => `scope=community&id=${fx.communities[key].id}&${PERIOD}`;

  it("anyone gets the district's figures; lists and lower levels need staff in scope", async () => {
    expect((await download(PERIOD)).status).toBe(200);
    expect((await download(`${PERIOD}&format=xlsx`, "residentA1")).status).toBe(200);
    for (const dataset of ["activities", "providers", "needs"]) {
      expect((await download(`dataset=${dataset}&${PERIOD}`)).status).toBe(401);
      expect((await download(`dataset=${dataset}&${PERIOD}`, "residentA1")).status).toBe(403);
      // Staff below the district do not get the district's lists.
      expect((await download(`dataset=${dataset}&${PERIOD}`, "subdistrictAdminA")).status).toBe(403);
    }
    expect((await download(sub("a"))).status).toBe(401);
    expect((await download(community("a1"), "residentA1")).status).toBe(403);
  });

  it("a community worker gets their community only; a subdistrict admin their subdistrict", async () => {
    expect((await download(community("a1"), "workerA1")).status).toBe(200);
    expect((await download(`dataset=needs&${community("a1")}`, "workerA1")).status).toBe(200);
    expect((await download(community("b1"), "workerA1")).status).toBe(403);
    expect((await download(`dataset=needs&${community("b1")}`, "workerA1")).status).toBe(403);
    expect((await download(sub("a"), "workerA1")).status).toBe(403);
    expect((await download(`dataset=activities&${sub("a")}`, "workerA1")).status).toBe(403);

    expect((await download(sub("a"), "subdistrictAdminA")).status).toBe(200);
    expect((await download(`dataset=providers&format=xlsx&${sub("a")}`, "subdistrictAdminA")).status).toBe(
      200,
    );
    expect((await download(community("a1"), "subdistrictAdminA")).status).toBe(200);
    expect((await download(sub("b"), "subdistrictAdminA")).status).toBe(403);
    expect((await download(`dataset=needs&${community("b1")}`, "subdistrictAdminA")).status).toBe(403);
    expect((await download(`dataset=needs&${sub("b")}`, "districtAdmin")).status).toBe(200);
  });

  it("a signed-in browser downloads with its session cookie (the 统计 page's links)", async () => {
    const { token } = await startSession(fx.users.workerA1.id, "WEB");
    const setCookie = await sessionCookieHeader(new Request(server.origin), token);
    const cookie = setCookie.split(";")[0] ?? "";
    const file = await download(`dataset=needs&${community("a1")}`, undefined, { cookie });
    expect(
      csvRows(file)
        .slice(1)
        .map((row) => row[0]),
    ).toEqual([ids.n1]);
  });
});

// --- Garbage ------------------------------------------------------------------------------------

describe("garbage", () => {
  async function fields(query: string, who = "districtAdmin") {
    const response = await server.request(`/api/v1/stats/export?${query}`, { token: tokens[who] });
    const text = await expectCleanAnswer(response);
    return { status: response.status, body: JSON.parse(text) };
  }

  it("names the field of each bad parameter with a 400", async () => {
    const cases: [string, string][] = [
      ["format=pdf", "format"],
      ["dataset=users", "dataset"],
      ["scope=city", "scope"],
      ["from=2026-02-30", "from"],
      ["to=明天", "to"],
      ["from=2026-05-01&to=2026-04-01", "from"],
      ["from=2000-01-01&to=2026-01-01", "from"],
      ["scope=subdistrict", "id"],
      ["scope=community&id=' OR 1=1 --", "id"],
    ];
    for (const [query, field] of cases) {
      const answer = await fields(`dataset=needs&${query.replace(/[' ]/g, encodeURIComponent)}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.fields[field], query).toEqual(expect.any(String));
    }
    expect((await fields(`scope=community&id=nosuchcommunity&${PERIOD}`)).status).toBe(404);
  });

  it("never answers hostile values with a 5xx", async () => {
    for (const param of ["format", "dataset", "scope", "id", "from", "to"]) {
      for (const value of NASTY_STRINGS) {
        // URLSearchParams writes a lone surrogate as U+FFFD, as a browser would send it.
        const hostile = new URLSearchParams({
          scope: "subdistrict",
          id: fx.subdistricts.a.id,
          [param]: value,
        });
        const response = await server.request(`/api/v1/stats/export?${hostile}`, {
          token: tokens.districtAdmin,
        });
        await expectCleanAnswer(response);
      }
    }
    // Broken percent-encoding, written raw.
    for (const raw of ["id=%FF%FE", "from=%", "to=%E0%A4%A", "scope=%00", "format=x%0d%0aSet-Cookie:a=b"]) {
      const response = await server.request(`/api/v1/stats/export?${raw}`, { token: tokens.districtAdmin });
      expect((await expectCleanAnswer(response)).length).toBeGreaterThan(0);
      expect(response.headers.get("set-cookie")).toBeNull();
    }
    const repeated = await server.request(
      `/api/v1/stats/export?format=csv&format=xlsx&dataset=x&dataset=needs`,
    );
    expect(repeated.status).toBe(401);
  });

  it("answers other methods with 405", async () => {
    const response = await server.request(`/api/v1/stats/export?${PERIOD}`, { method: "POST", json: {} });
    expect(response.status).toBe(405);
  });
});
