import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../setup/server";

// How the web server hands requests to Remix and answers go out (express.server.ts and
// remix-adapter.server.ts, trimmed for the seat rush, ADR 0019): public files still served, every
// other path straight to the app, JSON answers whole with their length, JSON bodies read as before.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("serving", () => {
  it("serves public/'s own files with an hour's caching and the security headers", async () => {
    const res = await server.request("/favicon.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-/);
    expect((await res.text()).startsWith("<svg")).toBe(true);
  });

  it("sends any other path to the app, not to the disk", async () => {
    const res = await server.request("/robots.txt");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  });

  it("writes a JSON answer whole, with its length, in UTF-8", async () => {
    const res = await server.request("/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("transfer-encoding")).toBeNull();
    const body = await res.text();
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength(body)));
    expect(JSON.parse(body)).toEqual({ status: "ok" });
  });

  it("gives each answer a nonce of its own", async () => {
    const nonceOf = async () =>
      /'nonce-([^']+)'/.exec(
        (await server.request("/healthz")).headers.get("content-security-policy") ?? "",
      )?.[1];
    const nonces = await Promise.all(Array.from({ length: 300 }, nonceOf));
    expect(new Set(nonces).size).toBe(300);
    for (const nonce of nonces) expect(Buffer.from(nonce ?? "", "base64")).toHaveLength(16);
  });

  it("reads a JSON body as before: a byte order mark dropped, Chinese intact, broken JSON refused", async () => {
    const post = (body: string) =>
      server.json("/api/v1/auth/token", { body, headers: { "content-type": "application/json" } });
    const withMark = await post('\uFEFF{"phone":"甲"}');
    expect(withMark.status).toBe(400);
    expect(withMark.body.error.fields).toHaveProperty("phone");
    expect((await post("{")).body.error.message).toBe("请求体不是合法的 JSON");
  });
});
