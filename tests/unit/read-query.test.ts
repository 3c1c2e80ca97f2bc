import { describe, expect, it } from "vitest";
import { needListQuerySchema } from "~/domain/needs/needs.schema";
import { directoryQuerySchema } from "~/domain/providers/providers.schema";
import { readPageQuery, readQuery } from "~/http/route.server";

// The two ways a route reads its query string: the API's strict readQuery and the pages' lenient
// readPageQuery, both with the area's shared schema.

const request = (search: string) => new Request(`http://x/list?${search}`);

describe("readQuery (API)", () => {
  it("parses the query string with the schema, or refuses it field by field", () => {
    expect(readQuery(directoryQuerySchema, request("kind=MERCHANT&page=2"))).toEqual({
      kind: "MERCHANT",
      page: 2,
      pageSize: 20,
    });
    expect(() => readQuery(directoryQuerySchema, request("kind=NGO"))).toThrow(
      expect.objectContaining({ code: "VALIDATION", fields: { kind: expect.stringMatching(/机构类型/) } }),
    );
  });
});

describe("readPageQuery (pages)", () => {
  it("gives the filters and what was typed when they parse", () => {
    expect(readPageQuery(directoryQuerySchema, request("kind=MERCHANT"))).toEqual({
      query: { kind: "MERCHANT", page: 1, pageSize: 20 },
      typed: { kind: "MERCHANT" },
      errors: undefined,
    });
    expect(readPageQuery(needListQuerySchema, new URL("http://x/n?category=legal&status=")).query).toEqual({
      category: "legal",
      page: 1,
      pageSize: 20,
    });
  });

  it("falls back to no filters and reports the bad one for the page to show", () => {
    expect(readPageQuery(directoryQuerySchema, request("kind=NGO&page=2"))).toEqual({
      query: { page: 1, pageSize: 20 },
      typed: {},
      errors: { kind: "机构类型只能是 SOCIAL_ORG（社会组织）或 MERCHANT（特色商家）" },
    });
    const bad = readPageQuery(needListQuerySchema, request("status=NOPE&category=legal"));
    expect(bad.query).toEqual({ page: 1, pageSize: 20 });
    expect(bad.errors?.status).toBe("请选择有效的需求状态");
  });
});
