import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { activityLinks } from "~/components/activities";
import { Field, FormMessage, useTakeFocus } from "~/components/form";
import { issueResetCodeSchema } from "~/domain/accounts/password-reset.schema";
import { issuePasswordResetCode } from "~/domain/accounts/password-reset.server";
import { authorize } from "~/domain/policy";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm, retryAfterHeaders } from "~/http/route.server";
import { formatTime } from "~/lib/format";

// 密码重置码 (#15 item 7, ADR 0028): a resident who forgot their password comes to the desk (or calls
// and is then seen); the worker checks who they are, types their phone and gives them the code shown
// here. The code appears in this one answer only.

export const meta: MetaFunction = () => [{ title: "密码重置码 · 工作台 · 三社联动服务平台" }];
// The code is drawn like a check-in code (big digits): their styles.
export const links = activityLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    authorize(await requirePageActor(request), "workbench.open", null);
    return null;
  });
}

/** A 429's Retry-After reaches the browser too, not only the API. */
export const headers = retryAfterHeaders;

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const issued = await issuePasswordResetCode(actor, parseInput(issueResetCodeSchema, form));
    return {
      ok: true as const,
      code: issued.delivery.via === "in-person" ? issued.delivery.code : null,
      expiresAt: issued.expiresAt.toISOString(),
      residentName: issued.residentName,
      phoneMasked: issued.phoneMasked,
    };
  } catch (error) {
    return formFailure(error, form);
  }
}

/** "12345678" → "1234 5678": read out and copied in two halves. */
const spaced = (code: string) => `${code.slice(0, 4)} ${code.slice(4)}`;

export default function PasswordResetDeskPage() {
  const answer = useActionData<typeof action>();
  const issued = answer?.ok ? answer : null;
  const failure = answer && !answer.ok ? answer : null;
  const busy = useNavigation().state === "submitting";
  const issuedRef = useTakeFocus<HTMLElement>(issued?.expiresAt);
  return (
    <section className="card narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">密码重置码</h1>
      {/* The code first: the worker reads it out or shows it across the desk (issue #15). */}
      {issued ? (
        <section className="check-in-code" aria-labelledby="issued-title" ref={issuedRef} tabIndex={-1}>
          <h2 id="issued-title" className="check-in-code__label">
            {issued.residentName}（{issued.phoneMasked}）的重置码
          </h2>
          {issued.code ? (
            <p className="check-in-code__digits">{spaced(issued.code)}</p>
          ) : (
            <p>重置码已发送到居民的手机。</p>
          )}
          <p className="check-in-code__hint">
            有效期至 {formatTime(issued.expiresAt)}
            （北京时间）。请居民在“忘记密码”页面输入手机号、重置码和新密码。 本页关闭后不能再次查看。
          </p>
        </section>
      ) : null}
      <p>
        居民忘记密码时：先当面核实身份（核对身份证件与本人），再输入其手机号，把重置码交给居民本人。
        重置码30分钟内有效，只能用一次；再次发放后，之前的重置码作废。
      </p>
      <FormMessage message={failure?.formError} errors={failure?.fieldErrors} />
      <Form method="post" noValidate>
        <Field
          name="phone"
          label="居民手机号"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          maxLength={20}
          defaultValue={failure?.values.phone ?? ""}
          errors={failure?.fieldErrors}
          required
        />
        <button type="submit" className="button button--primary" disabled={busy}>
          {issued ? "重新发放重置码" : "发放重置码"}
        </button>
      </Form>
      <p>
        <Link to="/workbench">返回工作台</Link>
      </p>
    </section>
  );
}
