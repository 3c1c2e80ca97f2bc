import { describe, expect, it } from "vitest";
import { apiMethods } from "~/http/api-methods.server";

// The method map is an API route's one statement of its methods: the endpoint each method reaches,
// the 405 for the rest and the Allow header that goes with it.

const call = (handler: ReturnType<typeof apiMethods>["loader"], method: string) =>
  handler({
    request: new Request("http://x/api/v1/thing", { method }),
    params: {},
    context: { clientIp: "127.0.0.1", cspNonce: "" },
  });

const route = apiMethods({
  DELETE: async () => new Response(null, { status: 204 }),
  GET: async ({ request }) => Response.json({ method: request.method }),
});
const writeOnly = apiMethods({ POST: async () => Response.json({}) });

describe("apiMethods", () => {
  it("sends each declared method to its endpoint, HEAD to GET's", async () => {
    expect(await (await call(route.loader, "GET")).json()).toEqual({ method: "GET" });
    expect((await call(route.loader, "HEAD")).status).toBe(200);
    expect((await call(route.action, "DELETE")).status).toBe(204);
  });

  it("answers any other method with the API's 405 and Allow in a fixed order", async () => {
    for (const method of ["POST", "PUT", "PATCH", "OPTIONS", "PROPFIND"]) {
      const res = await call(route.action, method);
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD, DELETE");
      expect(await res.json()).toEqual({
        error: { code: "METHOD_NOT_ALLOWED", message: "不支持此请求方法，请使用 GET, HEAD, DELETE" },
      });
    }
  });

  it("refuses GET and HEAD on a route without a GET", async () => {
    expect((await call(writeOnly.loader, "GET")).headers.get("allow")).toBe("POST");
    expect((await call(writeOnly.loader, "HEAD")).status).toBe(405);
  });
});
