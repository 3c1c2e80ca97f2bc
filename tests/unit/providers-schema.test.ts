import { describe, expect, it } from "vitest";
import {
  addMemberSchema,
  applyProviderSchema,
  directoryQuerySchema,
  PLACE_FIELD_PREFIX,
  providerInputFromForm,
  providerListQuerySchema,
  restoreProviderSchema,
  reviewProviderSchema,
  suspendProviderSchema,
  updateProviderSchema,
} from "~/domain/providers/providers.schema";
import { fieldErrorsFrom, type z } from "~/lib/zod";

// The input rules of provider onboarding, shared by the API and the forms: what they accept, how they
// normalise it, and the Chinese message each problem gets on its own field.

const CJK = /[\u4e00-\u9fff]/;

function errorsOf(schema: z.ZodType, input: unknown): Record<string, string> {
  const result = schema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
  return fieldErrorsFrom(result.error);
}

const application = (overrides: Record<string, unknown> = {}) => ({
  kind: "SOCIAL_ORG",
  name: "  幸福社工服务中心 ",
  uscc: "53100000500021676k",
  contactName: "张敏",
  contactPhone: "139 1234 5678",
  address: "幸福路12号3楼",
  description: "为社区老人提供上门探访和助餐服务。\n已服务十年。",
  communityIds: ["c-a1", "c-a2", "c-a1"],
  ...overrides,
});

describe("applyProviderSchema", () => {
  it("accepts an application and normalises it", () => {
    expect(applyProviderSchema.parse(application())).toEqual({
      kind: "SOCIAL_ORG",
      name: "幸福社工服务中心",
      uscc: "53100000500021676K",
      contactName: "张敏",
      contactPhone: "13912345678",
      address: "幸福路12号3楼",
      description: "为社区老人提供上门探访和助餐服务。\n已服务十年。",
      communityIds: ["c-a1", "c-a2"],
      subdistrictIds: [],
    });
  });

  it("accepts whole subdistricts instead of communities", () => {
    const parsed = applyProviderSchema.parse(
      application({ communityIds: undefined, subdistrictIds: ["sd-a"] }),
    );
    expect(parsed.communityIds).toEqual([]);
    expect(parsed.subdistrictIds).toEqual(["sd-a"]);
  });

  it("reports every missing field at once, in Chinese, including the service area", () => {
    const errors = errorsOf(applyProviderSchema, {});
    expect(Object.keys(errors).sort()).toEqual(
      [
        "address",
        "communityIds",
        "contactName",
        "contactPhone",
        "description",
        "kind",
        "name",
        "uscc",
      ].sort(),
    );
    for (const message of Object.values(errors)) expect(message).toMatch(CJK);
    expect(errors.communityIds).toBe("请至少选择一个服务的社区或街道");
    expect(errors.kind).toBe("请选择机构类型：社会组织或特色商家");
  });

  it("asks for a service area even when the other fields are fine", () => {
    expect(errorsOf(applyProviderSchema, application({ communityIds: [], subdistrictIds: [] }))).toEqual({
      communityIds: "请至少选择一个服务的社区或街道",
    });
  });

  it("names the USCC rule that failed", () => {
    expect(errorsOf(applyProviderSchema, application({ uscc: "53100000500021676" })).uscc).toBe(
      "统一社会信用代码应为18位，您输入了17位",
    );
    expect(errorsOf(applyProviderSchema, application({ uscc: "53100000500021676I" })).uscc).toContain(
      "第18位“I”不是有效字符",
    );
    expect(errorsOf(applyProviderSchema, application({ uscc: "53100000500021676A" })).uscc).toContain(
      "校验位不正确",
    );
  });

  it.each([
    [{ name: "幸" }, "name", "机构名称至少2个字"],
    [{ name: "幸".repeat(51) }, "name", "机构名称不能超过50个字"],
    [{ name: "幸福\u0000中心" }, "name", "机构名称含有无法识别的字符，请重新输入"],
    [{ name: "幸福\n中心" }, "name", "机构名称含有无法识别的字符，请重新输入"],
    [{ name: "幸福\uD800中心" }, "name", "机构名称含有无法识别的字符，请重新输入"],
    [{ contactName: "  " }, "contactName", "请填写联系人姓名"],
    [{ contactPhone: "12345" }, "contactPhone", "请输入11位中国大陆手机号，如 13812345678"],
    [{ address: "幸福路" }, "address", "机构地址至少5个字"],
    [{ description: "服务老人" }, "description", "机构简介至少10个字"],
    [{ description: "好".repeat(1001) }, "description", "机构简介不能超过1000个字"],
    [{ kind: "NGO" }, "kind", "请选择机构类型：社会组织或特色商家"],
    [{ communityIds: "c-a1" }, "communityIds", "社区应为编号的列表"],
    [{ communityIds: ["c-a1", "\u0000"] }, "communityIds", "所选社区编号格式不正确"],
    [{ communityIds: ["../../etc/passwd"] }, "communityIds", "所选社区编号格式不正确"],
    [{ communityIds: ["x".repeat(65)] }, "communityIds", "所选社区编号格式不正确"],
    [{ communityIds: Array.from({ length: 201 }, (_, i) => `c${i}`) }, "communityIds", "最多选择200个社区"],
    [{ subdistrictIds: [42] }, "subdistrictIds.0", "街道编号应为文字"],
  ])("rejects %j on %s", (overrides, field, message) => {
    expect(errorsOf(applyProviderSchema, application(overrides))[field]).toBe(message);
  });

  it("keeps line breaks in the description (it is several paragraphs)", () => {
    expect(
      applyProviderSchema.parse(application({ description: "第一段介绍文字。\r\n第二段介绍。" })).description,
    ).toBe("第一段介绍文字。\r\n第二段介绍。");
  });
});

