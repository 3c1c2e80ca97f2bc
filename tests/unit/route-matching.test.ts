import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { AgnosticRouteObject } from "@remix-run/router";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadServerBuild } from "~/http/load-build.server";

// The route-matching patch (patches/README.md) skips the branches a path cannot match before trying
// them. It must pick the same routes with the same params as the unpatched router for every path:
// checked against the router's own ES module build, which the patch leaves alone, over the app's
// real route table.

type Router = { matchRoutes: (routes: AgnosticRouteObject[], path: string) => unknown };
const require = createRequire(import.meta.url);
/** What Node loads (the CommonJS build, patched) and the ES module build beside it (left alone). */
const patched: Router = require("@remix-run/router");
const unpatched: Router = await import(
  pathToFileURL(require.resolve("@remix-run/router/dist/router.js")).href
);

const build = await loadServerBuild();

/** The build's routes as the nested tree the router matches (as methods.server.ts builds it). */
function routeTree(): AgnosticRouteObject[] {
  const entries = Object.values(build.routes).flatMap((route) => (route ? [route] : []));
  const nodeOf = (id: string): AgnosticRouteObject => {
    const route = build.routes[id];
    const base = { id, path: route?.path, caseSensitive: route?.caseSensitive };
    if (route?.index) return { ...base, index: true };
    return {
      ...base,
      children: entries.filter((child) => child.parentId === id).map((child) => nodeOf(child.id)),
    };
  };
  return entries.filter((route) => !route.parentId).map((route) => nodeOf(route.id));
}
const tree = routeTree();

/** Every route's full pattern, e.g. "api/v1/activities/:id/registrations". */
const patterns = Object.values(build.routes).flatMap((route) => {
  if (!route) return [];
  const parts: string[] = [];
  for (
    let at: typeof route | undefined = route;
    at;
    at = at.parentId ? build.routes[at.parentId] : undefined
  ) {
    if (at.path) parts.unshift(at.path);
  }
  return [parts.join("/")];
});

const same = (path: string) =>
  expect(JSON.stringify(patched.matchRoutes(tree, path)), path).toBe(
    JSON.stringify(unpatched.matchRoutes(tree, path)),
  );

describe("route matching with the patch", () => {
  it("matches every route's own path like the unpatched router", () => {
    expect(patterns.length).toBeGreaterThan(90);
    for (const pattern of patterns) {
      const path = `/${pattern.replace(/:[\w-]+/g, "c0000000000000000000000a").replace(/\*$/, "x/y")}`;
      for (const variant of [
        path,
        `${path}/`,
        `${path}//`,
        path.toUpperCase(),
        `/${path}`,
        `${path}/extra`,
      ]) {
        same(variant);
      }
    }
  }, 60_000);

  it("matches arbitrary paths made of the routes' own segments like the unpatched router", () => {
    const segments = [...new Set(patterns.flatMap((pattern) => pattern.split("/")))].filter(Boolean);
    const segment = fc.oneof(
      fc.constantFrom(...segments),
      fc.constantFrom(...segments).map((s) => s.toUpperCase()),
      fc.constantFrom("", "x", "ſ", "K", "İ", "%41", "%2F", "%E4%BD%A0", "a.data", "_root.data", "*", ":id"),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 7 }), fc.boolean(), (parts, trailing) => {
        same(`/${parts.join("/")}${trailing ? "/" : ""}`);
      }),
      { numRuns: 1000 },
    );
  }, 60_000);
});
