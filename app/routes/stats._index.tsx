import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Field, SelectField } from "~/components/form";
import { PERIOD_LABELS, type PeriodState, StatsBody, statsHref } from "~/components/stats-page";
import { can } from "~/domain/policy";
import { PERIOD_CHOICES, PRESETS, presetPeriods, readPeriodFields } from "~/domain/stats/periods";
import { periodText, reportParagraph } from "~/domain/stats/report";
import { STATS_SCOPES, type Stats, type StatsScope, statsQuerySchema } from "~/domain/stats/stats.schema";
import { statisticsFor } from "~/domain/stats/stats.server";
import {
  ownTerritory,
  pathOf,
  pathOfRef,
  scopeOfId,
  territoryChoices,
} from "~/domain/stats/territory-choices";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import { getActor } from "~/http/auth.server";
import { pageData } from "~/http/route.server";
import { chinaDay } from "~/lib/china-time";
import { DomainError, type FieldErrors } from "~/lib/errors";
import { formatTime } from "~/lib/format";
import { fieldErrorsFrom } from "~/lib/zod";
import { useRootData } from "~/root";
import statsStylesHref from "~/styles/stats.css";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `统计${data?.stats ? ` · ${data.stats.name}` : ""} · 三社联动服务平台` },
];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: statsStylesHref }];

const isScope = (value: string): value is StatsScope => STATS_SCOPES.some((scope) => scope === value);

const NO_ERRORS: FieldErrors = {};

type Denied = { status: 401 | 403; message: string };

export async function loader({ request }: LoaderFunctionArgs) {
  return pageData(async () => {
    const url = new URL(request.url);
    const params = url.searchParams;
    const [actor, tree] = await Promise.all([getActor(request), getTerritoryTree()]);
    const groups = territoryChoices(tree, actor);
    const presets = presetPeriods(chinaDay(new Date()));
    const { period, dates, errors } = readPeriodFields(params, presets);
    const fieldErrors: FieldErrors = { ...errors };

    const rawScope = params.get("scope") ?? "";
    // With no territory named, staff start at their own (a subdistrict admin at the subdistrict).
    const id = params.get("id") ?? (rawScope ? "" : ownTerritory(groups, actor));
    const scope = rawScope || (id ? scopeOfId(groups, id) : undefined);
    const parsed = statsQuerySchema.safeParse({ scope, id, ...dates });
    // The period's own message ("请填写开始日期") wins over the schema's for the same field.
    if (!parsed.success) Object.assign(fieldErrors, fieldErrorsFrom(parsed.error), errors);

    const common = {
      groups,
      presets,
      period,
      form: { scope: scope !== undefined && isScope(scope) ? scope : "district", id, ...dates },
      loginHref: `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`,
    };
    const failed = (status: 400 | 401 | 403, errors: FieldErrors, denied: Denied | null = null) =>
      data(
        {
          ...common,
          fieldErrors: errors,
          denied,
          stats: null,
          asStaff: false,
          canOpen: [],
          report: null,
          computedText: null,
        },
        { status },
      );
    if (!parsed.success || Object.keys(fieldErrors).length > 0) return failed(400, fieldErrors);

    let stats: Stats;
    try {
      stats = await statisticsFor(actor, parsed.data);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === "VALIDATION") return failed(400, error.fields ?? { _: error.message });
      // Below the district the figures are for staff in scope: say so on the page, not as an error page.
      if (error.code === "UNAUTHENTICATED")
        return failed(401, {}, { status: 401, message: "街道和社区的统计仅供辖区工作人员查看，请先登录。" });
      if (error.code === "FORBIDDEN")
        return failed(
          403,
          {},
          { status: 403, message: "街道和社区的统计仅供辖区工作人员查看，您的账号不能查看这个地区的。" },
        );
      throw error;
    }
    const territoryPath = pathOf(stats);
    return {
      ...common,
      form: { ...common.form, scope: stats.scope, id: stats.id },
      fieldErrors: NO_ERRORS,
      denied: null,
      stats,
      // The lists behind the figures are for staff whose scope covers the territory (not for the
      // public reading the district's figures).
      asStaff: can(actor, "stats.view", territoryPath),
      // Which breadcrumbs and child rows may link to their own page.
      canOpen: [...stats.path, ...stats.byChild]
        .filter((ref) => ref.scope === "district" || can(actor, "stats.view", pathOfRef(ref, territoryPath)))
        .map((ref) => ref.id),
      report: params.get("report") === "1" ? reportParagraph(stats) : null,
      computedText: stats.computedAt ? formatTime(stats.computedAt) : null,
    };
  });
}

