import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ChoiceGroup, Field, FormMessage, SelectField } from "~/components/form";
import { CommunityOptions } from "~/components/options";
import { registerResidentFormSchema } from "~/domain/accounts/accounts.schema";
import { registerResident } from "~/domain/accounts/accounts.server";
import { startSession } from "~/domain/accounts/sessions.server";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { getActor, sessionCookieHeader } from "~/http/auth.server";
import { formFailure, parseInput, readForm, retryAfterHeaders } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "注册 · 三社联动服务平台" }];

/** A 429's Retry-After reaches the browser too, not only the API. */
export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getActor(request)) throw redirect("/me");
  return { tree: await getTerritoryTree() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const values = parseInput(registerResidentFormSchema, form);
    const user = await registerResident(values, { clientIp: context.clientIp });
    // Signed in straight away: one step fewer for an elderly first-time user.
    const { token } = await startSession(user.id, "WEB");
    return redirect("/me?welcome=1", {
      headers: { "Set-Cookie": await sessionCookieHeader(request, token) },
    });
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function RegisterPage() {
  const { tree } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = failure?.fieldErrors;
  return (
    <section className="card narrow" aria-labelledby="register-title">
      <h1 id="register-title">居民注册</h1>
      <p className="lead">注册后可以发布需求、报名社区活动。</p>
      <FormMessage message={failure?.formError} errors={errors} />
      <Form method="post" noValidate>
        <Field
          name="name"
          label="姓名"
          autoComplete="name"
          maxLength={30}
          defaultValue={failure?.values.name}
          errors={errors}
          required
        />
        <Field
          name="phone"
          label="手机号"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          maxLength={20}
          hint="用于登录，其他人只能看到部分号码，如 138****1234"
          defaultValue={failure?.values.phone}
          errors={errors}
          required
        />
        <Field
          name="password"
          label="设置密码"
          type="password"
          autoComplete="new-password"
          hint="至少8位"
          errors={errors}
          required
        />
        <SelectField
          name="communityId"
          label="所在社区"
          defaultValue={failure?.values.communityId ?? ""}
          errors={errors}
          required
        >
          <option value="">请选择您居住的社区</option>
          <CommunityOptions tree={tree} />
        </SelectField>
        <ChoiceGroup
          name="privacyConsent"
          legend="隐私政策"
          hint="我们只为提供社区服务使用您的信息，您可以随时下载或删除自己的数据。"
          errors={errors}
        >
          <p>
            <Link to="/privacy">阅读《隐私政策》</Link>：我们收集哪些信息、谁能看到、保存多久。
          </p>
          <label className="choice">
            <input
              type="checkbox"
              name="privacyConsent"
              value="yes"
              defaultChecked={failure?.values.privacyConsent === "yes"}
              required
            />
            <span>我已阅读并同意《隐私政策》</span>
          </label>
        </ChoiceGroup>
        <button type="submit" className="button button--primary button--block" disabled={busy}>
          {busy ? "正在注册…" : "注册"}
        </button>
      </Form>
      <p className="aside-text">
        已有账号？<Link to="/login">直接登录</Link>
      </p>
    </section>
  );
}
