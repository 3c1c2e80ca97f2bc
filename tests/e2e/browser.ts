import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import { type BrowserContext, type Browser as Chromium, chromium, type Page } from "playwright-core";
import { afterEach, beforeAll, expect } from "vitest";
import { elderModeCookie } from "~/http/auth.server";

// End-to-end helpers: the built web app as its own process (scripts/serve.ts, as in production) and
// Debian's Chromium driven through playwright-core.

/** A port that was free a moment ago: listen on port 0, read the port, close. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no TCP address for the port probe");
  return address.port;
}

export type WebServer = {
  origin: string;
  pid: number;
  output: () => string;
  stop: () => Promise<void>;
};

/** Starts `node --import tsx scripts/serve.ts` on a free port and waits until /healthz answers (up to
 * 90 s: test files run in parallel on two shared cores, where a start under tsx can be slow). */
export async function startWebServer(timeoutMs = 90_000): Promise<WebServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    cwd: process.cwd(),
    // One process: the tests signal it by pid and share two cores with other test files.
    env: { ...process.env, WEB_PROCESSES: "1", PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const { pid } = child;
  if (pid === undefined) throw new Error("the web server did not start");
  const origin = `http://127.0.0.1:${port}`;
  const server: WebServer = { origin, pid, output: () => output, stop: () => stopChild(child) };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the web server exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the web server did not answer /healthz in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM to the server's own PID; SIGKILL if it has not gone after a while. */
async function stopChild(child: ChildProcess) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, "SIGKILL");
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/** Debian's Chromium as its headless shell: the same engine (Blink, V8, the network stack) without the
 * desktop browser around it, which is what Playwright's own headless runs use; it took a third less CPU
 * than the full browser in headless mode (ADR 0020). */
export const CHROMIUM_PATH = "/usr/bin/chromium-headless-shell";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A phone's screen (CSS pixels), as the browsers open by default. */
export const PHONE = { width: 390, height: 844 } as const;

/** Three test files share two cores: a page can take longer than Playwright's 30 s default to load.
 * A limit on waiting, not a speed check. */
const WAIT_LIMIT_MS = 60_000;

export const ARTIFACTS_DIR = path.resolve("tests/artifacts");

