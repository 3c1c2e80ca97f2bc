import { Queue } from "bullmq";
import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { mayWatchOperations } from "~/domain/outbox.server";
import { QUEUE_LABELS } from "~/domain/queue-health.server";
import { describeError, logger } from "~/lib/logger.server";
import { bullOptions, QUEUE_NAMES } from "~/queue/queues.server";
import { getActor } from "./auth.server";
import { contentSecurityPolicy } from "./csp.server";

// 工程师视图: bull-board over every BullMQ queue, for district admins ("operations.view"), one link
// away from our own queue page (队列状态, app/routes/workbench.queues.tsx). The board is read-only (no
// retries, pauses or deletions through it: the queue page retries, audited) and is built on the first
// request, so the web process opens no queue at start.

export const QUEUE_BOARD_PATH = "/workbench/queues/board";

/** The board's own policy: its UI loads its scripts and styles from its static path, sets inline
 * styles, and fetches its API; everything else stays as strict as on the other pages. Its page sets a
 * `<base>` element, which base-uri 'self' lets it set without a console error (under 'none' the
 * browser refused it, #15 item 16); the page's relative asset paths are made absolute all the same
 * (see absoluteAssetPaths), so they never hang on the base. */
const BOARD_CSP = contentSecurityPolicy({
  script: "'self'",
  style: "'self' 'unsafe-inline'",
  font: "'self' data:",
  base: "'self'",
});

type Board = { handler: RequestHandler; queues: Queue[] };
let board: Promise<Board> | undefined;

async function createBoard(): Promise<Board> {
  // Loaded on first use too: the board brings its own Express 5 and template engine.
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import("@bull-board/api"),
    import("@bull-board/api/bullMQAdapter"),
    import("@bull-board/express"),
  ]);
  // Its own producer connections (failing fast while Redis is down), apart from the app's queues.
  const entries = QUEUE_NAMES.map((name) => {
    const queue = new Queue(name, bullOptions("producer"));
    queue.on("error", () => undefined);
    return {
      queue,
      adapter: new BullMQAdapter(queue, {
        readOnlyMode: true,
        displayName: `${QUEUE_LABELS[name].title} · ${name}`,
        description: QUEUE_LABELS[name].text,
      }),
    };
  });
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: entries.map((entry) => entry.adapter),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: "队列监控（工程师视图）",
        // Absolute: the UI puts these on the page itself, where no `<base>` applies.
        boardLogo: { path: `${QUEUE_BOARD_PATH}/static/images/logo.svg` },
        favIcon: {
          default: `${QUEUE_BOARD_PATH}/static/images/logo.svg`,
          alternative: `${QUEUE_BOARD_PATH}/static/favicon-32x32.png`,
        },
        locale: { lng: "zh-CN" },
        hideDocsLink: true,
        miscLinks: [
          { text: "返回队列状态", url: "/workbench/queues" },
          { text: "返回工作台", url: "/workbench" },
        ],
      },
    },
  });
  const app = serverAdapter.getRouter();
  app.disable("x-powered-by");
  return { handler: app, queues: entries.map((entry) => entry.queue) };
}

/** The entry page names its assets relative to its `<base>`; made absolute, they load on every
 * board URL even though the base element is ignored. Google Fonts are dropped (the system's fonts
 * are used: no third-party requests). */
export function absoluteAssetPaths(html: string): string {
  return html
    .replace(/<link[^>]+fonts\.googleapis\.com[^>]*>\s*/g, "")
    .replace(/(\s(?:href|src))="static\//g, `$1="${QUEUE_BOARD_PATH}/static/`);
}

const isApi = (req: Request) => req.path.startsWith("/api/");

/** District admins only; anyone else is sent to sign in or refused with a short Chinese page. */
async function requireOperations(req: Request, res: Response, next: NextFunction) {
  const headers = new Headers();
  for (const name of ["cookie", "authorization"]) {
    const value = req.get(name);
    if (value) headers.set(name, value);
  }
  const actor = await getActor(
    new Request(`${req.protocol}://${req.get("host")}${req.originalUrl}`, { headers }),
  );
  if (mayWatchOperations(actor)) return next();
  res.setHeader("Cache-Control", "private, no-store");
  if (isApi(req)) {
    const [status, code, message] = actor
      ? [403, "FORBIDDEN", "队列监控仅对区级管理员开放"]
      : [401, "UNAUTHENTICATED", "请先登录"];
    res.status(status).json({ error: { code, message } });
    return;
  }
  if (!actor) {
    res.redirect(302, `/login?redirectTo=${encodeURIComponent(req.originalUrl)}`);
    return;
  }
  res
    .status(403)
    .type("text/html; charset=utf-8")
    .send(
      '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>无权访问 · 三社联动服务平台</title></head>' +
        '<body><h1>无权访问</h1><p>队列监控仅对区级管理员开放。</p><p><a href="/workbench">返回工作台</a></p></body></html>',
    );
}

/** The board itself, created on first use; it runs as a separate (Express 5) app, whose request
 * and response prototypes are put back if it passes the request on. */
async function serveBoard(req: Request, res: Response, next: NextFunction) {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.status(405).json({ error: { code: "METHOD_NOT_ALLOWED", message: "队列监控为只读" } });
    return;
  }
  board ??= createBoard().catch((error: unknown) => {
    board = undefined; // tried again on the next request
    throw error;
  });
  const { handler } = await board;
  res.setHeader("Cache-Control", "private, no-store");
  // The board's Express renders its entry page with `res.send`, found on whichever prototype is current.
  res.send = (body?: unknown) => {
    const { send } = Object.getPrototypeOf(res) as Response;
    return send.call(
      res,
      typeof body === "string" && body.includes("<base href=") ? absoluteAssetPaths(body) : body,
    );
  };
  const requestProto = Object.getPrototypeOf(req);
  const responseProto = Object.getPrototypeOf(res);
  handler(req, res, (error?: unknown) => {
    Object.setPrototypeOf(req, requestProto);
    Object.setPrototypeOf(res, responseProto);
    next(error);
  });
}

const catching =
  (handler: (req: Request, res: Response, next: NextFunction) => Promise<void>): RequestHandler =>
  (req, res, next) => {
    handler(req, res, next).catch((error: unknown) => {
      logger.error("queue board failed", describeError(error));
      next(error);
    });
  };

/** Mounted at QUEUE_BOARD_PATH by the express server. */
export function queueBoard() {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader("Content-Security-Policy", BOARD_CSP);
    next();
  });
  router.use(catching(requireOperations));
  router.use(catching(serveBoard));
  return router;
}

/** Closes the board's queue connections (tests). */
export async function closeQueueBoard() {
  const current = board;
  board = undefined;
  if (current) await Promise.allSettled((await current).queues.map((queue) => queue.close()));
}
