import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { FormMessage } from "~/components/form";
import { IndicatorRows } from "~/components/indicator-rows";
import { projectLinks } from "~/components/projects";
import { indicatorSetPage, keepIndicatorSet } from "~/domain/projects/indicators.server";
import { indicatorFormRows, readIndicatorSetForm } from "~/domain/projects/project-form";
import { MAX_INDICATORS } from "~/domain/projects/projects.schema";
import { getActor, requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, readForm } from "~/http/route.server";

// 评估指标: the district's default indicator set, public to read (a provider should know what it
// will be scored on); the district's admins keep it here.

export const meta: MetaFunction = () => [{ title: "评估指标 · 政府购买服务 · 三社联动服务平台" }];
export const links = projectLinks;

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () =>
    indicatorSetPage(await getActor(request), new URL(request.url).searchParams.get("district")),
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const set = await keepIndicatorSet(actor, form.districtId ?? "", readIndicatorSetForm(form));
    return redirect(`/projects/indicators?district=${encodeURIComponent(set.districtId)}&saved=1`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function IndicatorSetPage() {
  const { set, mayKeep, districts } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors = failure?.fieldErrors;
  const total = set.indicators.reduce((sum, row) => sum + row.max, 0);
  return (
    <section className="card narrow-wide stack" aria-labelledby="indicators-title">
      <p>
        <Link to="/projects">← 政府购买服务项目</Link>
      </p>
      <h1 id="indicators-title">评估指标</h1>
      <p className="lead">
        {`${set.districtName}的政府购买服务项目，中期评估和结项评估按这些指标打分。评估人可以按项目增减；已完成的评估不受以后修改的影响。`}
      </p>
      {searchParams.get("saved") && !failure ? (
        <FormMessage message="评估指标已保存。" tone="success" />
      ) : null}
      {districts.length > 1 ? (
        <nav className="tabs" aria-label="选择区">
          <ul>
            {districts.map((district) => (
              <li key={district.id}>
                <Link
                  className="tabs__link"
                  to={`/projects/indicators?district=${district.id}`}
                  aria-current={district.id === set.districtId ? "page" : undefined}
                >
                  {district.name}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <table className="table">
        <caption>{set.kept ? "区里设置的评估指标" : "平台初始的评估指标（区里还没有设置）"}</caption>
        <thead>
          <tr>
            <th scope="col">指标</th>
            <th scope="col">满分</th>
          </tr>
        </thead>
        <tbody>
          {set.indicators.map((row) => (
            <tr key={row.indicator}>
              <th scope="row">{row.indicator}</th>
              <td>{row.max}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">合计</th>
            <td>{total}</td>
          </tr>
        </tfoot>
      </table>
      {mayKeep ? (
        <Form method="post" noValidate aria-labelledby="keep-title">
          <h2 id="keep-title">修改评估指标</h2>
          <FormMessage message={failure?.formError} errors={errors} />
          <input type="hidden" name="districtId" value={set.districtId} />
          <IndicatorRows
            list="indicators"
            rows={indicatorFormRows(set.indicators, MAX_INDICATORS)}
            hint={`最多${MAX_INDICATORS}项，名称不能重复；空着的行不计入。保存后，新的评估表按这里预先填好。`}
            errors={errors}
            typed={failure?.values}
          />
          <button type="submit" className="button button--primary button--block button--big">
            保存评估指标
          </button>
        </Form>
      ) : null}
    </section>
  );
}
