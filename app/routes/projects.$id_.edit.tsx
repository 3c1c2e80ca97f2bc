import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ProjectForm, projectLinks } from "~/components/projects";
import { changedProjectFields, projectFormValues, readProjectForm } from "~/domain/projects/project-form";
import { projectToManage } from "~/domain/projects/project-form.server";
import { updateProjectSchema } from "~/domain/projects/projects.schema";
import { updateProject } from "~/domain/projects/projects.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, readForm } from "~/http/route.server";

// Not nested under the project page (projects.$id has no Outlet): the trailing underscore.

export const meta: MetaFunction = () => [{ title: "修改项目 · 政府购买服务 · 三社联动服务平台" }];
export const links = projectLinks;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const { project, services } = await projectToManage(await requirePageActor(request), params.id ?? "");
    return { project, services, defaults: projectFormValues(project) };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const { project } = await projectToManage(actor, params.id ?? "");
    // Only what differs from the stored project is sent on, so the audit names what changed.
    const changed = changedProjectFields(form, projectFormValues(project));
    if (Object.keys(changed).length === 0) return redirect(`/projects/${project.id}?done=unchanged`);
    await updateProject(actor, project.id, readProjectForm(updateProjectSchema, changed));
    return redirect(`/projects/${project.id}?done=saved`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function EditProjectPage() {
  const { project, services, defaults } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section className="card narrow-wide" aria-labelledby="edit-project-title">
      <p>
        <Link to={`/projects/${project.id}`}>← 返回项目</Link>
      </p>
      <h1 id="edit-project-title">修改项目</h1>
      <p className="lead">{`${project.title} · ${project.purchaserName}购买 · ${project.providerName}承接`}</p>
      <p role="note">修改会留下记录。已关联活动的日期必须仍在新的周期内。</p>
      <ProjectForm mode="edit" defaults={defaults} failure={failure} services={services} />
    </section>
  );
}
