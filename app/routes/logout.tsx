import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearedSessionCookieHeader, revokeCredential } from "~/http/auth.server";

export async function action({ request }: ActionFunctionArgs) {
  await revokeCredential(request);
  return redirect("/", { headers: { "Set-Cookie": await clearedSessionCookieHeader(request) } });
}

export const loader = () => redirect("/");
