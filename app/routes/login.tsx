import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { signInSchema } from "~/domain/accounts/accounts.schema";
import { signIn } from "~/domain/accounts/accounts.server";
import { landingPathFor } from "~/domain/accounts/landing.server";
import { getActor, safeRedirectPath, sessionCookieHeader } from "~/http/auth.server";
import { formFailure, parseInput, readForm, retryAfterHeaders } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "登录 · 三社联动服务平台" }];

/** A page that sent the person here (a safe same-site path) wins; else they land where they work
 * (ADR 0030: staff on the workbench, one provider's person on its workspace). */
async function destination(target: string | null | undefined, userId: string) {
  const asked = safeRedirectPath(target, "");
  return asked || landingPathFor(userId);
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await getActor(request);
  if (actor)
    throw redirect(await destination(new URL(request.url).searchParams.get("redirectTo"), actor.userId));
  return null;
}

/** A 429's Retry-After reaches the browser too, not only the API. */
export const headers = retryAfterHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const values = parseInput(signInSchema, form);
    const { token, user } = await signIn(values, "WEB", { clientIp: context.clientIp });
    return redirect(await destination(form.redirectTo, user.id), {
      headers: { "Set-Cookie": await sessionCookieHeader(request, token) },
    });
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function LoginPage() {
  const failure = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">登录</h1>
      {params.get("registered") ? <FormMessage tone="success" message="注册成功，请登录。" /> : null}
      {params.get("signedOut") === "everywhere" ? (
        <FormMessage tone="success" message="已在所有设备上退出登录。" />
      ) : null}
      <FormMessage message={failure?.formError} errors={failure?.fieldErrors} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field
          name="phone"
          label="手机号"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={20}
          defaultValue={failure?.values.phone ?? params.get("phone") ?? ""}
          errors={failure?.fieldErrors}
          required
        />
        <Field
          name="password"
          label="密码"
          type="password"
          autoComplete="current-password"
          errors={failure?.fieldErrors}
          required
        />
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? "正在登录…" : "登录"}
        </button>
      </Form>
      <p className="aside-text">
        还没有账号？<Link to="/register">注册成为居民用户</Link>
      </p>
    </section>
  );
}
