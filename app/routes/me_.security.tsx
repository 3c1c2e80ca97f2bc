import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { changePasswordSchema } from "~/domain/accounts/security.schema";
import { changePassword, signOutEverywhere } from "~/domain/accounts/security.server";
import { clearedSessionCookieHeader, requirePageActor, sessionCookieHeader } from "~/http/auth.server";
import { formFailure, parseInput, readForm, retryAfterHeaders } from "~/http/route.server";
import { validationError } from "~/lib/errors";

// 账号安全 (我的 → 账号安全): change the password, sign out on every device. ADR 0014.

export const meta: MetaFunction = () => [{ title: "账号安全 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePageActor(request);
  const changed = new URL(request.url).searchParams.get("changed");
  const others = Number(changed);
  if (changed === null || !Number.isInteger(others) || others < 0) return { message: null };
  return { message: others > 0 ? `密码已修改，其他 ${others} 处登录已退出` : "密码已修改" };
}

/** A 429's Retry-After reaches the browser too, not only the API. */
export const headers = retryAfterHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    if (form.intent === "signOutEverywhere") {
      await signOutEverywhere(actor);
      return redirect("/login?signedOut=everywhere", {
        headers: { "Set-Cookie": await clearedSessionCookieHeader(request) },
      });
    }
    if (form.intent !== "changePassword") {
      throw validationError({ intent: "未知的操作" }, "未知的操作，请刷新页面后重试");
    }
    const values = parseInput(changePasswordSchema, form);
    const rotated = await changePassword(actor, values, { clientIp: context.clientIp });
    // Redirected, not rendered: the page's loader would run with the cookie just revoked.
    return redirect(`/me/security?changed=${rotated.revokedSessions}`, {
      headers: { "Set-Cookie": await sessionCookieHeader(request, rotated.token) },
    });
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function SecurityPage() {
  const { message } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow" aria-labelledby="security-title">
      <h1 id="security-title">账号安全</h1>
      <FormMessage tone="success" message={failure ? null : message} />
      <FormMessage message={failure?.formError} />
      <h2>修改密码</h2>
      <p className="aside-text">修改后，其他手机和电脑上的登录都会退出，本设备保持登录。</p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="changePassword" />
        <Field
          name="currentPassword"
          label="当前密码"
          type="password"
          autoComplete="current-password"
          errors={failure?.fieldErrors}
          required
        />
        <Field
          name="newPassword"
          label="新密码"
          type="password"
          autoComplete="new-password"
          hint="至少8位"
          errors={failure?.fieldErrors}
          required
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          修改密码
        </button>
      </Form>
      <h2>退出所有设备</h2>
      <p className="aside-text">
        手机丢失或在别人的电脑上登录过时使用：所有设备（包括本设备）和 API 令牌都会退出登录。
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="signOutEverywhere" />
        <button type="submit" className="button button--danger" disabled={busy}>
          退出所有设备
        </button>
      </Form>
      <p>
        <Link to="/me">返回我的</Link>
      </p>
    </section>
  );
}
