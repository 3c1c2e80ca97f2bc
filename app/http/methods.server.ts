import type { ServerBuild } from "@remix-run/node";
import { matchRoutes } from "@remix-run/react";
import type { NextFunction, Request, Response } from "express";

// Which HTTP methods a route answers, decided before Remix sees the request. Left to Remix, a
// method a route has no function for ends as an internal router error: a stack trace in the log,
// an HTML 405 page for a JSON API client, {"message":"Unexpected Server Error"} from /healthz, and
// OPTIONS running an API loader as if it were a GET. Here every such request gets the answer the
// rest of the site gives (the JSON error of API.md under /api, short Chinese text elsewhere), with
// the Allow header HTTP asks for.

type RouteBase = { id: string; path?: string; caseSensitive?: boolean };
/** Index routes never have children, which is what matchRoutes' types require. */
type RouteNode = (RouteBase & { index: true }) | (RouteBase & { index?: false; children: RouteNode[] });

/** The build's flat route table as the nested tree matchRoutes walks. */
function routeTree(routes: ServerBuild["routes"]): RouteNode[] {
  const nodes = new Map<string, RouteNode>();
  for (const route of Object.values(routes)) {
    if (!route) continue;
    const base = { id: route.id, path: route.path, caseSensitive: route.caseSensitive };
    nodes.set(route.id, route.index ? { ...base, index: true } : { ...base, children: [] });
  }
  const roots: RouteNode[] = [];
  for (const route of Object.values(routes)) {
    const node = route ? nodes.get(route.id) : undefined;
    if (!route || !node) continue;
    const parent = route.parentId ? nodes.get(route.parentId) : undefined;
    if (parent && !parent.index) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Where an API route's loader and action carry the methods it declares (api-methods.server.ts). */
export const DECLARED_METHODS = "declaredMethods";

/** The methods an `apiMethods` loader or action declares; undefined for any other function. */
function declaredMethods(handler: unknown): string[] | undefined {
  if (typeof handler !== "function") return undefined;
  const methods: unknown = Reflect.get(handler, DECLARED_METHODS);
  if (!Array.isArray(methods)) return undefined;
  return methods.filter((method): method is string => typeof method === "string");
}

const READS = ["GET", "HEAD"];
/** Pages take HTML form posts only: forms send POST, and no page posts anything else. */
const PAGE_WRITES = ["POST"];
/** An API route that declares no methods of its own (the catch-all 404) passes every write on. */
const API_WRITES = ["POST", "PUT", "PATCH", "DELETE"];

/** The path Remix routes a request by: single-fetch data requests name the page plus ".data". */
function routedPath(path: string) {
  if (path === "/_root.data") return "/";
  return path.endsWith(".data") ? path.slice(0, -".data".length) : path;
}

export function allowedMethods(build: ServerBuild) {
  const tree = routeTree(build.routes);
  return function refuseUnsupportedMethods(req: Request, res: Response, next: NextFunction) {
    const matches = matchRoutes(tree, routedPath(req.path));
    const leaf = matches?.at(-1)?.route;
    const module = leaf ? build.routes[leaf.id]?.module : undefined;
    if (!module) return next();
    const isApi = req.path.startsWith("/api/");
    const writes = module.action ? (isApi ? API_WRITES : PAGE_WRITES) : [];
    const allowed = declaredMethods(module.action) ?? declaredMethods(module.loader) ?? [...READS, ...writes];
    if (allowed.includes(req.method)) return next();
    const message = `不支持此请求方法，请使用 ${allowed.join(", ")}`;
    // Like every API answer (withNoStoreDefault): nothing about a refused request is worth keeping.
    res.status(405).setHeader("Allow", allowed.join(", ")).setHeader("Cache-Control", "private, no-store");
    if (isApi) res.json({ error: { code: "METHOD_NOT_ALLOWED", message } });
    else res.type("text/plain; charset=utf-8").send(message);
  };
}
