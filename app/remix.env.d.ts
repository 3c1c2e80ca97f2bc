/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

import "@remix-run/node";

declare module "@remix-run/node" {
  /** Set by the express server (app/http/express.server.ts) for every request. */
  interface AppLoadContext {
    clientIp: string;
    cspNonce: string;
  }
  interface Future {
    v3_singleFetch: true;
  }
}
