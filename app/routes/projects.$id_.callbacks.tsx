import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { TableScroll } from "~/components/table-scroll";
import { callbackSample } from "~/domain/projects/callbacks.server";
import { CALLBACK_SAMPLE_SIZE } from "~/domain/projects/declarations.schema";
import { getProject } from "~/domain/projects/projects.server";
import { requirePageActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";

// 回访抽样: for the evaluators (staff in the purchaser's scope, never the provider) a fixed random
// sample of the residents counted toward the project, to call and ask whether they really came.
// Each look is audited; phones are masked.

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `回访抽样：${data?.project.title ?? "项目"} · 政府购买服务` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return pageData(async () => {
    const actor = await requirePageActor(request);
    const id = params.id ?? "";
    const sample = await callbackSample(actor, id);
    const { project } = await getProject(actor, id);
    return { project: { id: project.id, title: project.title }, sample };
  });
}

export default function CallbackSamplePage() {
  const { project, sample } = useLoaderData<typeof loader>();
  return (
    <section className="stack" aria-labelledby="callbacks-title">
      <p>
        <Link to={`/projects/${project.id}`}>{`← ${project.title}`}</Link>
      </p>
      <h1 id="callbacks-title">回访抽样</h1>
      <p>
        {`从计入本项目的签到中按固定的随机顺序抽取（最多${CALLBACK_SAMPLE_SIZE}人），每次打开看到的名单相同。手机号已打码，请按社区台账中的号码回访，核实是否参加了活动。本页的每次查看都会留痕。`}
      </p>
      {sample.length === 0 ? (
        <p>还没有计入项目的签到。</p>
      ) : (
        <TableScroll labelledBy="callbacks-title">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">姓名</th>
                <th scope="col">手机号</th>
                <th scope="col">活动</th>
                <th scope="col">日期</th>
              </tr>
            </thead>
            <tbody>
              {sample.map((entry) => (
                <tr key={entry.registrationId}>
                  <th scope="row">{entry.name}</th>
                  <td>{entry.phone}</td>
                  <td>{entry.activityTitle}</td>
                  <td>{entry.activityDate}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