/** Saves a full-page screenshot as tests/artifacts/<test name>.png and returns its path. */
export async function saveScreenshot(page: Page, testName: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const safe = testName.replace(/[^\p{L}\p{N}_-]+/gu, "-").replace(/^-+|-+$/g, "") || "test";
  const file = path.join(ARTIFACTS_DIR, `${safe}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The 适老化 cookie exactly as /settings/elder-mode sets it. */
export async function setElderMode(context: BrowserContext, origin: string, on: boolean) {
  const [pair = ""] = (await elderModeCookie.serialize(on ? "on" : "off")).split(";");
  const at = pair.indexOf("=");
  await context.addCookies([{ name: pair.slice(0, at), value: pair.slice(at + 1), url: origin }]);
}

/** Waits until the page's <html> element has (or lacks) a class. */
export async function waitForRootClass(page: Page, className: string, present: boolean) {
  const wanted: [string, boolean] = [className, present];
  await page.waitForFunction(
    ([name, on]) => document.documentElement.classList.contains(name) === on,
    wanted,
  );
}

export const rootFontSize = (page: Page) =>
  page.evaluate(() => Number.parseFloat(getComputedStyle(document.documentElement).fontSize));

/** Signs in through the login form and waits until the browser has left /login. */
export async function signIn(page: Page, origin: string, account: { phone: string; password: string }) {
  await page.goto(`${origin}/login`);
  await page.getByLabel("手机号").fill(account.phone);
  await page.getByLabel("密码", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL((current) => current.pathname !== "/login");
}

/** How wide the document is: more than the viewport means sideways scrolling. */
export const documentWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

export type TextSize = { px: number; tag: string; className: string; text: string };

/** The computed font size of every visible piece of text inside `selector` (default: the page's
 * main content), smallest first, with what carries it (for a readable failure message). */
export const textSizes = (page: Page, selector = "main") =>
  page.evaluate((root) => {
    const sizes: TextSize[] = [];
    const container = document.querySelector(root);
    if (!container) return sizes;
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const element = node.parentElement;
      const text = node.textContent?.trim() ?? "";
      if (!element || text === "" || element.getClientRects().length === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility === "hidden" || style.display === "none") continue;
      sizes.push({
        px: Number.parseFloat(style.fontSize),
        tag: element.tagName.toLowerCase(),
        className: element.className,
        text: text.slice(0, 30),
      });
    }
    return sizes.sort((a, b) => a.px - b.px);
  }, selector);

let shared: Promise<{ server: WebServer; chromium: Chromium }> | undefined;

/**
 * The built app as its own process and one Chromium, started by the first browser file of a test
 * process and kept for the next ones (the e2e files share their process's modules, ADR 0020): each
 * file starting its own cost about 15 CPU-seconds, most of it a cold server rendering its first
 * pages. Each file still starts from empty tables, and each test from fresh browser contexts. Both
 * stop with the test process (Playwright closes its browsers itself).
 */
function sharedServerAndChromium() {
  shared ??= startServerAndChromium().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function startServerAndChromium() {
  const serverStarted = startWebServer().then((server) => {
    // Vitest ends a test process with SIGTERM (and SIGKILL soon after); Playwright's own SIGTERM
    // handler keeps it from exiting by itself, so "exit" alone would come too late.
    for (const event of ["exit", "SIGTERM"] as const) process.once(event, () => stopIfRunning(server.pid));
    return server;
  });
  const [server, browser] = await Promise.all([
    serverStarted,
    chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS }),
  ]);
  return { server, chromium: browser };
}

/** SIGTERM (the server then stops by itself), from a handler that cannot wait; a server already
 * gone is fine. */
function stopIfRunning(pid: number) {
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

/** Someone who signs in through the login form; `name` is what the header greets them by. */
export type Account = { phone: string; password: string; name: string };

/** Waits-for-URL predicate: the browser's path matches `pattern`. */
export const atPath = (pattern: RegExp) => (current: URL) => pattern.test(current.pathname);

/** The page's confirmation message (role="status"). */
export const successMessage = (page: Page) => page.getByRole("status");

/**
 * The setup every browser journey shares, registered as this test file's hooks: the built app as its
 * own process and one Chromium (sharedServerAndChromium), and per test one browser context per
 * person (their own phone: cookies and storage of their own), each closed after the test (afterEach).
 * When a test fails, every person's page is saved as a screenshot with what went wrong in their
 * browser, and the server's last output is printed.
 * Call it once at the top level of a test file.
 */
export function browserJourney() {
  let server: WebServer | undefined;
  let chromiumProcess: Chromium | undefined;
  /** Every context a test opens (one per person) and its page, for the failure screenshots. */
  let contexts: BrowserContext[] = [];
  let pages: { page: Page; who: string; problems: string[] }[] = [];

  beforeAll(async () => {
    ({ server, chromium: chromiumProcess } = await sharedServerAndChromium());
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") {
      for (const { page, who, problems } of pages) {
        const file = await saveScreenshot(page, `${task.name}-${who}`).catch(
          (error: unknown) => `(no screenshot: ${error})`,
        );
        console.error(`screenshot (${who}): ${file}`);
        if (problems.length > 0) console.error(`in the ${who}'s browser:\n${problems.join("\n")}`);
      }
      console.error(`server output:\n${server?.output().slice(-4000)}`);
    }
    await Promise.allSettled(contexts.map((context) => context.close()));
    contexts = [];
    pages = [];
  });

  const origin = () => {
    if (!server) throw new Error("the web server has not started (browserJourney() registers beforeAll)");
    return server.origin;
  };

  /** A fresh browser context (a person's own phone) with one page; what goes wrong in it (a script
   * that did not load — public/build is rebuilt by other work — or an uncaught error) is kept for the
   * report. */
  async function openBrowser(who: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    if (!chromiumProcess) throw new Error("Chromium has not started (browserJourney() registers beforeAll)");
    const context = await chromiumProcess.newContext({ viewport: PHONE, locale: "zh-CN", ...options });
    context.setDefaultTimeout(WAIT_LIMIT_MS);
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400 && new URL(response.url()).pathname.startsWith("/build/")) {
        problems.push(`${response.status()} ${response.url()}`);
      }
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    pages.push({ page, who, problems });
    return page;
  }

  return {
    /** The running server's origin (http://127.0.0.1:<port>). */
    origin,
    /** The file's Chromium, for a test that opens contexts of its own (closed after the file). */
    chromium: () => {
      if (!chromiumProcess)
        throw new Error("Chromium has not started (browserJourney() registers beforeAll)");
      return chromiumProcess;
    },
    /** What the server has printed since it started (it serves every browser file of the process). */
    serverOutput: () => server?.output() ?? "",
    /** An absolute address on the running server. */
    url: (pathname: string) => origin() + pathname,
    openBrowser,
    /** A person at their own phone, signed in through the login form. */
    async signedIn(who: string, account: Account): Promise<Page> {
      const page = await openBrowser(who);
      await signIn(page, origin(), account);
      await page.getByRole("banner").getByText(`您好，${account.name}`).waitFor();
      return page;
    },
    /** Every page's scripts loaded and ran without an uncaught error (the pages hydrated). */
    expectScriptsRan() {
      expect(pages.map(({ who, problems }) => ({ who, problems }))).toEqual(
        pages.map(({ who }) => ({ who, problems: [] })),
      );
    },
  };
}
