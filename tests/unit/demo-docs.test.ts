import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { demoProviderPlan } from "../../prisma/demo-marketplace";
import { DEMO_PROJECTS, demoTarget } from "../../prisma/demo-projects";
import { DEMO_SUBDISTRICTS, demoAccountsMarkdown, demoPlan } from "../../prisma/demo-territory";

describe("the demo data and its documentation", () => {
  it("docs/demo-accounts.md lists exactly the accounts the seed creates", () => {
    const documented = readFileSync("docs/demo-accounts.md", "utf8");
    expect(documented).toBe(demoAccountsMarkdown({ phone: "13800000000", password: "sanshe-admin-2026" }));
  });

  it("plans a district of at least 5 subdistricts and 30 communities of both kinds, with unique phones", () => {
    const plan = demoPlan();
    const communities = plan.flatMap((sd) => sd.communities);
    expect(plan.length).toBeGreaterThanOrEqual(5);
    expect(communities.length).toBeGreaterThanOrEqual(30);
    expect(new Set(communities.map((c) => c.kind))).toEqual(new Set(["URBAN", "VILLAGE_CONVERTED"]));
    const phones = [
      ...plan.flatMap((sd) => [
        sd.admin.phone,
        ...sd.communities.flatMap((c) => [c.worker.phone, ...c.residents.map((r) => r.phone)]),
      ]),
      ...demoProviderPlan(DEMO_SUBDISTRICTS).map((p) => p.owner.phone),
    ];
    expect(new Set(phones).size).toBe(phones.length);
    for (const phone of phones) expect(phone).toMatch(/^1[3-9]\d{9}$/);
  });

  it("plans providers in every review state, serving communities of their own subdistrict", () => {
    const providers = demoProviderPlan(DEMO_SUBDISTRICTS);
    expect(new Set(providers.map((p) => p.status))).toEqual(
      new Set(["APPROVED", "PENDING", "REJECTED", "SUSPENDED"]),
    );
    for (const provider of providers) {
      const size = DEMO_SUBDISTRICTS[provider.subdistrictIndex]?.communities.length ?? 0;
      expect(provider.communityIndexes.length).toBeGreaterThan(0);
      for (const c of provider.communityIndexes) expect(c).toBeLessThan(size);
    }
  });

  it("plans about five projects at every level: one finished, some on track, one behind", () => {
    expect(DEMO_PROJECTS.length).toBeGreaterThanOrEqual(5);
    expect(new Set(DEMO_PROJECTS.map((p) => p.level))).toEqual(
      new Set(["DISTRICT", "SUBDISTRICT", "COMMUNITY"]),
    );
    expect(DEMO_PROJECTS.filter((p) => p.shape === "completed").map((p) => p.endsIn < 0)).toEqual([true]);
    expect(DEMO_PROJECTS.filter((p) => p.shape === "behind")).toHaveLength(1);
    for (const p of DEMO_PROJECTS.filter((p) => p.shape !== "completed"))
      expect(p.startsIn < 0 && p.endsIn > 0).toBe(true);
  });

  it("sets targets the linear pace reads as planned", () => {
    // 30 of 366 days in, 10 done: the pace expects target × 30 / 366.
    const expected = (target: number) => Math.floor((target * 30) / 366);
    expect(expected(demoTarget(10, 30, 366, "onTrack"))).toBeLessThanOrEqual(10);
    expect(expected(demoTarget(10, 30, 366, "behind"))).toBeGreaterThan(10);
    expect(demoTarget(10, 366, 366, "completed")).toBeLessThanOrEqual(10);
  });
});
