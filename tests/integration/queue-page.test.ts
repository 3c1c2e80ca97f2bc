import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { formatTime } from "~/lib/format";
import { closeQueues, queue } from "~/queue/queues.server";
import { createTerritoryFixture, type TerritoryFixture } from "../../prisma/factories";
import { failedJob } from "../factories/queue-jobs";
import { joinedText, pagesOf, visibleText } from "../setup/pages";
import { startTestServer, type TestServer } from "../setup/server";

// 队列状态 (/workbench/queues, #15 item 16): the real queues of this test's Redis key prefix, read
// and repaired through the page as a browser without JavaScript uses it.

let server: TestServer;
let fx: TerritoryFixture;
const { cookieOf, page, submit } = pagesOf(() => server, { html: joinedText });

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await closeQueues();
  await server.close();
});
beforeEach(async () => {
  fx = await createTerritoryFixture(db());
});

const PATH = "/workbench/queues";
const activityId = "c".padEnd(25, "0");
const stateOf = async (name: "statistics" | "matching", id: string) =>
  (await queue(name).getJob(id))?.getState();

describe("who may use the queue page", () => {
  it("refuses residents, workers and subdistrict admins (403) and sends the anonymous to sign in", async () => {
    const id = await failedJob("statistics", "tallyActivity", { activityId }, "统计库连接超时");
    for (const user of [fx.users.residentA1, fx.users.workerA1, fx.users.subdistrictAdminA]) {
      const cookie = await cookieOf(user);
      const res = await page(PATH, cookie);
      expect(res.status).toBe(403);
      expect(res.html).not.toContain("统计库连接超时");
      const forms: Record<string, string>[] = [
        { intent: "retry", queue: "statistics", jobId: id },
        { intent: "retryAll", queue: "statistics" },
      ];
      for (const form of forms) {
        expect((await submit(PATH, cookie, form)).status).toBe(403);
      }
    }
    const anonymous = await page(PATH);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
    expect((await submit(PATH, "", { intent: "retryAll", queue: "statistics" })).status).toBe(302);
    expect(await stateOf("statistics", id)).toBe("failed");
    expect(await db().auditLog.count({ where: { action: { startsWith: "queue." } } })).toBe(0);
  });

  it("refuses a retry posted from another site", async () => {
    const id = await failedJob("statistics", "tallyActivity", { activityId }, "统计库连接超时");
    const res = await server.request(PATH, {
      method: "POST",
      body: new URLSearchParams({ intent: "retry", queue: "statistics", jobId: id }).toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
        cookie: await cookieOf(fx.users.districtAdmin),
      },
    });
    expect(res.status).toBe(403);
    expect(await stateOf("statistics", id)).toBe("failed");
  });
});

