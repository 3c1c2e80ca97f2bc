import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { AreaChoice } from "~/domain/territory/home-area";
import type { TerritoryTree } from "~/domain/territory/territory.schema";
import type { FieldErrors } from "~/lib/errors";
import { SelectField } from "./form";
import { CategoryOptions, CommunityOptions, SubdistrictOptions } from "./options";

// The GET form above the public lists (服务, 活动, 组织): the same pickers in the same order, so a
// resident who has used one knows the others.

/** The form, its fields, 查找, and 清除筛选 while a filter is set (`clearTo` names the bare list). */
export function FilterForm({
  label,
  clearTo,
  children,
}: {
  label: string;
  clearTo: string | null;
  children: ReactNode;
}) {
  return (
    <Form method="get" className="card filter-form" aria-label={label}>
      {children}
      <div className="actions">
        <button type="submit" className="button button--primary">
          查找
        </button>
        {clearTo ? (
          <Link className="button" to={clearTo}>
            清除筛选
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

/** 类别 of the catalog, "全部类别" first. */
export function CategoryFilter({
  label,
  value,
  errors,
}: {
  label: string;
  value?: string;
  errors?: FieldErrors;
}) {
  return (
    <SelectField name="category" label={label} defaultValue={value} errors={errors}>
      <option value="">全部类别</option>
      <CategoryOptions />
    </SelectField>
  );
}

/** 街道 and 社区 of the whole tree, "全部…" first. */
export function PlaceFilters({
  tree,
  subdistrictId,
  communityId,
  errors,
}: {
  tree: TerritoryTree;
  subdistrictId?: string;
  communityId?: string;
  errors?: FieldErrors;
}) {
  return (
    <>
      <SelectField name="subdistrictId" label="街道" defaultValue={subdistrictId} errors={errors}>
        <option value="">全部街道</option>
        <SubdistrictOptions tree={tree} />
      </SelectField>
      <SelectField name="communityId" label="社区" defaultValue={communityId} errors={errors}>
        <option value="">全部社区</option>
        <CommunityOptions tree={tree} />
      </SelectField>
    </>
  );
}

/** 本社区 / 本街道 / 全区 above a list a signed-in resident sees: plain links (no JavaScript), so one
 * tap widens the list; `hrefOf` keeps the page's other filters. */
export function AreaChoices({
  choices,
  hrefOf,
}: {
  choices: AreaChoice[];
  hrefOf: (params: Record<string, string>) => string;
}) {
  return (
    <nav className="tabs" aria-label="查看范围">
      <ul>
        {choices.map((choice) => (
          <li key={choice.label}>
            <Link
              className="tabs__link"
              to={hrefOf(choice.params)}
              aria-current={choice.current ? "page" : undefined}
            >
              {choice.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