describe("updateProviderSchema (PATCH)", () => {
  it("accepts any subset, without filling in absent lists", () => {
    expect(updateProviderSchema.parse({})).toEqual({});
    expect(updateProviderSchema.parse({ name: "新名称中心" })).toEqual({ name: "新名称中心" });
    expect(updateProviderSchema.parse({ subdistrictIds: ["sd-a"] })).toEqual({ subdistrictIds: ["sd-a"] });
  });

  it("refuses lists that name no place, and checks the fields that are sent", () => {
    expect(errorsOf(updateProviderSchema, { communityIds: [] })).toEqual({
      communityIds: "请至少选择一个服务的社区或街道",
    });
    expect(errorsOf(updateProviderSchema, { communityIds: [], subdistrictIds: [] }).communityIds).toBe(
      "请至少选择一个服务的社区或街道",
    );
    expect(errorsOf(updateProviderSchema, { uscc: "123" }).uscc).toBe(
      "统一社会信用代码应为18位，您输入了3位",
    );
    expect(errorsOf(updateProviderSchema, { name: "" }).name).toBe("请填写机构名称");
  });
});

describe("review, suspend, restore", () => {
  it("approves without a reason and stores none", () => {
    expect(reviewProviderSchema.parse({ decision: "APPROVE" })).toEqual({ decision: "APPROVE" });
    expect(reviewProviderSchema.parse({ decision: "APPROVE", reason: "" })).toEqual({
      decision: "APPROVE",
      reason: "",
    });
  });

  it("requires a reason to reject", () => {
    expect(errorsOf(reviewProviderSchema, { decision: "REJECT" })).toEqual({
      reason: "请填写不通过的原因，申请人会看到它",
    });
    expect(errorsOf(reviewProviderSchema, { decision: "REJECT", reason: "" }).reason).toBe(
      "请填写不通过的原因，申请人会看到它",
    );
    expect(errorsOf(reviewProviderSchema, { decision: "REJECT", reason: "   " }).reason).toBe(
      "请填写不通过的原因",
    );
    expect(reviewProviderSchema.parse({ decision: "REJECT", reason: " 信用代码与证书不符 " })).toEqual({
      decision: "REJECT",
      reason: "信用代码与证书不符",
    });
  });

  it("names an unknown decision without also asking for a reason", () => {
    expect(errorsOf(reviewProviderSchema, { decision: "MAYBE" })).toEqual({
      decision: "请选择审核结果：通过或不通过",
    });
    expect(errorsOf(reviewProviderSchema, { decision: "REJECT", reason: "好".repeat(201) }).reason).toBe(
      "不通过的原因不能超过200个字",
    );
  });

  it("requires a reason to suspend; restoring takes none", () => {
    expect(errorsOf(suspendProviderSchema, {})).toEqual({ reason: "请填写暂停的原因" });
    expect(suspendProviderSchema.parse({ reason: "多次被投诉未按约上门" })).toEqual({
      reason: "多次被投诉未按约上门",
    });
    expect(restoreProviderSchema.parse({ reason: "ignored" })).toEqual({});
  });

  it("adds members by a phone number typed any common way", () => {
    expect(addMemberSchema.parse({ phone: "１３９ １２３４ ５６７８" })).toEqual({ phone: "13912345678" });
    expect(errorsOf(addMemberSchema, { phone: "" }).phone).toMatch(CJK);
  });
});

