import { Link } from "@remix-run/react";
import type { DeclarationView } from "~/domain/projects/declarations.schema";
import {
  TARGET_KEYS,
  TARGET_LABELS,
  TARGET_UNITS,
  type TargetFigures,
} from "~/domain/projects/projects.schema";
import { TableScroll } from "./table-scroll";

// The project page's evidence part (ADR 0026): what the platform counted itself, apart from what
// people declared by hand with their sign-in sheets and photos. Declared figures never enter the
// progress above; the files open only for those allowed (the links go through the checked route).

const kilobytes = (size: number) => `${Math.max(1, Math.round(size / 1024))} KB`;

export function ProjectEvidence({
  projectId,
  counted,
  declarations,
  canDeclare,
  canSeeCallbacks,
}: {
  projectId: string;
  counted: TargetFigures;
  /** Null for those who may not see the project's private part. */
  declarations: DeclarationView[] | null;
  canDeclare: boolean;
  canSeeCallbacks: boolean;
}) {
  if (declarations === null) return null;
  return (
    <section aria-labelledby="evidence-heading">
      <h2 id="evidence-heading">数据来源</h2>
      <h3 id="counted-heading">平台自动统计</h3>
      <p>由活动签到、现场人数和办结的需求自动得出，计入目标进度。</p>
      <ul aria-labelledby="counted-heading">
        {TARGET_KEYS.map((key) => (
          <li key={key}>
            {`${TARGET_LABELS[key]}：${counted[key] ?? "—"}${counted[key] === null ? "" : ` ${TARGET_UNITS[key]}`}`}
          </li>
        ))}
      </ul>
      <h3 id="declared-figures">人工申报</h3>
      <p>
        平台统计不到的工作（如入户走访、外出宣传），由承接机构或购买方工作人员申报并附证明材料，不计入目标进度。
      </p>
      {declarations.length === 0 ? (
        <p>还没有申报的数据。</p>
      ) : (
        <TableScroll labelledBy="declared-figures">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">指标</th>
                <th scope="col">数值</th>
                <th scope="col">日期</th>
                <th scope="col">说明</th>
                <th scope="col">申报人</th>
                <th scope="col">证明材料</th>
              </tr>
            </thead>
            <tbody>
              {declarations.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.label}</th>
                  <td>{d.value}</td>
                  <td>{d.fromOn === d.toOn ? d.fromOn : `${d.fromOn} 至 ${d.toOn}`}</td>
                  <td>{d.note}</td>
                  <td>{d.declaredByName}</td>
                  <td>
                    {d.evidence.length === 0 ? (
                      "无"
                    ) : (
                      <ul>
                        {d.evidence.map((file) => (
                          <li key={file.id}>
                            <a href={file.url}>{`${file.fileName}（${kilobytes(file.size)}）`}</a>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {canDeclare || canSeeCallbacks ? (
        <p className="actions">
          {canDeclare ? (
            <Link className="button" to={`/projects/${projectId}/declared-figures`}>
              申报数据
            </Link>
          ) : null}
          {canSeeCallbacks ? (
            <Link className="button" to={`/projects/${projectId}/callbacks`}>
              回访抽样
            </Link>
          ) : null}
        </p>
      ) : null}
    </section>
  );
}
