import { startSession } from "~/domain/accounts/sessions.server";
import { sessionCookieHeader } from "~/http/auth.server";
import type { TestServer } from "./server";

// The pages as a browser without JavaScript sees them, for the integration tests of the HTML side:
// the session cookie made the way sign-in makes it, HTML from GET, urlencoded form posts from this
// site. The server's own request() does not follow redirects, so a 302 comes back with its Location.

/** What a page answered: its status, where it redirects (if it does) and its body. */
export type PageAnswer = { status: number; location: string | null; html: string };

/** The session cookie (`name=value`) of a signed-in user, as the sign-in page would set it. */
export async function sessionCookie(server: Pick<TestServer, "origin">, userId: string) {
  const { token } = await startSession(userId, "WEB");
  const header = await sessionCookieHeader(new Request(server.origin), token);
  return header.split(";")[0] ?? "";
}

/** Cookie, GET and form-POST helpers bound to the test server. `server` is a getter because the
 * server starts in beforeAll, after the test file's top level has run; `html` rewrites every body
 * (e.g. with `joinedText`) before the tests see it. */
export function pagesOf(server: () => TestServer, options: { html?: (html: string) => string } = {}) {
  const rewrite = options.html ?? ((html: string) => html);
  const answerOf = async (res: Response): Promise<PageAnswer> => ({
    status: res.status,
    location: res.headers.get("location"),
    html: rewrite(await res.text()),
  });
  return {
    /** The session cookie of a signed-in user. */
    cookieOf: (user: { id: string }) => sessionCookie(server(), user.id),
    /** A GET with the cookie (if any). */
    page: async (pathname: string, cookie = "") =>
      answerOf(await server().request(pathname, { headers: { cookie } })),
    /** A urlencoded form POST from this site (Origin set), with the cookie. */
    submit: async (pathname: string, cookie: string, form: Record<string, string> = {}) =>
      answerOf(
        await server().request(pathname, {
          method: "POST",
          body: new URLSearchParams(form).toString(),
          headers: { "content-type": "application/x-www-form-urlencoded", origin: server().origin, cookie },
        }),
      ),
  };
}

/** React separates adjacent text pieces with comments; the reader sees one string. */
export const joinedText = (html: string) => html.replaceAll("<!-- -->", "");

/** The HTML entities React writes in text and attributes, back to characters. */
export const decodeEntities = (text: string) =>
  text
    .replaceAll("&amp;", "&")
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">");

/** What a reader sees: tags and React's text separators gone, entities decoded. */
export const visibleText = (html: string) => decodeEntities(joinedText(html).replace(/<[^>]*>/g, ""));

/** A phone number as others see it: 139****5678. */
export const maskOf = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;
