import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SelectField } from "~/components/form";
import { Pager } from "~/components/pager";
import { ProjectCard, projectLinks } from "~/components/projects";
import { mayCreateProjects } from "~/domain/projects/project-form.server";
import {
  PROJECT_STATUS_LABELS,
  PROJECT_STATUSES,
  projectListQuerySchema,
} from "~/domain/projects/projects.schema";
import { listProjects } from "~/domain/projects/projects.server";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { territoryNodes } from "~/domain/territory/tree";
import { getActor } from "~/http/auth.server";
import { pageData, readPageQuery } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "政府购买服务 · 三社联动服务平台" }];
export const links = projectLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const { query, typed, errors } = readPageQuery(projectListQuerySchema, request);
    const actor = await getActor(request);
    const [page, tree, canCreate] = await Promise.all([
      listProjects(actor, query),
      getTerritoryTree(),
      mayCreateProjects(actor),
    ]);
    const places = [...territoryNodes(tree)].map((node) => ({
      id: node.id,
      label: `${"　".repeat(node.level === "district" ? 0 : node.level === "subdistrict" ? 1 : 2)}${node.name}`,
    }));
    return { page, places, typed, errors: errors ?? {}, search: new URL(request.url).search, canCreate };
  });
}

export default function ProjectsPage() {
  const { page, places, typed, errors, search, canCreate } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>政府购买服务项目</h1>
      <p>
        区、街道、社区向社会组织购买的服务项目：预算、周期、目标，以及平台自动统计的完成进度。中期和结项评估按
        <Link to="/projects/indicators">评估指标</Link>打分。
      </p>
      {canCreate ? (
        <p>
          <Link className="button button--primary" to="/projects/new">
            新建项目
          </Link>
        </p>
      ) : null}
      <Form method="get" className="filter-form" aria-label="筛选项目">
        <SelectField
          name="purchaserId"
          label="购买方（含下级）"
          errors={errors}
          defaultValue={typed.purchaserId ?? ""}
        >
          <option value="">全部</option>
          {places.map((place) => (
            <option key={place.id} value={place.id}>
              {place.label}
            </option>
          ))}
        </SelectField>
        <SelectField name="status" label="状态" errors={errors} defaultValue={typed.status ?? ""}>
          <option value="">全部</option>
          {PROJECT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {PROJECT_STATUS_LABELS[status]}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="button">
          筛选
        </button>
      </Form>
      <p>{`共 ${page.total} 个项目`}</p>
      {page.items.length === 0 ? <p>没有符合条件的项目。</p> : null}
      <ul className="card-list">
        {page.items.map((item) => (
          <ProjectCard key={item.project.id} item={item} />
        ))}
      </ul>
      <Pager page={page.page} pageSize={page.pageSize} total={page.total} search={search} />
    </>
  );
}
