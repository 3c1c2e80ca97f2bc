import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage, TextAreaField } from "~/components/form";
import { projectToManage } from "~/domain/projects/project-form.server";
import { endProjectSchema } from "~/domain/projects/projects.schema";
import { endProject } from "~/domain/projects/projects.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readForm } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "提前终止项目 · 政府购买服务 · 三社联动服务平台" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const { project } = await projectToManage(await requirePageActor(request), params.id ?? "");
    return { project };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const { reason } = parseInput(endProjectSchema, form);
    const { project } = await endProject(actor, params.id ?? "", reason);
    return redirect(`/projects/${project.id}?done=ended`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function EndProjectPage() {
  const { project } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section className="card narrow-wide" aria-labelledby="end-project-title">
      <p>
        <Link to={`/projects/${project.id}`}>← 返回项目</Link>
      </p>
      <h1 id="end-project-title">提前终止项目</h1>
      <p className="lead">{project.title}</p>
      <p role="note">终止后项目不再计入新的活动和需求，也不能再修改或评估。此操作不能撤销。</p>
      <Form method="post" noValidate>
        <FormMessage message={failure?.formError} errors={failure?.fieldErrors} />
        <TextAreaField
          name="reason"
          label="终止原因"
          hint="至少4个字，会显示在项目页上"
          maxLength={500}
          defaultValue={failure?.values.reason ?? ""}
          errors={failure?.fieldErrors}
          required
        />
        <button type="submit" className="button button--danger button--block button--big">
          确认提前终止
        </button>
      </Form>
    </section>
  );
}