describe("list queries", () => {
  it("treat empty filters as absent and default the paging", () => {
    expect(providerListQuerySchema.parse({ status: "", kind: "", communityId: "" })).toEqual({
      changePending: false,
      page: 1,
      pageSize: 20,
    });
    expect(
      providerListQuerySchema.parse({ status: "PENDING", kind: "MERCHANT", communityId: "c-a1", page: "2" }),
    ).toEqual({
      status: "PENDING",
      kind: "MERCHANT",
      communityId: "c-a1",
      changePending: false,
      page: 2,
      pageSize: 20,
    });
    expect(providerListQuerySchema.parse({ changePending: "1" }).changePending).toBe(true);
    expect(
      directoryQuerySchema.parse({ kind: "SOCIAL_ORG", subdistrictId: "sd-a", pageSize: "100" }),
    ).toEqual({
      kind: "SOCIAL_ORG",
      subdistrictId: "sd-a",
      page: 1,
      pageSize: 100,
    });
  });

  it("name the filter that is wrong", () => {
    expect(
      errorsOf(providerListQuerySchema, { status: "DONE", pageSize: "101", communityId: "\u0000" }),
    ).toEqual({
      status: "状态只能是 PENDING、APPROVED、REJECTED 或 SUSPENDED",
      pageSize: "每页条数不能超过100",
      communityId: "编号格式不正确",
    });
    expect(errorsOf(directoryQuerySchema, { kind: "NGO", page: "0" })).toEqual({
      kind: "机构类型只能是 SOCIAL_ORG（社会组织）或 MERCHANT（特色商家）",
      page: "页码至少为1",
    });
  });
});

describe("providerInputFromForm", () => {
  it("gathers the service-area checkboxes into id lists", () => {
    const form = {
      name: "幸福社工服务中心",
      [`${PLACE_FIELD_PREFIX.community}c-a1`]: "on",
      [`${PLACE_FIELD_PREFIX.community}c-b2`]: "on",
      [`${PLACE_FIELD_PREFIX.subdistrict}sd-a`]: "on",
    };
    const input = providerInputFromForm(form);
    expect(input.communityIds.sort()).toEqual(["c-a1", "c-b2"]);
    expect(input.subdistrictIds).toEqual(["sd-a"]);
    expect(input).toMatchObject({ name: "幸福社工服务中心" });
  });

  it("gives empty lists when nothing is ticked, which the schema then refuses", () => {
    const input = providerInputFromForm({ communityIds: "c-a1" });
    expect(input.communityIds).toEqual([]);
    expect(input.subdistrictIds).toEqual([]);
    expect(errorsOf(applyProviderSchema, input).communityIds).toBe("请至少选择一个服务的社区或街道");
  });
});
