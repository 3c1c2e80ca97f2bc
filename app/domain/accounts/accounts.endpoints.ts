import { type Endpoint, errorResponses } from "~/lib/openapi";
import { z } from "~/lib/zod";
import {
  communityServicePhoneSchema,
  servicePhoneSchema,
  territoryResponseSchema,
} from "../territory/territory.schema";
import {
  createStaffSchema,
  deleteAccountSchema,
  publicUserSchema,
  registerResidentSchema,
  signInSchema,
} from "./accounts.schema";
import {
  issuedResetCodeSchema,
  issueResetCodeSchema,
  passwordResetDoneSchema,
  redeemResetCodeSchema,
} from "./password-reset.schema";
import { myDataSchema, privacyConsentRecordSchema, privacyConsentSchema } from "./privacy.schema";
import { changePasswordSchema, revokedSessionsSchema, rotatedCredentialSchema } from "./security.schema";

// Accounts and territory endpoints, for the OpenAPI document (app/http/openapi.server.ts).

const userBody = z.object({ user: publicUserSchema });
const staffMemberSchema = publicUserSchema.extend({
  roleLabels: z.array(z.string()),
  canRemove: z.boolean().describe("调用者能否撤销此人的工作人员身份"),
});
const noBody = z.object({}).describe("无需请求内容，可发送 {} 或不发送");

export const ACCOUNT_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/auth/register",
    summary: "居民注册（privacyConsent: true 记录对《隐私政策》的同意；false 被拒绝）",
    auth: false,
    body: registerResidentSchema,
    responses: { 201: { description: "已注册", schema: userBody }, ...errorResponses(400, 409, 413, 429) },
  },
  {
    method: "post",
    path: "/api/v1/auth/token",
    summary: "登录，换取 API 令牌",
    auth: false,
    body: signInSchema,
    responses: {
      200: {
        description: "令牌",
        schema: z.object({ token: z.string(), expiresAt: z.string(), user: publicUserSchema }),
      },
      ...errorResponses(400, 401, 429),
    },
  },
  {
    method: "delete",
    path: "/api/v1/auth/token",
    summary: "注销当前令牌",
    auth: true,
    responses: { 204: { description: "已注销" }, ...errorResponses(401) },
  },
  {
    method: "get",
    path: "/api/v1/me",
    summary: "当前用户",
    auth: true,
    responses: {
      200: {
        description: "当前用户",
        schema: userBody.extend({
          privacyConsentRequired: z
            .boolean()
            .describe(
              "尚未同意当前版本的《隐私政策》（经 API 注册未传 privacyConsent、管理员开设的账号、政策更新后）",
            ),
        }),
      },
      ...errorResponses(401),
    },
  },
  {
    method: "post",
    path: "/api/v1/me/privacy-consent",
    summary: "同意当前版本的《隐私政策》（注册时未同意，或政策更新后）",
    auth: true,
    body: privacyConsentSchema,
    responses: {
      200: { description: "已记录同意", schema: privacyConsentRecordSchema },
      ...errorResponses(400, 401),
    },
  },
  {
    method: "post",
    path: "/api/v1/me/password",
    summary: "修改密码：其他设备上的登录全部失效，当前登录换发新凭证",
    auth: true,
    body: changePasswordSchema,
    responses: {
      200: {
        description: "已修改；API 令牌调用时返回新令牌（旧令牌失效），网页登录时新凭证在 Cookie 中",
        schema: rotatedCredentialSchema,
      },
      ...errorResponses(400, 401, 429),
    },
  },
  {
    method: "post",
    path: "/api/v1/me/sessions/revoke",
    summary: "退出所有设备：注销本人的全部登录和 API 令牌（包括当前这个）",
    auth: true,
    body: noBody,
    responses: {
      200: { description: "已注销的数量", schema: revokedSessionsSchema },
      ...errorResponses(401),
    },
  },
  {
    method: "post",
    path: "/api/v1/password-reset-codes",
    summary:
      "发放一次性密码重置码：工作人员当面核实居民身份后发放；8位数字，30分钟内有效，只能用一次，新码使旧码失效。只能发给辖区内居民的账号；未注册的号码、辖区外的号码和工作人员账号得到同一个回答。每位工作人员每小时最多20次",
    auth: true,
    body: issueResetCodeSchema,
    responses: {
      201: { description: "已发放；重置码只在这一次回答中出现", schema: issuedResetCodeSchema },
      ...errorResponses(400, 401, 403, 429),
    },
  },
  {
    method: "post",
    path: "/api/v1/auth/password-reset",
    summary:
      "用重置码设置新密码：该账号的全部登录和 API 令牌随即失效。手机号不对、重置码不对或已失效得到同一个回答；失败次数与登录共用限制",
    auth: false,
    body: redeemResetCodeSchema,
    responses: {
      200: { description: "新密码已生效，请重新登录", schema: passwordResetDoneSchema },
      ...errorResponses(400, 413, 429),
    },
  },
  {
    method: "get",
    path: "/api/v1/communities/{id}/service-phone",
    summary: "社区服务电话（公开）",
    auth: false,
    responses: {
      200: { description: "社区服务电话", schema: communityServicePhoneSchema },
      ...errorResponses(404),
    },
  },
  {
    method: "patch",
    path: "/api/v1/communities/{id}/service-phone",
    summary:
      "登记或修改社区服务电话（带区号的座机或手机号；null 或空字符串为撤下）：辖区覆盖该社区的工作人员",
    auth: true,
    body: servicePhoneSchema,
    responses: {
      200: { description: "已保存", schema: communityServicePhoneSchema },
      ...errorResponses(400, 401, 403, 404),
    },
  },
  {
    method: "get",
    path: "/api/v1/territory",
    summary: "区、街道、社区",
    auth: false,
    responses: { 200: { description: "辖区树", schema: territoryResponseSchema } },
  },
  {
    method: "get",
    path: "/api/v1/staff",
    summary: "辖区内的工作人员",
    auth: true,
    responses: {
      200: {
        description: "工作人员",
        schema: z.object({
          items: z.array(staffMemberSchema),
          total: z.number(),
        }),
      },
      ...errorResponses(401, 403),
    },
  },
  {
    method: "post",
    path: "/api/v1/staff",
    summary: "开设社区工作者或街道管理员账号",
    auth: true,
    body: createStaffSchema,
    responses: { 201: { description: "已开设", schema: userBody }, ...errorResponses(400, 401, 403, 409) },
  },
  {
    method: "delete",
    path: "/api/v1/staff/{id}",
    summary:
      "撤销工作人员身份（离职）：撤销调用者有权撤销的角色，对方下次请求起失去工作人员权限；账号保留，本人之后可自行注销。不能撤销自己",
    auth: true,
    responses: {
      200: { description: "已撤销；返回其余下的角色", schema: z.object({ user: staffMemberSchema }) },
      ...errorResponses(401, 403, 404, 409),
    },
  },
  {
    method: "get",
    path: "/api/v1/me/export",
    summary: "下载我的数据：本人的全部信息（JSON 文件，不含他人的个人信息）",
    auth: true,
    responses: {
      200: { description: "以附件下载（Content-Disposition: attachment），不缓存", schema: myDataSchema },
      ...errorResponses(401),
    },
  },
  {
    method: "delete",
    path: "/api/v1/me",
    summary: "注销账号：以密码确认；删除姓名、手机号和需求文字，只保留不含个人信息的统计",
    auth: true,
    body: deleteAccountSchema,
    responses: {
      204: { description: "已注销，所有登录和令牌失效" },
      ...errorResponses(400, 401, 409, 429),
    },
  },
];
