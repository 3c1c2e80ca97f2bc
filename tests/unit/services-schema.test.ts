import { describe, expect, it } from "vitest";
import { CATEGORY_CODES } from "~/domain/catalog/categories";
import {
  browseQuerySchema,
  communityCheckboxName,
  createServiceSchema,
  fundingPriceError,
  MAX_PRICE_FEN,
  priceLabel,
  readServiceForm,
  serviceFormSchema,
  updateServiceSchema,
  yuanToFen,
} from "~/domain/services/services.schema";
import { fenToYuan } from "~/lib/money";
import { fieldErrorsFrom, type z } from "~/lib/zod";

// The service catalog's input rules, shared by the API and the forms: funding and price go
// together, prices typed in yuan become fen exactly, and every message is Chinese.

const CJK = /[\u4e00-\u9fff]/;

function errorsOf(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  const fields = fieldErrorsFrom(result.error);
  for (const message of Object.values(fields)) expect(message).toMatch(CJK);
  return fields;
}

const apiInput = (overrides: Record<string, unknown> = {}) => ({
  providerId: "ckprovider0000000000000001",
  title: "老年人助浴上门服务",
  description: "每周二、周四上门为行动不便的老人助浴，需提前一天预约。",
  category: "elderly-care",
  communityIds: ["ckcommunity000000000000001"],
  funding: "FREE",
  ...overrides,
});

describe("yuan → fen", () => {
  it.each([
    ["50", 5000],
    ["50.00", 5000],
    ["12.5", 1250],
    ["12.05", 1205],
    ["0.01", 1],
    ["12.", 1200],
    ["¥8.80", 880],
    ["￥8.80元", 880],
    ["１２．５", 1250],
    [" 1,000 ", 100000],
    ["100000", MAX_PRICE_FEN],
    ["007", 700],
  ])("%j is %i fen", (typed, fen) => {
    expect(yuanToFen(typed)).toEqual({ fen });
  });

  it.each([
    ["12.345", "两位小数"],
    ["0.001", "两位小数"],
    ["0", "大于0"],
    ["0.00", "大于0"],
    ["100000.01", "不能超过100000元"],
    ["99999999999999999999", "不能超过100000元"],
    ["-5", "数字"],
    ["abc", "数字"],
    ["1e3", "数字"],
    [".5", "数字"],
    ["5..0", "数字"],
    ["", "数字"],
  ])("%j is refused (%s)", (typed, reason) => {
    const result = yuanToFen(typed);
    expect("error" in result ? result.error : "").toContain(reason);
  });

  it("formats fen back to yuan without floating-point drift", () => {
    expect(fenToYuan(1)).toBe("0.01");
    expect(fenToYuan(1205)).toBe("12.05");
    expect(fenToYuan(5000)).toBe("50.00");
    expect(fenToYuan(MAX_PRICE_FEN)).toBe("100000.00");
    for (const fen of [1, 7, 10, 99, 101, 1999, 123456, 9_999_999]) {
      expect(yuanToFen(fenToYuan(fen))).toEqual({ fen });
    }
  });

  it("labels prices for cards", () => {
    expect(priceLabel("PAID", 5000)).toBe("¥50.00/次");
    expect(priceLabel("FREE", null)).toBe("免费");
    expect(priceLabel("GOVERNMENT_PURCHASED", null)).toContain("政府购买");
  });
});

describe("funding and price go together", () => {
  it.each([
    ["PAID", 5000, null],
    ["PAID", null, "收费服务请填写价格"],
    ["PAID", undefined, "收费服务请填写价格"],
    ["FREE", null, null],
    ["FREE", 100, "不填写价格"],
    ["GOVERNMENT_PURCHASED", undefined, null],
    ["GOVERNMENT_PURCHASED", 100, "不填写价格"],
  ] as const)("%s with price %j", (funding, priceFen, message) => {
    const error = fundingPriceError(funding, priceFen);
    if (message === null) expect(error).toBeNull();
    else expect(error).toContain(message);
  });
});

