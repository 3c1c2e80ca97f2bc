import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { redeemResetCodeSchema } from "~/domain/accounts/password-reset.schema";
import { redeemPasswordResetCode } from "~/domain/accounts/password-reset.server";
import { servicePhoneDirectory } from "~/domain/territory/service-phones.server";
import { getActor } from "~/http/auth.server";
import { formFailure, parseInput, readForm, retryAfterHeaders } from "~/http/route.server";

// 忘记密码 (#15 item 7, ADR 0028): there is no SMS here, so the way back is the community worker, who
// verifies the person and gives them a one-time code; this page says so, lists the community service
// phones, and takes the code with the new password.

export const meta: MetaFunction = () => [{ title: "忘记密码 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await getActor(request);
  const directory = await servicePhoneDirectory();
  const home = actor?.communityId
    ? directory.flatMap((s) => s.communities).find((c) => c.id === actor.communityId)
    : undefined;
  return { directory, home: home ?? null };
}

/** A 429's Retry-After reaches the browser too, not only the API. */
export const headers = retryAfterHeaders;

export async function action({ request, context }: ActionFunctionArgs) {
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const values = parseInput(redeemResetCodeSchema, form);
    await redeemPasswordResetCode(values, { clientIp: context.clientIp });
    // No phone in the URL (DESIGN §7): the resident types it again to sign in.
    return redirect("/login?reset=done");
  } catch (error) {
    // The code and the new password are not typed back into the page.
    const { code: _code, newPassword: _password, ...kept } = form;
    return formFailure(error, kept);
  }
}

export default function ForgotPasswordPage() {
  const { directory, home } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">忘记密码</h1>
      <p>
        请到社区服务站或拨打社区电话，由社区工作人员核实身份后给您<strong>重置码</strong>
        （8位数字，30分钟内有效，只能用一次）。拿到重置码后，在下面填写手机号、重置码和新密码。
      </p>
      {/* The phones are below the form; someone without a code yet needs them first (issue #15). */}
      {directory.length > 0 ? (
        <p>
          <a href="#community-phones">查看各社区电话</a>
        </p>
      ) : null}
      {home ? (
        <p>
          您所在的{home.name}电话：<a href={`tel:${home.servicePhone}`}>{home.servicePhone}</a>
        </p>
      ) : null}
      <FormMessage message={failure?.formError} errors={failure?.fieldErrors} />
      <Form method="post" noValidate>
        <Field
          name="phone"
          label="手机号"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={20}
          defaultValue={failure?.values.phone ?? ""}
          errors={failure?.fieldErrors}
          required
        />
        <Field
          name="code"
          label="重置码"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={20}
          hint="社区工作人员给您的8位数字"
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
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? "正在设置…" : "设置新密码"}
        </button>
      </Form>
      <p className="aside-text">设置后，您在其他手机和电脑上的登录都会退出，请用新密码重新登录。</p>
      <h2 id="community-phones">社区电话</h2>
      {directory.length === 0 ? (
        <p>社区电话尚未登记，请直接到社区服务站办理。</p>
      ) : (
        directory.map((subdistrict) => (
          <details key={subdistrict.id} open={directory.length === 1}>
            <summary>{subdistrict.name}</summary>
            <ul className="plain-list">
              {subdistrict.communities.map((community) => (
                <li key={community.id}>
                  {community.name}：<a href={`tel:${community.servicePhone}`}>{community.servicePhone}</a>
                </li>
              ))}
            </ul>
          </details>
        ))
      )}
      <p>
        <Link to="/login">返回登录</Link>
      </p>
    </section>
  );
}
