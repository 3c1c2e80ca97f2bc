import { CATEGORIES, PROVIDER_KIND_LABELS } from "~/domain/catalog/categories";
import { PROVIDER_KINDS } from "~/domain/providers/providers.schema";
import type { TerritoryTree } from "~/domain/territory/territory.schema";

// <option> lists shared by the pickers and filter forms.

/** Community <option>s grouped by subdistrict. */
export function CommunityOptions({ tree }: { tree: TerritoryTree }) {
  return (
    <>
      {tree.districts.flatMap((district) =>
        district.subdistricts.map((subdistrict) => (
          <optgroup key={subdistrict.id} label={`${district.name} · ${subdistrict.name}`}>
            {subdistrict.communities.map((community) => (
              <option key={community.id} value={community.id}>
                {community.name}
              </option>
            ))}
          </optgroup>
        )),
      )}
    </>
  );
}

/** Subdistrict <option>s, for filters by subdistrict. */
export function SubdistrictOptions({ tree }: { tree: TerritoryTree }) {
  return (
    <>
      {tree.districts.flatMap((district) =>
        district.subdistricts.map((subdistrict) => (
          <option key={subdistrict.id} value={subdistrict.id}>
            {subdistrict.name}
          </option>
        )),
      )}
    </>
  );
}

/** The fixed category list, in the order of API.md. */
export function CategoryOptions() {
  return (
    <>
      {CATEGORIES.map((category) => (
        <option key={category.code} value={category.code}>
          {category.name}
        </option>
      ))}
    </>
  );
}

/** 社会组织 / 特色商家. */
export function ProviderKindOptions() {
  return (
    <>
      {PROVIDER_KINDS.map((kind) => (
        <option key={kind} value={kind}>
          {PROVIDER_KIND_LABELS[kind]}
        </option>
      ))}
    </>
  );
}
