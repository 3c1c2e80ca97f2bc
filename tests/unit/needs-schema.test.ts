import { describe, expect, it } from "vitest";
import {
  closeNeedSchema,
  fulfilNeedSchema,
  NEED_STATUS_LABELS,
  NEED_STATUSES,
  needListQuerySchema,
  openNeedsQuerySchema,
  postNeedSchema,
} from "~/domain/needs/needs.schema";
import { fieldErrorsFrom, type z } from "~/lib/zod";

// The needs input rules shared by the API and the forms.

const CJK = /[\u4e00-\u9fff]/;

function errorsOf(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return fieldErrorsFrom(result.error);
}

const need = (overrides: Record<string, unknown> = {}) => ({
  title: "老人需要上门探访",
  description: "家里老人独居，希望每周有人上门看看。",
  category: "elderly-care",
  ...overrides,
});

describe("postNeedSchema", () => {
  it("accepts a minimal need and fills in the defaults", () => {
    expect(postNeedSchema.parse(need())).toEqual({
      title: "老人需要上门探访",
      description: "家里老人独居，希望每周有人上门看看。",
      category: "elderly-care",
      urgency: "NORMAL",
    });
  });

  it("trims text, keeps line breaks and treats blank optional fields as not given (as forms send them)", () => {
    const parsed = postNeedSchema.parse(
      need({
        title: "  助餐服务需求  ",
        description: "第一行说明情况\n第二行补充说明",
        communityId: "",
        preferredTime: "   ",
        requesterPhone: "",
        requesterName: " ",
        urgency: "HIGH",
      }),
    );
    expect(parsed).toEqual({
      title: "助餐服务需求",
      description: "第一行说明情况\n第二行补充说明",
      category: "elderly-care",
      urgency: "HIGH",
    });
  });

  it("accepts a 代办 with a normalised phone number and a name", () => {
    const parsed = postNeedSchema.parse(
      need({ requesterPhone: "１３８ 1234-5678", requesterName: " 王秀英 ", communityId: "c123" }),
    );
    expect(parsed).toMatchObject({
      requesterPhone: "13812345678",
      requesterName: "王秀英",
      communityId: "c123",
    });
  });

  it.each([
    ["title", { title: "短" }, "标题至少4个字"],
    ["title", { title: "长".repeat(61) }, "标题不能超过60个字"],
    ["title", { title: undefined }, "请填写标题"],
    ["title", { title: "一二三\u0000四" }, "标题含有无法识别的字符，请重新输入"],
    ["description", { description: "太短了" }, "需求描述至少10个字"],
    ["description", { description: "长".repeat(2001) }, "需求描述不能超过2000个字"],
    ["category", { category: "cooking" }, "请选择需求类别"],
    ["category", { category: "" }, "请选择需求类别"],
    ["urgency", { urgency: "VERY" }, "请选择紧急程度：不急、一般或紧急"],
    ["preferredTime", { preferredTime: "时".repeat(61) }, "希望的时间不能超过60个字"],
    ["communityId", { communityId: "a\u0000b" }, "编号格式不正确"],
    ["communityId", { communityId: "x".repeat(65) }, "编号格式不正确"],
    ["requesterPhone", { requesterPhone: "12345" }, "请输入11位中国大陆手机号，如 13812345678"],
    ["requesterName", { requesterName: "名".repeat(31) }, "姓名不能超过30个字"],
    ["requesterName", { requesterName: "王\u0000" }, "姓名含有无法识别的字符，请重新输入"],
  ])("rejects a bad %s with a Chinese message", (field, overrides, message) => {
    const errors = errorsOf(postNeedSchema, need(overrides));
    expect(errors[field]).toBe(message);
    expect(errors[field]).toMatch(CJK);
  });

  it("accepts titles of exactly 4 and 60 characters and descriptions of 10 and 2000", () => {
    for (const title of ["一二三四", "字".repeat(60)]) {
      expect(postNeedSchema.safeParse(need({ title })).success).toBe(true);
    }
    for (const description of ["一二三四五六七八九十", "字".repeat(2000)]) {
      expect(postNeedSchema.safeParse(need({ description })).success).toBe(true);
    }
  });
});

describe("closing and fulfilling", () => {
  it("requires a close reason of 2 to 500 characters", () => {
    expect(errorsOf(closeNeedSchema, {}).reason).toBe("请填写关闭原因");
    expect(errorsOf(closeNeedSchema, { reason: " 好 " }).reason).toBe("关闭原因至少2个字");
    expect(errorsOf(closeNeedSchema, { reason: "字".repeat(501) }).reason).toBe("关闭原因不能超过500个字");
    expect(closeNeedSchema.parse({ reason: " 居民已搬离 " })).toEqual({ reason: "居民已搬离" });
  });

  it("takes a rating of 1 to 5 as a number (API) or a radio button's text (form)", () => {
    expect(fulfilNeedSchema.parse({ rating: 5, comment: "很好" })).toEqual({ rating: 5, comment: "很好" });
    expect(fulfilNeedSchema.parse({ rating: "3" })).toEqual({ rating: 3 });
    expect(fulfilNeedSchema.parse({ rating: "", comment: "" })).toEqual({});
    expect(fulfilNeedSchema.parse({})).toEqual({});
  });

  it.each([0, 6, 4.5, "五", "10", true, [5]])("rejects the rating %j", (rating) => {
    expect(errorsOf(fulfilNeedSchema, { rating }).rating).toBe("评分应为1到5的整数");
  });

  it("limits the comment to 500 characters", () => {
    expect(errorsOf(fulfilNeedSchema, { comment: "评".repeat(501) }).comment).toBe("评价不能超过500个字");
  });
});

describe("list queries", () => {
  it("reads query strings: numbers, blanks as 'all', defaults for paging", () => {
    expect(
      needListQuerySchema.parse({
        status: "OPEN",
        category: "",
        urgency: "HIGH",
        olderThanDays: "7",
        page: "2",
        pageSize: "50",
      }),
    ).toEqual({ status: "OPEN", urgency: "HIGH", olderThanDays: 7, page: 2, pageSize: 50 });
    expect(openNeedsQuerySchema.parse({})).toEqual({ page: 1, pageSize: 20 });
  });

  it.each([
    ["status", { status: "DONE" }],
    ["olderThanDays", { olderThanDays: "abc" }],
    ["olderThanDays", { olderThanDays: "0" }],
    ["newerThanDays", { newerThanDays: "1.5" }],
    ["pageSize", { pageSize: "101" }],
    ["sort", { sort: "random" }],
  ])("rejects a bad %s", (field, query) => {
    expect(errorsOf(needListQuerySchema, query)[field]).toMatch(CJK);
  });
});

describe("status labels", () => {
  it("names every status in Chinese", () => {
    expect(NEED_STATUSES.map((status) => NEED_STATUS_LABELS[status])).toEqual([
      "待对接",
      "已对接",
      "已安排",
      "已完成",
      "已取消",
      "已关闭",
    ]);
  });
});