describe("createServiceSchema (API)", () => {
  it("accepts a free service and trims text, folding duplicate communities", () => {
    const parsed = createServiceSchema.parse(
      apiInput({
        title: "  老年人助浴上门服务 ",
        communityIds: ["ckcommunity000000000000001", "ckcommunity000000000000001"],
      }),
    );
    expect(parsed.title).toBe("老年人助浴上门服务");
    expect(parsed.communityIds).toEqual(["ckcommunity000000000000001"]);
    expect(parsed.status).toBeUndefined();
  });

  it("accepts a paid service with a price in fen, a capacity and DRAFT", () => {
    const parsed = createServiceSchema.parse(
      apiInput({ funding: "PAID", priceFen: 5000, capacityPerWeek: 20, status: "DRAFT" }),
    );
    expect(parsed).toMatchObject({ funding: "PAID", priceFen: 5000, capacityPerWeek: 20, status: "DRAFT" });
  });

  it("knows every category of API.md", () => {
    for (const category of CATEGORY_CODES) {
      expect(createServiceSchema.safeParse(apiInput({ category })).success).toBe(true);
    }
    expect(errorsOf(createServiceSchema, apiInput({ category: "cooking" })).category).toBe("请选择服务类别");
  });

  it.each([
    [{ funding: "PAID" }, "priceFen", "收费服务请填写价格"],
    [{ funding: "PAID", priceFen: null }, "priceFen", "收费服务请填写价格"],
    [{ funding: "FREE", priceFen: 100 }, "priceFen", "不填写价格"],
    [{ funding: "GOVERNMENT_PURCHASED", priceFen: 100 }, "priceFen", "不填写价格"],
    [{ funding: "PAID", priceFen: 0 }, "priceFen", "大于0"],
    [{ funding: "PAID", priceFen: -100 }, "priceFen", "大于0"],
    [{ funding: "PAID", priceFen: 12.5 }, "priceFen", "整数"],
    [{ funding: "PAID", priceFen: MAX_PRICE_FEN + 1 }, "priceFen", "不能超过"],
    [{ funding: "PAID", priceFen: "5000" }, "priceFen", "整数"],
    [{ funding: "BARTER" }, "funding", "收费方式"],
    [{ capacityPerWeek: 0 }, "capacityPerWeek", "至少为1"],
    [{ capacityPerWeek: 10_001 }, "capacityPerWeek", "不能超过10000"],
    [{ capacityPerWeek: 2.5 }, "capacityPerWeek", "整数"],
    [{ communityIds: [] }, "communityIds", "请至少选择一个服务社区"],
    [{ communityIds: "ckcommunity000000000000001" }, "communityIds", "请选择服务的社区"],
    [{ communityIds: ["bad id with spaces"] }, "communityIds", "格式不正确"],
    [{ communityIds: ["a\u0000b"] }, "communityIds", "格式不正确"],
    [{ providerId: "" }, "providerId", "请选择发布服务的机构"],
    [{ providerId: "x\u0000" }, "providerId", "编号格式不正确"],
    [{ title: "" }, "title", "请填写服务名称"],
    [{ title: "助" }, "title", "至少2个字"],
    [{ title: "助".repeat(51) }, "title", "不能超过50个字"],
    [{ title: "助浴\n服务" }, "title", "无法识别的字符"],
    [{ title: "助浴\u0000服务" }, "title", "无法识别的字符"],
    [{ title: "助浴\uD800服务" }, "title", "无法识别的字符"],
    [{ description: "太短" }, "description", "至少10个字"],
    [{ description: "很".repeat(2001) }, "description", "不能超过2000个字"],
    [{ status: "ARCHIVED" }, "status", "DRAFT"],
  ])("%j → %s", (overrides, field, message) => {
    expect(errorsOf(createServiceSchema, apiInput(overrides))[field]).toContain(message);
  });

  it("keeps line breaks in the description", () => {
    const description = "第一行：上门助浴。\n第二行：需提前预约。";
    expect(createServiceSchema.parse(apiInput({ description })).description).toBe(description);
  });

  it("reports every missing field at once", () => {
    expect(Object.keys(errorsOf(createServiceSchema, {})).sort()).toEqual(
      ["category", "communityIds", "description", "funding", "providerId", "title"].sort(),
    );
  });
});

describe("updateServiceSchema (PATCH)", () => {
  it("accepts any subset and null to clear the capacity", () => {
    expect(updateServiceSchema.parse({ title: "新的服务名称" })).toEqual({ title: "新的服务名称" });
    expect(updateServiceSchema.parse({ capacityPerWeek: null })).toEqual({ capacityPerWeek: null });
  });

  it("refuses an empty patch and bad values", () => {
    expect(errorsOf(updateServiceSchema, {})._).toBe("没有要修改的内容");
    expect(errorsOf(updateServiceSchema, { status: "ARCHIVED" })._).toBe("没有要修改的内容");
    expect(errorsOf(updateServiceSchema, { priceFen: 0 }).priceFen).toContain("大于0");
    expect(errorsOf(updateServiceSchema, { communityIds: [] }).communityIds).toContain("至少选择一个");
  });
});

