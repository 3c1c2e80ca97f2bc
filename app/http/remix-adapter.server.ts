import {
  type AppLoadContext,
  createReadableStreamFromReadable,
  createRequestHandler,
  type ServerBuild,
  writeReadableStreamToWritable,
} from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";

// Remix behind Express, as @remix-run/express 2.17 does it, with two changes that the seat rush's
// CPU profile asked for (ADR 0019, amendment of 2026-12-07): the request's headers go to the Fetch
// Request in one step instead of through a Headers object built first and copied, and a JSON answer
// (every API answer) is written with one write and a Content-Length instead of as a chunked stream
// ended by a second write. Everything else (the URL from the trusted host and port, the body as a
// stream, the abort signal when the client goes away, the headers appended to the security headers
// already set) is as the adapter does it.

type LoadContextOf = (req: Request, res: Response) => AppLoadContext;

export function remixRequestHandler(build: ServerBuild, getLoadContext: LoadContextOf) {
  const handleRequest = createRequestHandler(build, build.mode);
  return async function remix(req: Request, res: Response, next: NextFunction) {
    try {
      const answer = await handleRequest(fetchRequestOf(req, res), getLoadContext(req, res));
      await send(res, answer);
    } catch (error) {
      next(error);
    }
  };
}

function fetchRequestOf(req: Request, res: Response): globalThis.Request {
  // req.hostname respects "trust proxy"; the port comes from X-Forwarded-Host or Host, as Remix's own.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(":")[1] ?? "", 10);
  const forwardedPort = portOf(req.get("X-Forwarded-Host"));
  const hostPort = portOf(req.get("host"));
  const port = Number.isSafeInteger(forwardedPort)
    ? forwardedPort
    : Number.isSafeInteger(hostPort)
      ? hostPort
      : "";
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;

  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.push([name, value]);
    else if (value) for (const each of value) headers.push([name, each]);
  }
  // Loaders and actions are aborted once the answer can no longer be written (close without finish).
  let controller: AbortController | null = new AbortController();
  res.on("finish", () => {
    controller = null;
  });
  res.on("close", () => controller?.abort());
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new globalThis.Request(url, {
    method: req.method,
    headers,
    signal: controller.signal,
    ...(hasBody ? { body: createReadableStreamFromReadable(req), duplex: "half" } : {}),
  });
}

const JSON_TYPE = /^application\/json\b/i;

async function send(res: Response, answer: globalThis.Response) {
  res.statusMessage = answer.statusText;
  res.status(answer.status);
  for (const [name, value] of answer.headers.entries()) res.append(name, value);
  const type = answer.headers.get("Content-Type") ?? "";
  if (/text\/event-stream/i.test(type)) res.flushHeaders();
  if (!answer.body) {
    res.end();
  } else if (JSON_TYPE.test(type)) {
    // JSON answers are built whole in memory (Response.json), so nothing is gained by streaming them.
    res.end(Buffer.from(await answer.arrayBuffer()));
  } else {
    await writeReadableStreamToWritable(answer.body, res);
  }
}
