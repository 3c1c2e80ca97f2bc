import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ChoiceGroup, FormMessage } from "~/components/form";
import { needsPrivacyConsent, PRIVACY_NOTICE_VERSION } from "~/domain/accounts/privacy";
import { privacyConsentFormSchema } from "~/domain/accounts/privacy.schema";
import { agreeToPrivacyNotice } from "~/domain/accounts/privacy.server";
import { getActor, requirePageActor } from "~/http/auth.server";
import { formFailure, parseInput, readForm } from "~/http/route.server";

// The privacy notice (隐私政策) agreed to at sign-up (PIPL art. 17; GB/T 35273 §5.5), in plain words
// for elderly residents. A change in substance bumps PRIVACY_NOTICE_VERSION (ADR 0013).

export const meta: MetaFunction = () => [{ title: "隐私政策 · 三社联动服务平台" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await getActor(request);
  return {
    askForConsent: actor ? needsPrivacyConsent(actor) : false,
    agreed: new URL(request.url).searchParams.has("agreed"),
  };
}

/** A signed-in person who has not agreed to this version yet agrees here (the banner links here). */
export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    parseInput(privacyConsentFormSchema, form);
    await agreeToPrivacyNotice(actor);
    return redirect("/privacy?agreed=1");
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function PrivacyPage() {
  const { askForConsent, agreed } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <article className="card narrow" aria-labelledby="privacy-title">
      <h1 id="privacy-title">隐私政策</h1>
      <p className="lead">
        我们只为给您提供社区服务而使用您的信息。下面用简单的话说明：收集什么、为什么、谁能看到、保存多久，以及您能做什么。
      </p>

      <h2>我们收集哪些信息</h2>
      <ul>
        <li>注册时：手机号、姓名、所在社区和密码。密码加密保存，任何人（包括工作人员）都看不到。</li>
        <li>
          使用时：您发布的需求（内容、类别、希望的时间、评价），活动报名和签到记录，发给您的通知，登录的时间。
        </li>
        <li>社区工作人员替您办理（代办）时，会填写您的手机号和姓名。</li>
      </ul>

      <h2>为什么要用这些信息</h2>
      <ul>
        <li>手机号用于登录，也用于工作人员或服务机构联系您。</li>
        <li>需求内容用于为您找到合适的服务。</li>
        <li>报名和签到记录用于安排活动座位。</li>
        <li>统计报表只用人数和次数，不含姓名和手机号。</li>
      </ul>

      <h2>谁能看到您的手机号和姓名</h2>
      <ul>
        <li>您本人。</li>
        <li>负责您所在社区的工作人员。</li>
        <li>已经接下您需求的服务机构（对接成功后，为了联系您）。</li>
      </ul>
      <p>
        其他人只能看到部分号码，如
        138****1234。公开的需求列表不显示任何个人信息。我们不会出售您的信息，也不会把手机号、姓名或地址写进系统日志和网址。
      </p>

      <h2>保存多久</h2>
      <p>
        账号存在期间一直保存。您注销账号后，我们立即删除您的姓名、手机号和需求里的文字，只保留不含个人信息的统计数字（例如“某社区某天有多少人参加活动”）。
      </p>

      <h2>您可以做什么</h2>
      <ul>
        <li>
          查看和下载：在“<Link to="/me">我的</Link>”里点“下载我的数据”，得到一份包含您全部信息的文件。
        </li>
        <li>注销账号：在“我的”里点“注销账号”。注销就是撤回同意，无法恢复。</li>
        <li>更正信息：请联系您所在社区的工作人员。</li>
      </ul>

      <h2>联系我们</h2>
      <p>
        对个人信息有疑问或投诉，请联系您所在社区的工作人员，或到社区服务中心当面咨询。我们会在15个工作日内答复。
      </p>

      <p className="aside-text">版本：{PRIVACY_NOTICE_VERSION}</p>
      <FormMessage tone="success" message={agreed && !askForConsent ? "已记录您的同意，谢谢。" : null} />
      {askForConsent ? (
        <Form method="post" id="agree" aria-labelledby="agree-title">
          <h2 id="agree-title">表示同意</h2>
          <FormMessage message={failure?.formError} />
          <ChoiceGroup
            name="privacyConsent"
            legend="隐私政策"
            hint="您的账号还没有同意这一版《隐私政策》。不同意可以注销账号（在“我的”里）。"
            errors={failure?.fieldErrors}
          >
            <label className="choice">
              <input type="checkbox" name="privacyConsent" value="yes" required />
              <span>我已阅读并同意《隐私政策》</span>
            </label>
          </ChoiceGroup>
          <button type="submit" className="button button--primary">
            同意
          </button>
        </Form>
      ) : null}
    </article>
  );
}
