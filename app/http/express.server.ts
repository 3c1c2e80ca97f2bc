import { randomFillSync } from "node:crypto";
import { readdirSync } from "node:fs";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import express, { type NextFunction, type Request, type Response } from "express";
import { describeError, logger } from "~/lib/logger.server";
import { contentSecurityPolicy } from "./csp.server";
import { allowedMethods } from "./methods.server";
import { QUEUE_BOARD_PATH, queueBoard } from "./queue-board.server";
import { remixRequestHandler } from "./remix-adapter.server";
import { MAX_FORM_BYTES, MAX_JSON_BYTES, MAX_UPLOAD_BYTES, UPLOAD_PATH } from "./route.server";
import { withUnavailablePages } from "./unavailable.server";

// The HTTP server around the Remix build: static files, security headers, the cross-site check for
// state-changing requests, the client IP for rate limits, and a request log without personal data.

const NONCE_BYTES = 16;
/** Nonces are cut from a block of random bytes filled for 256 at a time: the same generator, a
 * fraction of the cost of asking it for 16 bytes on every request. */
const nonces = Buffer.alloc(NONCE_BYTES * 256);
let noncesUsed = nonces.length;

function freshNonce() {
  if (noncesUsed === nonces.length) {
    randomFillSync(nonces);
    noncesUsed = 0;
  }
  noncesUsed += NONCE_BYTES;
  return nonces.toString("base64", noncesUsed - NONCE_BYTES, noncesUsed);
}

function securityHeaders(req: Request, res: Response, next: NextFunction) {
  const nonce = freshNonce();
  res.locals.cspNonce = nonce;
  res.setHeader("Content-Security-Policy", contentSecurityPolicy({ script: `'self' 'nonce-${nonce}'` }));
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  if (req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Carries the web session cookie (whatever its value: the check must not depend on a lookup). */
const hasSessionCookie = (req: Request) => /(?:^|;\s*)__session=/.test(req.get("cookie") ?? "");

/** CSRF defence for state-changing requests (ADR 0014): a browser names the page's origin on every
 * POST (Origin; older ones at least Referer, which our Referrer-Policy keeps for same-origin posts),
 * so a foreign or opaque one is refused. A write that carries the session cookie but neither header
 * did not come from one of our pages and is refused too; without the cookie it acts as nobody (sign
 * in, sign up, scripts with a Bearer token), so it passes. Bearer-token calls are not exposed. */
function sameOriginWrites(req: Request, res: Response, next: NextFunction) {
  if (SAFE_METHODS.has(req.method) || req.get("authorization")) return next();
  const source = req.get("origin") ?? req.get("referer");
  if (source === undefined && !hasSessionCookie(req)) return next();
  let host: string | null = null;
  try {
    host = source === undefined ? null : new URL(source).host;
  } catch {
    host = null;
  }
  if (host !== null && host === req.get("host")) return next();
  const message = "跨站请求被拒绝，请从本站页面提交";
  if (req.path.startsWith("/api/")) {
    res.status(403).json({ error: { code: "FORBIDDEN", message } });
  } else {
    res.status(403).type("text/plain; charset=utf-8").send(message);
  }
}

/** Refuses an oversized body before anything reads it, so Node discards the rest and the client
 * still gets its 413 (a body read halfway and abandoned would reset the connection). */
function limitBodySize(req: Request, res: Response, next: NextFunction) {
  const isApi = req.path.startsWith("/api/");
  const declared = Number(req.get("content-length") ?? 0);
  const limit = UPLOAD_PATH.test(req.path) ? MAX_UPLOAD_BYTES : isApi ? MAX_JSON_BYTES : MAX_FORM_BYTES;
  if (declared <= limit) {
    res.once("finish", () => discardUnreadBody(req));
    return next();
  }
  const message = "提交的内容过大";
  if (isApi) res.status(413).json({ error: { code: "PAYLOAD_TOO_LARGE", message } });
  else res.status(413).type("text/plain; charset=utf-8").send(message);
}

/** A route may answer without reading the body (a sign-in redirect before the form is parsed). Remix
 * has already attached its paused reader, so Node does not discard the rest as it would for an
 * untouched body: the keep-alive connection then stalls and the client's next request on it is
 * reset. Discard it as Node does. */
function discardUnreadBody(req: Request) {
  if (req.complete) return;
  req.removeAllListeners("data");
  req.resume();
}

function requestLog(req: Request, res: Response, next: NextFunction) {
  const started = process.hrtime.bigint();
  res.on("finish", () => {
    // The path only: query strings may carry search terms typed by residents.
    logger.info("request", {
      method: req.method,
      path: req.path.slice(0, 200),
      status: res.statusCode,
      ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
    });
  });
  next();
}

/** Express's own failures (say a malformed percent-encoding in a path) get a short Chinese answer,
 * never its default page with a stack trace. */
function answerExpressErrors(error: unknown, req: Request, res: Response, next: NextFunction) {
  if (res.headersSent) return next(error);
  const status =
    typeof error === "object" && error !== null && "status" in error && typeof error.status === "number"
      ? error.status
      : 500;
  const clientError = status >= 400 && status < 500;
  if (!clientError) logger.error("request failed", describeError(error));
  const message = clientError ? "请求的地址或内容有误" : "服务器出错了，请稍后再试";
  const code = clientError ? "VALIDATION" : "INTERNAL";
  if (req.path.startsWith("/api/")) {
    res.status(clientError ? 400 : 500).json({ error: { code, message } });
  } else {
    res
      .status(clientError ? 400 : 500)
      .type("text/plain; charset=utf-8")
      .send(message);
  }
}

/** The files at the top of public/ besides build/ (the favicon), served as they are. express.static
 * on its own would stat() the disk for every page and API path on its way to Remix, a few per cent
 * of a request's CPU (ADR 0019); the names are read once at start, so a file added to public/ is
 * served after the next start. */
function publicFiles(root: string) {
  const names = new Set(readdirSync(root).filter((name) => name !== "build"));
  const serve = express.static(root, { maxAge: "1h" });
  return function servePublicFile(req: Request, res: Response, next: NextFunction) {
    const first = req.path.split("/", 2)[1] ?? "";
    let name = first;
    try {
      name = decodeURIComponent(first);
    } catch {
      // Not a name of ours; express.static would refuse it too.
    }
    if (names.has(name)) serve(req, res, next);
    else next();
  };
}

export function createExpressApp({ build, trustProxy }: { build: ServerBuild; trustProxy: boolean }) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxy);
  app.use(securityHeaders);
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(publicFiles("public"));
  app.use(requestLog);
  app.use(sameOriginWrites);
  app.use(limitBodySize);
  app.use(QUEUE_BOARD_PATH, queueBoard());
  app.use(allowedMethods(build));
  app.all(
    "*",
    remixRequestHandler(withUnavailablePages(build), (req, res) => ({
      // Read when a rate limit asks for it: finding the peer's address is a system call, and most
      // requests never need it.
      get clientIp() {
        return req.ip ?? req.socket.remoteAddress ?? "unknown";
      },
      cspNonce: String(res.locals.cspNonce),
    })),
  );
  app.use(answerExpressErrors);
  return app;
}

/** Node closes an idle keep-alive socket after 5 s, which races a client (or a proxy) reusing it at
 * that moment: the request dies with ECONNRESET. Idle sockets stay open longer than clients keep them. */
export function keepIdleSocketsOpen(server: Server) {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