describe("for a district admin", () => {
  let cookie: string;
  beforeEach(async () => {
    cookie = await cookieOf(fx.users.districtAdmin);
  });

  it("names every queue in Chinese with its counts and how long the oldest job has waited", async () => {
    // Failed first: the helper's worker takes the next waiting job.
    const id = await failedJob("statistics", "tallyActivity", { activityId }, "统计库连接超时");
    const failedAt = (await queue("statistics").getJob(id))?.finishedOn ?? 0;
    // Added 3½ minutes ago and never taken: no worker runs in the test.
    await queue("statistics").add("recountLatestDays", {}, { timestamp: Date.now() - 210_000 });
    await queue("activities").add(
      "startActivity",
      { activityId, at: new Date().toISOString() },
      { delay: 60_000 },
    );

    const res = await page(PATH, cookie);
    expect(res.status).toBe(200);
    const text = visibleText(res.html);
    for (const title of ["系统维护", "需求对接", "活动安排", "统计数据", "阵地预约"]) {
      expect(res.html).toMatch(new RegExp(`<h2[^>]*>${title}</h2>`));
    }
    const statistics = text.slice(text.indexOf("统计数据"), text.indexOf("阵地预约"));
    expect(statistics).toContain("1等待");
    expect(statistics).toContain("1失败");
    expect(statistics).toContain("0进行中");
    expect(statistics).toContain("最早的等待任务已等待 3 分钟");
    expect(statistics).toContain("计入活动人次");
    expect(statistics).toContain("统计库连接超时");
    // China time, as every page shows it.
    expect(statistics).toContain(formatTime(new Date(failedAt)));
    const activities = text.slice(text.indexOf("活动安排"), text.indexOf("统计数据"));
    expect(activities).toContain("1延迟");
    expect(activities).toContain("没有等待中的任务");
    // No payloads and no English job names.
    expect(text).not.toContain(activityId);
    expect(text).not.toContain("tallyActivity");
    expect(res.html).toContain('href="/workbench/queues/board">工程师视图<');
  });

  it("retries one failed job, audited, and says so when it is no longer failed", async () => {
    const id = await failedJob("statistics", "tallyActivity", { activityId }, "统计库连接超时");
    const other = await failedJob("statistics", "tallyActivity", { activityId: "d".padEnd(25, "0") }, "超时");
    expect((await page(PATH, cookie)).html).toContain(`name="jobId" value="${id}"`);

    const res = await submit(PATH, cookie, { intent: "retry", queue: "statistics", jobId: id });
    expect(res.status).toBe(200);
    expect(visibleText(res.html)).toContain("已将任务重新放回队列");
    expect(await stateOf("statistics", id)).toBe("waiting");
    expect(await stateOf("statistics", other)).toBe("failed");
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "queue.retry" } });
    expect(audit).toMatchObject({ actorId: fx.users.districtAdmin.id, targetId: `statistics:${id}` });

    const again = await submit(PATH, cookie, { intent: "retry", queue: "statistics", jobId: id });
    expect(again.status).toBe(409);
    expect(visibleText(again.html)).toContain("已不在失败列表中");
    expect(await db().auditLog.count({ where: { action: "queue.retry" } })).toBe(1);
  });

  it("retries every failed job of one queue and leaves the others", async () => {
    const needId = "n".padEnd(25, "0");
    const first = await failedJob("matching", "suggestForNeed", { needId }, "搜索引擎无响应");
    const second = await failedJob("matching", "suggestForNeed", { needId }, "搜索引擎无响应");
    const elsewhere = await failedJob("statistics", "tallyActivity", { activityId }, "统计库连接超时");

    const res = await submit(PATH, cookie, { intent: "retryAll", queue: "matching" });
    expect(res.status).toBe(200);
    expect(visibleText(res.html)).toContain("已将 2 个任务重新放回队列");
    expect(await stateOf("matching", first)).toBe("waiting");
    expect(await stateOf("matching", second)).toBe("waiting");
    expect(await stateOf("statistics", elsewhere)).toBe("failed");
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "queue.retryAll" } });
    expect(audit).toMatchObject({ targetId: "matching", data: { count: 2 } });

    const none = await submit(PATH, cookie, { intent: "retryAll", queue: "matching" });
    expect(visibleText(none.html)).toContain("没有需要重试的任务");
  });

  it("answers garbage with a Chinese 400 and changes nothing", async () => {
    const id = await failedJob("statistics", "tallyActivity", { activityId }, "统计库连接超时");
    const forms: Record<string, string>[] = [
      {},
      { intent: "retry" },
      { intent: "retry", queue: "statistics" },
      { intent: "retry", queue: "nosuch", jobId: id },
      { intent: "retry", queue: "__proto__", jobId: id },
      { intent: "retry", queue: "statistics", jobId: "../../etc/passwd" },
      { intent: "retry", queue: "statistics", jobId: "x".repeat(500) },
      { intent: "retry", queue: "statistics", jobId: "" },
      { intent: "retryAll", queue: "" },
      { intent: "retryAll", queue: "statistics\u0000" },
      { intent: "obliterate", queue: "statistics" },
      { intent: "toString", queue: "statistics" },
    ];
    for (const form of forms) {
      const res = await submit(PATH, cookie, form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(res.html).toMatch(/请选择|不正确|未知的操作/);
    }
    // A well-formed id of no job is a conflict, not an error page.
    expect(
      (await submit(PATH, cookie, { intent: "retry", queue: "statistics", jobId: "999999" })).status,
    ).toBe(409);
    expect(await stateOf("statistics", id)).toBe("failed");
    expect(await db().auditLog.count({ where: { action: { startsWith: "queue." } } })).toBe(0);
  });
});