describe("serviceFormSchema (web form)", () => {
  const c1 = "ckcommunity000000000000001";
  const c2 = "ckcommunity000000000000002";
  const form = (overrides: Record<string, string> = {}) =>
    readServiceForm({
      title: "老年人助浴上门服务",
      description: "每周二、周四上门为行动不便的老人助浴，需提前一天预约。",
      category: "elderly-care",
      funding: "PAID",
      priceYuan: "50",
      capacityPerWeek: "",
      intent: "publish",
      [communityCheckboxName(c1)]: "on",
      [communityCheckboxName(c2)]: "on",
      ...overrides,
    });

  it("gathers the community checkboxes and converts yuan to fen", () => {
    const parsed = serviceFormSchema.parse(form({ priceYuan: "12.50", capacityPerWeek: "２０" }));
    expect(parsed.communityIds.sort()).toEqual([c1, c2].sort());
    expect(parsed.priceFen).toBe(1250);
    expect(parsed.capacityPerWeek).toBe(20);
    expect(parsed).not.toHaveProperty("priceYuan");
  });

  it("takes an empty price and capacity as none", () => {
    const parsed = serviceFormSchema.parse(form({ funding: "FREE", priceYuan: "  " }));
    expect(parsed.priceFen).toBeNull();
    expect(parsed.capacityPerWeek).toBeNull();
  });

  it.each([
    [{ priceYuan: "12.345" }, "priceYuan", "两位小数"],
    [{ priceYuan: "abc" }, "priceYuan", "数字"],
    [{ priceYuan: "" }, "priceYuan", "收费服务请填写价格"],
    [{ priceYuan: "0" }, "priceYuan", "大于0"],
    [{ priceYuan: "100001" }, "priceYuan", "不能超过100000元"],
    [{ funding: "FREE", priceYuan: "50" }, "priceYuan", "不填写价格"],
    [{ funding: "GOVERNMENT_PURCHASED", priceYuan: "50" }, "priceYuan", "不填写价格"],
    [{ funding: "" }, "funding", "请选择收费方式"],
    [{ capacityPerWeek: "abc" }, "capacityPerWeek", "整数"],
    [{ capacityPerWeek: "2.5" }, "capacityPerWeek", "整数"],
    [{ capacityPerWeek: "0" }, "capacityPerWeek", "至少为1"],
    [{ capacityPerWeek: "99999" }, "capacityPerWeek", "不能超过10000"],
    [{ category: "" }, "category", "请选择服务类别"],
  ])("%j → %s", (overrides, field, message) => {
    expect(errorsOf(serviceFormSchema, form(overrides))[field]).toContain(message);
  });

  it("asks for at least one community when no box is ticked", () => {
    const values = form();
    expect(errorsOf(serviceFormSchema, { ...values, communityIds: [] }).communityIds).toBe(
      "请至少选择一个服务社区",
    );
  });
});

describe("browseQuerySchema", () => {
  it("treats empty selects as 'any' and pages from 1 by 20", () => {
    expect(
      browseQuerySchema.parse({
        category: "",
        subdistrictId: "",
        communityId: "",
        funding: "",
        providerKind: "",
      }),
    ).toEqual({ page: 1, pageSize: 20 });
  });

  it("reads filters and paging from query strings", () => {
    expect(
      browseQuerySchema.parse({
        category: "legal",
        funding: "PAID",
        providerKind: "MERCHANT",
        page: "3",
        pageSize: "5",
      }),
    ).toEqual({ category: "legal", funding: "PAID", providerKind: "MERCHANT", page: 3, pageSize: 5 });
  });

  it.each([
    [{ category: "cooking" }, "category"],
    [{ funding: "CHEAP" }, "funding"],
    [{ providerKind: "GOVERNMENT" }, "providerKind"],
    [{ communityId: "x'; DROP TABLE" }, "communityId"],
    [{ subdistrictId: "\u0000" }, "subdistrictId"],
    [{ pageSize: "101" }, "pageSize"],
    [{ page: "0" }, "page"],
  ])("%j is refused on %s", (query, field) => {
    expect(errorsOf(browseQuerySchema, query)[field]).toEqual(expect.any(String));
  });
});
