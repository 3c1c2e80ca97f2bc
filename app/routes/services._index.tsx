import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CategoryFilter, FilterForm, PlaceFilters } from "~/components/filter-form";
import { SelectField } from "~/components/form";
import { ProviderKindOptions } from "~/components/options";
import { Pager } from "~/components/pager";
import { FUNDING_LABELS, PROVIDER_KIND_LABELS } from "~/domain/catalog/categories";
import { browseQuerySchema, FUNDINGS, priceLabel } from "~/domain/services/services.schema";
import { browseServices } from "~/domain/services/services.server";
import { getTerritoryTree } from "~/domain/territory/territory.server";
import type { FieldErrors } from "~/lib/errors";
import { fieldErrorsFrom } from "~/lib/zod";

export const meta: MetaFunction = () => [{ title: "服务项目 · 三社联动服务平台" }];

const FILTERS = ["category", "subdistrictId", "communityId", "funding", "providerKind"] as const;
/** How many community names a card shows before "等 N 个社区". */
const COMMUNITIES_ON_CARD = 3;

/** "服务社区：甲社区、乙社区、丙社区 等 5 个社区" (one text node, so it reads as one line). */
function communitiesLine(communities: { name: string }[]) {
  const names = communities.slice(0, COMMUNITIES_ON_CARD).map((community) => community.name);
  const more = communities.length > COMMUNITIES_ON_CARD ? ` 等 ${communities.length} 个社区` : "";
  return `服务社区：${names.join("、")}${more}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const filters = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ""]));
  const tree = await getTerritoryTree();
  const parsed = browseQuerySchema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    // A hand-edited address: say which filter is wrong instead of showing everything.
    const fieldErrors: FieldErrors = fieldErrorsFrom(parsed.error);
    return data({ tree, filters, fieldErrors, result: null }, { status: 400 });
  }
  return { tree, filters, fieldErrors: {}, result: await browseServices(parsed.data) };
}

export default function ServicesPage() {
  const { tree, filters, fieldErrors, result } = useLoaderData<typeof loader>();
  const filtered = FILTERS.some((name) => filters[name]);
  const search = new URLSearchParams(Object.entries(filters).filter(([, value]) => value)).toString();
  return (
    <>
      <h1>服务项目</h1>
      <p className="lead">社会组织和特色商家为本区居民提供的服务。选好条件，点“查找”。</p>
      <FilterForm label="筛选服务" clearTo={filtered ? "/services" : null}>
        <CategoryFilter label="服务类别" value={filters.category} errors={fieldErrors} />
        <PlaceFilters
          tree={tree}
          subdistrictId={filters.subdistrictId}
          communityId={filters.communityId}
          errors={fieldErrors}
        />
        <SelectField name="funding" label="收费方式" defaultValue={filters.funding} errors={fieldErrors}>
          <option value="">不限</option>
          {FUNDINGS.map((funding) => (
            <option key={funding} value={funding}>
              {FUNDING_LABELS[funding]}
            </option>
          ))}
        </SelectField>
        <SelectField
          name="providerKind"
          label="机构类型"
          defaultValue={filters.providerKind}
          errors={fieldErrors}
        >
          <option value="">不限</option>
          <ProviderKindOptions />
        </SelectField>
      </FilterForm>

      {result === null ? (
        <p className="form-message form-message--error" role="alert">
          筛选条件有误，请按标出的提示重新选择。
        </p>
      ) : (
        <section aria-labelledby="results-title">
          <h2 id="results-title">{`共 ${result.total} 项服务`}</h2>
          {result.total > 0 && result.items.length === 0 ? (
            <p className="card empty-state">
              这一页没有内容了。<Link to={`/services?${search}`}>回到第一页</Link>
            </p>
          ) : null}
          {result.total === 0 ? (
            <div className="card empty-state">
              <p>{filtered ? "没有找到符合条件的服务。" : "还没有已发布的服务。"}</p>
              <p>
                {filtered ? "可以换个类别、放宽地区，或者" : "您可以"}
                <Link to="/needs">发布您的需求</Link>，社区工作人员会帮您联系合适的机构。
              </p>
              {filtered ? (
                <Link className="button" to="/services">
                  查看全部服务
                </Link>
              ) : null}
            </div>
          ) : (
            <ul className="service-list">
              {result.items.map((service) => (
                <li key={service.id}>
                  <article className="card service-card" aria-labelledby={`s-${service.id}`}>
                    <h3 id={`s-${service.id}`}>
                      <Link className="service-card__link" to={`/services/${service.id}`}>
                        {service.title}
                      </Link>
                    </h3>
                    <p>
                      <span className="badge">{service.categoryName}</span>
                      <span className="badge badge--price">
                        {priceLabel(service.funding, service.priceFen)}
                      </span>
                    </p>
                    <p className="service-card__provider">
                      {service.provider.name}
                      <small>（{PROVIDER_KIND_LABELS[service.provider.kind]}）</small>
                    </p>
                    <p className="service-card__communities">{communitiesLine(service.communities)}</p>
                  </article>
                </li>
              ))}
            </ul>
          )}
          <Pager page={result.page} pageSize={result.pageSize} total={result.total} search={search} />
        </section>
      )}
    </>
  );
}
