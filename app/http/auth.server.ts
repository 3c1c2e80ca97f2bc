import type { SessionKind } from "@prisma/client";
import { createCookie, redirect } from "@remix-run/node";
import type { Actor } from "~/domain/accounts/actor";
import { actorForToken, IDLE_LIFETIME_MS, revokeToken } from "~/domain/accounts/sessions.server";
import { webEnv } from "~/lib/env.server";
import { unauthenticated } from "~/lib/errors";

// HTTP side of authentication: the session cookie and the bearer header. The sessions themselves
// live in the database (domain/accounts/sessions.server.ts).

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  cookie ??= createCookie("__session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secrets: [webEnv().SESSION_SECRET],
    maxAge: IDLE_LIFETIME_MS.WEB / 1000,
  });
  return cookie;
}

const isHttps = (request: Request) => new URL(request.url).protocol === "https:";

/** The Set-Cookie that hands a newly opened web session to the browser (sign-in, sign-up, password
 * change). Whatever session cookie the request still presented is revoked first: the browser holds
 * one session at a time, and a session left behind by an earlier sign-in on a shared computer, or a
 * cookie planted there before sign-in, is dead from this moment (ADR 0014). */
export async function sessionCookieHeader(request: Request, token: string) {
  const presented: unknown = await sessionCookie().parse(request.headers.get("cookie"));
  if (typeof presented === "string" && presented) await revokeToken(presented);
  return sessionCookie().serialize(token, { secure: isHttps(request) });
}

export async function clearedSessionCookieHeader(request: Request) {
  return sessionCookie().serialize("", { maxAge: 0, secure: isHttps(request) });
}

/** The bearer token or the session cookie's token, whichever the request carries. */
export async function credentialOf(request: Request): Promise<{ token: string; kind: SessionKind } | null> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1] ? { token: match[1], kind: "API" } : null;
  }
  const value: unknown = await sessionCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && value ? { token: value, kind: "WEB" } : null;
}

/** The root loader and the page's own loader share one Request; the session is looked up once. */
const actorsByRequest = new WeakMap<Request, Promise<Actor | null>>();

export function getActor(request: Request): Promise<Actor | null> {
  let actor = actorsByRequest.get(request);
  if (!actor) {
    actor = credentialOf(request).then((credential) => (credential ? actorForToken(credential.token) : null));
    actorsByRequest.set(request, actor);
  }
  return actor;
}

/** For the API: 401 without a valid credential. */
export async function requireActor(request: Request): Promise<Actor> {
  const actor = await getActor(request);
  if (!actor) throw unauthenticated();
  return actor;
}

/** For pages: sends the visitor to sign in and back here afterwards. */
export async function requirePageActor(request: Request): Promise<Actor> {
  const actor = await getActor(request);
  if (actor) return actor;
  const url = new URL(request.url);
  throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export async function revokeCredential(request: Request) {
  const credential = await credentialOf(request);
  if (credential) await revokeToken(credential.token);
}

const SAFE_REDIRECT_BASE = "http://same-site.invalid";

/** Only same-site relative paths are followed after sign-in (no open redirects). The target is
 * resolved the way a browser would resolve the Location header (which drops tabs and newlines, so
 * "/\t/evil.example" means "//evil.example") and must stay on this site. The resolved path is what
 * goes into the Location header, so it is checked too: dot segments turn "/.//evil.example" into
 * "//evil.example", which a browser reads as another host. */
export function safeRedirectPath(target: unknown, fallback = "/"): string {
  if (
    typeof target !== "string" ||
    !target.startsWith("/") ||
    target.startsWith("//") ||
    target.includes("\\")
  ) {
    return fallback;
  }
  let resolved: URL;
  try {
    resolved = new URL(target, SAFE_REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (resolved.origin !== SAFE_REDIRECT_BASE || /^\/[/\\]/.test(resolved.pathname)) return fallback;
  return resolved.pathname + resolved.search + resolved.hash;
}

export const elderModeCookie = createCookie("elder", { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600 });

export async function isElderMode(request: Request): Promise<boolean> {
  return (await elderModeCookie.parse(request.headers.get("cookie"))) === "on";
}
