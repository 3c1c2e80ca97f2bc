import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ProjectForm, projectLinks } from "~/components/projects";
import { readProjectForm } from "~/domain/projects/project-form";
import { newProjectOptions } from "~/domain/projects/project-form.server";
import { createProjectSchema } from "~/domain/projects/projects.schema";
import { createProject } from "~/domain/projects/projects.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, readForm } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "新建项目 · 政府购买服务 · 三社联动服务平台" }];
export const links = projectLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => newProjectOptions(await requirePageActor(request)));
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const { project } = await createProject(actor, readProjectForm(createProjectSchema, form));
    return redirect(`/projects/${project.id}?done=created`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function NewProjectPage() {
  const { purchasers, providers } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  // A community worker buys for one place only: it is already chosen.
  const defaults: Record<string, string> =
    purchasers.length === 1 ? { purchaserId: purchasers[0]?.id ?? "" } : {};
  return (
    <section className="card narrow-wide" aria-labelledby="new-project-title">
      <p>
        <Link to="/projects">← 政府购买服务项目</Link>
      </p>
      <h1 id="new-project-title">新建政府购买服务项目</h1>
      <p className="lead">填写购买方、承接机构、预算、周期和目标。创建后，关联到项目的活动会自动计入进度。</p>
      <ProjectForm
        mode="create"
        defaults={defaults}
        failure={failure}
        purchasers={purchasers}
        providers={providers}
      />
    </section>
  );
}
