import { CATEGORIES, PROVIDER_KIND_LABELS } from "~/domain/catalog/categories";
import { PROVIDER_KINDS } from "~/domain/providers/providers.schema";
import type { TerritoryTree } from "~/domain/territory/territory.schema";
import { type CommunityGroup, communityGroups } from "~/domain/territory/tree";

// <option> lists shared by the pickers and filter forms.

/** Community <option>s under one <optgroup> per subdistrict. */
export function GroupedCommunityOptions({ groups }: { groups: CommunityGroup[] }) {
  return (
    <>
      {groups.map((group) => (
        <optgroup key={group.id} label={group.name}>
          {group.communities.map((community) => (
            <option key={community.id} value={community.id}>
              {community.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}

/** Every community of the tree, grouped by "district · subdistrict". */
export function CommunityOptions({ tree }: { tree: TerritoryTree }) {
  return <GroupedCommunityOptions groups={communityGroups(tree)} />;
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
