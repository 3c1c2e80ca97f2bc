import { describe, expect, it } from "vitest";
import type { TerritoryTree } from "~/domain/territory/territory.schema";
import { communityPath, findNode, isWithin, nodesUnder, territoryNodes } from "~/domain/territory/tree";

// The one walk of the territory tree: paths (ancestors), what lies under some nodes, and scope checks.

const community = (id: string) => ({ id, name: id, kind: "URBAN" as const, servicePhone: null });
const tree: TerritoryTree = {
  districts: [
    {
      id: "d1",
      name: "明湖区",
      subdistricts: [
        { id: "s1", name: "东湖街道", communities: [community("c1"), community("c2")] },
        { id: "s2", name: "西山街道", communities: [community("c3")] },
        { id: "s3", name: "新街道", communities: [] },
      ],
    },
  ],
};

describe("the territory tree", () => {
  it("walks every node top-down with its path", () => {
    expect([...territoryNodes(tree)].map((node) => `${node.level}:${node.id}`)).toEqual([
      "district:d1",
      "subdistrict:s1",
      "community:c1",
      "community:c2",
      "subdistrict:s2",
      "community:c3",
      "subdistrict:s3",
    ]);
  });

  it("finds a node's ancestors, and nothing for an unknown id", () => {
    expect(findNode(tree, "c3")?.path).toEqual({ districtId: "d1", subdistrictId: "s2", communityId: "c3" });
    expect(findNode(tree, "s1")).toMatchObject({
      level: "subdistrict",
      path: { districtId: "d1", subdistrictId: "s1" },
    });
    expect(findNode(tree, "d1")?.path).toEqual({ districtId: "d1" });
    expect(findNode(tree, "nope")).toBeUndefined();
  });

  it("expands nodes to everything under them, leaving unknown ids out", () => {
    expect(nodesUnder(tree, ["s1", "c3", "nope"])).toEqual({
      districtIds: [],
      subdistrictIds: ["s1"],
      communityIds: ["c1", "c2", "c3"],
    });
    expect(nodesUnder(tree, ["d1"]).communityIds).toEqual(["c1", "c2", "c3"]);
    expect(nodesUnder(tree, ["s3"]).communityIds).toEqual([]);
  });

  it("says whether a place lies within a scope", () => {
    const c1 = { districtId: "d1", subdistrictId: "s1", communityId: "c1" };
    expect(isWithin(c1, { districtId: "d1" })).toBe(true);
    expect(isWithin(c1, { districtId: "d1", subdistrictId: "s1" })).toBe(true);
    expect(isWithin(c1, { districtId: "d1", subdistrictId: "s2" })).toBe(false);
    expect(isWithin(c1, { ...c1, communityId: "c2" })).toBe(false);
    expect(isWithin({ districtId: "d1", subdistrictId: "s1" }, c1)).toBe(false);
    expect(isWithin({ districtId: "d2" }, { districtId: "d1" })).toBe(false);
  });

  it("gives a community row's path from its subdistrict's district", () => {
    expect(communityPath({ id: "c1", subdistrictId: "s1", subdistrict: { districtId: "d1" } })).toEqual({
      districtId: "d1",
      subdistrictId: "s1",
      communityId: "c1",
    });
  });
});
