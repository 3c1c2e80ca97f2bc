import type { TerritoryTree } from "~/domain/territory/territory.schema";

/** Community <option>s grouped by subdistrict, for every community picker. */
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
