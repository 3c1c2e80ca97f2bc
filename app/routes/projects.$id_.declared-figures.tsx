import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormMessage, TextAreaField } from "~/components/form";
import {
  declarationSchema,
  EVIDENCE_FIELD,
  EVIDENCE_TYPE_LABELS,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
} from "~/domain/projects/declarations.schema";
import { declarationTarget, declareFigure } from "~/domain/projects/declarations.server";
import { requirePageActor } from "~/http/auth.server";
import { formFailure, pageData, parseInput, readUpload } from "~/http/route.server";

// 申报数据: a figure the platform cannot count, with its sign-in sheets or photos (a multipart form
// that works without JavaScript). Declared figures are shown apart from the platform's own and are
// closed once the project is completed or ended.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `申报数据：${data?.project.title ?? "项目"} · 政府购买服务` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => ({
    project: await declarationTarget(await requirePageActor(request), params.id ?? ""),
  }));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requirePageActor(request);
  const id = params.id ?? "";
  const typed: Record<string, string> = {};
  try {
    const { fields, files } = await readUpload(request, EVIDENCE_FIELD);
    for (const [key, value] of Object.entries(fields)) if (typeof value === "string") typed[key] = value;
    await declareFigure(actor, id, parseInput(declarationSchema, fields), files);
    return redirect(`/projects/${id}?declared=1#declared-figures`);
  } catch (error) {
    return formFailure(error, typed);
  }
}

const ACCEPT = Object.keys(EVIDENCE_TYPE_LABELS).join(",");
const FILE_HINT = `可选。签到表扫描件或现场照片，${Object.values(EVIDENCE_TYPE_LABELS).join("、")}，最多${MAX_EVIDENCE_FILES}个，每个不超过${MAX_EVIDENCE_BYTES / 1024 / 1024}MB。`;

export default function DeclareFigurePage() {
  const { project } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors = failure?.fieldErrors;
  const values = failure?.values ?? {};
  return (
    <section className="card narrow stack" aria-labelledby="declare-title">
      <h1 id="declare-title">申报数据</h1>
      <p className="lead">{`“${project.title}”（${project.startsOn} 至 ${project.endsOn}）`}</p>
      <FormMessage message={failure?.formError} errors={errors} />
      {project.active ? (
        <Form method="post" encType="multipart/form-data" noValidate>
          <p>
            只申报平台统计不到的工作（如入户走访、外出宣传）。申报的数据与平台统计的数字分开显示，不计入目标进度，项目结项后不能再申报。
          </p>
          <Field
            name="label"
            label="指标名称"
            hint="如：入户走访"
            maxLength={40}
            defaultValue={values.label}
            errors={errors}
          />
          <Field
            name="value"
            label="数值"
            inputMode="numeric"
            maxLength={7}
            defaultValue={values.value}
            errors={errors}
          />
          <Field name="fromOn" label="起始日期" type="date" defaultValue={values.fromOn} errors={errors} />
          <Field name="toOn" label="截止日期" type="date" defaultValue={values.toOn} errors={errors} />
          <TextAreaField
            name="note"
            label="情况说明"
            maxLength={1000}
            rows={4}
            defaultValue={values.note}
            errors={errors}
          />
          <Field
            type="file"
            name={EVIDENCE_FIELD}
            label="证明材料"
            hint={FILE_HINT}
            accept={ACCEPT}
            multiple
            errors={errors}
          />
          <p className="actions">
            <button type="submit" className="button button--primary">
              提交申报
            </button>
            <Link className="button" to={`/projects/${project.id}`}>
              返回项目
            </Link>
          </p>
        </Form>
      ) : (
        <>
          <p>项目已结项或终止，申报的数据已封存，不能再申报。</p>
          <p className="actions">
            <Link className="button" to={`/projects/${project.id}`}>
              返回项目
            </Link>
          </p>
        </>
      )}
    </section>
  );
}
