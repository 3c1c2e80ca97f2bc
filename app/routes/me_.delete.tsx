import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormMessage } from "~/components/form";
import { deleteAccountSchema } from "~/domain/accounts/accounts.schema";
import { deleteMyAccount, deletionPreview } from "~/domain/accounts/privacy.server";
import { clearedSessionCookieHeader, getActor, requirePageActor } from "~/http/auth.server";
import { formFailure, parseInput, readForm } from "~/http/route.server";

// 注销账号: says plainly what goes and what stays before asking for the password (ADR 0013).

export const meta: MetaFunction = () => [{ title: "注销账号 · 三社联动服务平台" }];

const DONE = "done";

export async function loader({ request }: LoaderFunctionArgs) {
  // After deletion the person is signed out; the page then only confirms that it is done.
  if (new URL(request.url).searchParams.has(DONE) && !(await getActor(request))) {
    return { preview: null };
  }
  const actor = await requirePageActor(request);
  return { preview: await deletionPreview(actor) };
}

export async function action({ request }: ActionFunctionArgs) {
  let form: Record<string, string> = {};
  try {
    const actor = await requirePageActor(request);
    form = await readForm(request);
    await deleteMyAccount(actor, parseInput(deleteAccountSchema, form));
    return redirect(`/me/delete?${DONE}`, {
      headers: { "Set-Cookie": await clearedSessionCookieHeader(request) },
    });
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function DeleteAccountPage() {
  const { preview } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (!preview) {
    return (
      <section className="card narrow" aria-labelledby="deleted-title">
        <h1 id="deleted-title">账号已注销</h1>
        <FormMessage
          tone="success"
          message="您的账号已注销，姓名和手机号已删除。感谢您使用三社联动服务平台。"
        />
        <p>这个手机号可以重新注册。如需帮助，请联系您所在社区的工作人员。</p>
        <p>
          <Link className="button" to="/">
            返回首页
          </Link>
        </p>
      </section>
    );
  }
  return (
    <section className="card narrow" aria-labelledby="delete-title">
      <h1 id="delete-title">注销账号</h1>
      <p className="lead">注销后无法恢复。请先看清楚下面的说明。</p>
      <h2>注销后会怎样</h2>
      <ul>
        <li>您将不能再登录。这个手机号以后可以重新注册。</li>
        <li>您的姓名和手机号会被删除。</li>
        <li>您发布过的需求，里面写的文字会被删除。</li>
        {preview.openNeeds > 0 ? <li>还没完成的 {preview.openNeeds} 条需求会被取消。</li> : null}
        {preview.upcomingRegistrations > 0 ? (
          <li>您报名的 {preview.upcomingRegistrations} 场还没结束的活动会被取消，名额让给排队候补的人。</li>
        ) : null}
        <li>您收到的通知会被删除，所有设备上的登录都会退出。</li>
      </ul>
      <h2>会保留什么</h2>
      <p>只保留不含姓名、手机号的统计数字，例如“某社区某天有多少人参加了活动”。这些数字不能再找到您本人。</p>
      <p>
        想留一份自己的记录？请先<a href="/api/v1/me/export">下载我的数据</a>。
      </p>
      {preview.blockers.length > 0 ? (
        <>
          <h2>现在还不能注销</h2>
          <ul className="form-message form-message--error">
            {preview.blockers.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
          <p>
            <Link className="button" to="/me">
              返回我的
            </Link>
          </p>
        </>
      ) : (
        <>
          <FormMessage message={failure?.formError} />
          <Form method="post" noValidate>
            <Field
              name="password"
              label="请输入登录密码，确认注销"
              type="password"
              autoComplete="current-password"
              errors={failure?.fieldErrors}
              required
            />
            <div className="actions">
              <button type="submit" className="button button--danger" disabled={busy}>
                {busy ? "正在注销…" : "确认注销账号"}
              </button>
              <Link className="button" to="/me">
                不注销了，返回我的
              </Link>
            </div>
          </Form>
        </>
      )}
    </section>
  );
}
