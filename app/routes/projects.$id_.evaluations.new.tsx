import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormMessage, RadioGroup, TextAreaField } from "~/components/form";
import { IndicatorRows } from "~/components/indicator-rows";
import { ProgressSummary, projectLinks } from "~/components/projects";
import { recordEvaluation } from "~/domain/projects/evaluations.server";
import { indicatorFormRows, readEvaluationForm } from "~/domain/projects/project-form";
import { projectToEvaluate } from "~/domain/projects/project-form.server";
import { EVALUATION_STAGE_LABELS } from "~/domain/projects/projects.schema";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, readForm } from "~/http/route.server";

export const meta: MetaFunction = () => [{ title: "项目评估 · 政府购买服务 · 三社联动服务平台" }];
export const links = projectLinks;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => projectToEvaluate(await requirePageActor(request), params.id ?? ""));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  let form: Record<string, string> = {};
  try {
    form = await readForm(request);
    const id = params.id ?? "";
    const evaluation = await recordEvaluation(actor, id, readEvaluationForm(form));
    return redirect(`/projects/${id}?done=${evaluation?.stage === "FINAL" ? "completed" : "evaluated"}`);
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function EvaluateProjectPage() {
  const { project, progress, stagesLeft, indicators } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors = failure?.fieldErrors;
  const typed = failure?.values;
  const value = (name: string, fallback: string) => (typed ? (typed[name] ?? "") : fallback);
  return (
    <section className="card narrow-wide" aria-labelledby="evaluate-title">
      <p>
        <Link to={`/projects/${project.id}`}>← 返回项目</Link>
      </p>
      <h1 id="evaluate-title">项目评估</h1>
      <p className="lead">{`${project.title} · ${project.providerName}承接`}</p>
      <h2>平台统计的完成情况</h2>
      <ProgressSummary progress={progress} />
      <p className="project-actions">
        <Link to={`/projects/${project.id}#progress-heading`}>项目进度与申报数据</Link>
        <Link to={`/projects/${project.id}/callbacks`}>回访抽样（打电话核实）</Link>
        <Link to="/projects/indicators">区里的评估指标</Link>
      </p>
      {stagesLeft.length === 0 ? (
        <p role="note">中期评估和结项评估都已完成。</p>
      ) : (
        <Form method="post" noValidate>
          <FormMessage message={failure?.formError} errors={errors} />
          <RadioGroup
            name="stage"
            legend="评估阶段"
            hint="提交结项评估后，项目即结项，不能再修改"
            errors={errors}
            defaultValue={value("stage", stagesLeft[0] ?? "")}
            options={stagesLeft.map((stage) => ({ value: stage, label: EVALUATION_STAGE_LABELS[stage] }))}
          />
          <IndicatorRows
            list="scores"
            rows={indicatorFormRows(indicators, 2)}
            hint="已按区里的默认评估指标填好名称和满分，可修改；空着的行不计入。"
            errors={errors}
            typed={typed}
          />
          <TextAreaField
            name="comment"
            label="评估意见"
            hint="至少4个字"
            maxLength={2000}
            rows={5}
            defaultValue={value("comment", "")}
            errors={errors}
            required
          />
          <button type="submit" className="button button--primary button--block button--big">
            提交评估
          </button>
        </Form>
      )}
    </section>
  );
}
