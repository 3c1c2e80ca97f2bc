import { startSession } from "~/domain/accounts/sessions.server";
import { createExpressApp, keepIdleSocketsOpen } from "~/http/express.server";
import { loadServerBuild } from "~/http/load-build.server";

// The real HTTP stack (express + the Remix build) on a free loopback port, for integration tests.
// It trusts X-Forwarded-For so tests can act from different client IPs.

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

type RequestOptions = {
  method?: string;
  json?: unknown;
  body?: BodyInit;
  token?: string;
  ip?: string;
  headers?: Record<string, string>;
};

export async function startTestServer() {
  const build = await loadServerBuild();
  const app = createExpressApp({ build, trustProxy: true });
  const server = app.listen(0, "127.0.0.1");
  keepIdleSocketsOpen(server);
  await new Promise((resolve) => server.once("listening", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("test server has no TCP address");
  const origin = `http://127.0.0.1:${address.port}`;

  async function request(pathname: string, options: RequestOptions = {}) {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.ip) headers["x-forwarded-for"] = options.ip;
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    return fetch(origin + pathname, {
      method: options.method ?? (body ? "POST" : "GET"),
      headers,
      body,
      redirect: "manual",
    });
  }

  async function json(pathname: string, options: RequestOptions = {}) {
    const response = await request(pathname, options);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  return {
    origin,
    request,
    json,
    // Keep-alive sockets would hold close() open for their whole timeout; the tests are done with them.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An API token for a user, without going through sign-in (which is tested on its own). */
export async function tokenFor(userId: string) {
  return (await startSession(userId, "API")).token;
}
