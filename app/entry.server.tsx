import { Transform } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./components/nonce";
import { withNoStoreDefault } from "./http/route.server";
import { describeError, logger } from "./lib/logger.server";

export const streamTimeout = 5000;

/** React 18.3's streaming renderer can pad a 2 KB chunk with up to three NUL bytes when a multi-byte
 * character does not fit at its end (facebook/react#24985, #31134): a stray character in the middle of
 * Chinese text. HTML never carries NUL (input validation refuses it, and no UTF-8 sequence contains a
 * zero byte), so every one is dropped. */
function withoutNulBytes() {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, chunk.includes(0) ? chunk.filter((byte) => byte !== 0) : chunk);
    },
  });
}

/** The data a page's loaders return, fetched by the client router (`.data` requests), is as
 * personal as the page: the same rule as for documents below. */
export function handleDataRequest(response: Response) {
  return withNoStoreDefault(response);
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // Pages are rendered per person; never let a shared cache keep one.
  responseHeaders.set("Cache-Control", "private, no-store");
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = withoutNulBytes();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) logger.error("render failed", describeError(error));
        },
      },
    );
    setTimeout(abort, streamTimeout + 1000);
  });
}