export default function StatsPage() {
  const loaded = useLoaderData<typeof loader>();
  const elderMode = useRootData()?.elderMode ?? false;
  const { groups, presets, period, form, fieldErrors, denied, stats } = loaded;
  const when: PeriodState = { period, from: form.from, to: form.to };
  const here = { scope: form.scope, id: form.id };
  const choices = groups.flatMap((group) => group.options);
  const formError = fieldErrors._ ?? fieldErrors.scope ?? fieldErrors.id ?? fieldErrors.period;

  return (
    <>
      <h1>统计{stats ? ` · ${stats.name}` : ""}</h1>
      <p className="lead">
        {stats
          ? `${periodText(stats.from, stats.to)}的入驻机构、服务、需求和活动数据。`
          : "全区、各街道和社区的入驻机构、服务、需求和活动数据。"}
      </p>

      <section className="card stats-picker" aria-labelledby="picker-title">
        <h2 id="picker-title" className="visually-hidden">
          选择地区和时段
        </h2>
        <nav className="tabs" aria-label="统计时段">
          <ul>
            {PRESETS.map((preset) => (
              <li key={preset}>
                <Link
                  className="tabs__link"
                  to={statsHref(here, { period: preset, ...presets[preset] })}
                  aria-current={period === preset ? "page" : undefined}
                >
                  {PERIOD_LABELS[preset]}
                </Link>
              </li>
            ))}
            <li>
              <a
                className="tabs__link"
                href="#custom-period"
                aria-current={period === "custom" ? "page" : undefined}
              >
                {PERIOD_LABELS.custom}
              </a>
            </li>
          </ul>
        </nav>
        {/* One form for the territory and the period: two forms each carried the other's last
            submitted value, so picking a community and then dates showed the old territory's figures
            under the picker's new name (issue #15, item 15). The scope follows from the id. */}
        <Form method="get" id="custom-period" className="stats-picker__form" aria-label="选择地区和时段">
          {choices.length > 1 ? (
            <SelectField name="id" label="地区" defaultValue={form.id || choices[0]?.id} errors={fieldErrors}>
              {groups.map((group) =>
                group.label === null ? (
                  group.options.map((option) => (
                    <option key={option.id} value={option.id}>
                      {option.label}
                    </option>
                  ))
                ) : (
                  <optgroup key={group.label} label={group.label}>
                    {group.options.map((option) => (
                      <option key={option.id} value={option.id}>
                        {option.label}
                      </option>
                    ))}
                  </optgroup>
                ),
              )}
            </SelectField>
          ) : (
            <>
              {form.id ? <input type="hidden" name="id" value={form.id} /> : null}
              <p className="aside-text">
                街道、社区的统计仅供辖区工作人员查看，工作人员登录后可以选择所辖地区。
              </p>
            </>
          )}
          <SelectField name="period" label="时段" defaultValue={period} errors={fieldErrors}>
            {PERIOD_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {choice === "custom" ? "自定义（按下面的日期）" : PERIOD_LABELS[choice]}
              </option>
            ))}
          </SelectField>
          <div className="stats-picker__dates">
            <Field
              type="date"
              idPrefix="period-"
              name="from"
              label="开始日期"
              defaultValue={form.from}
              errors={fieldErrors}
            />
            <Field
              type="date"
              idPrefix="period-"
              name="to"
              label="结束日期"
              defaultValue={form.to}
              errors={fieldErrors}
            />
          </div>
          <button type="submit" className="button button--primary">
            查看统计
          </button>
        </Form>
      </section>

      {formError ? (
        <p className="form-message form-message--error" role="alert">
          {formError}
        </p>
      ) : Object.keys(fieldErrors).length > 0 ? (
        <p className="form-message form-message--error" role="alert">
          日期有误，请按标出的提示重新填写。
        </p>
      ) : null}

      {denied ? (
        <section className="card stats-denied" aria-labelledby="denied-title">
          <h2 id="denied-title">{denied.status === 401 ? "请先登录" : "没有查看权限"}</h2>
          <p>{denied.message}</p>
          <p className="actions">
            {denied.status === 401 ? (
              <Link className="button button--primary" to={loaded.loginHref}>
                登录
              </Link>
            ) : null}
            <Link className="button" to={statsHref({ scope: "district", id: choices[0]?.id ?? "" }, when)}>
              查看全区统计
            </Link>
          </p>
        </section>
      ) : null}

      {stats ? (
        <StatsBody
          stats={stats}
          when={when}
          canOpen={loaded.canOpen}
          asStaff={loaded.asStaff}
          report={loaded.report}
          computedText={loaded.computedText}
          elderMode={elderMode}
        />
      ) : null}
    </>
  );
}
