import type { MatchStatus } from "@prisma/client";
import { idSchema, optionalInput, plainText, wholeNumber, z } from "~/lib/zod";
import { openNeedSchema } from "../needs/needs.schema";
import { FUNDINGS, serviceProviderSchema } from "../services/services.schema";

export const MATCH_STATUSES = [
  "PROPOSED",
  "ACCEPTED",
  "DECLINED",
  "WITHDRAWN",
] as const satisfies readonly MatchStatus[];
export const MATCH_STATUS_LABELS: Record<MatchStatus, string> = {
  PROPOSED: "待回复",
  ACCEPTED: "已接受",
  DECLINED: "已婉拒",
  WITHDRAWN: "已撤回",
};
export const MATCH_SIDE_LABELS = { STAFF: "社区推荐", PROVIDER: "机构主动接单" } as const;

export const DEFAULT_SUGGESTIONS = 10;
export const MAX_SUGGESTIONS = 50;

export const suggestionQuerySchema = z.object({
  limit: wholeNumber("limit ", 1, MAX_SUGGESTIONS).default(DEFAULT_SUGGESTIONS),
});

export const proposeMatchSchema = z.object({
  needId: idSchema("请选择需求"),
  serviceId: idSchema("请选择服务"),
  note: optionalInput(plainText("备注", 1, 500, true)),
});
export type ProposeMatchInput = z.output<typeof proposeMatchSchema>;

export const declineMatchSchema = z.object({ reason: optionalInput(plainText("婉拒原因", 1, 300, true)) });
export const withdrawMatchSchema = z.object({});

export const matchListQuerySchema = z
  .object({
    needId: idSchema("请选择需求").optional(),
    providerId: idSchema("请选择机构").optional(),
    status: z.enum(MATCH_STATUSES, { error: "状态不正确" }).optional(),
  })
  .refine((q) => Boolean(q.needId) !== Boolean(q.providerId), {
    message: "请提供 needId 或 providerId 之一",
    path: ["needId"],
  });

// What the API answers with.

const suggestedServiceSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  categoryName: z.string(),
  funding: z.enum(FUNDINGS),
  capacityPerWeek: z.number().int().nullable(),
  communityIds: z.array(z.string()),
});

export const serviceSuggestionSchema = z.object({
  service: suggestedServiceSchema,
  provider: serviceProviderSchema,
  score: z.number(),
  reasons: z.array(z.string()),
  /** A match for this need and service is already proposed or accepted. */
  proposed: z.boolean(),
});
export type ServiceSuggestion = z.infer<typeof serviceSuggestionSchema>;

export const needSuggestionSchema = z.object({
  need: openNeedSchema,
  /** Which of the provider's services fits (the one to offer). */
  service: z.object({ id: z.string(), title: z.string() }),
  /** Every published service of the provider that serves the need's community, the fitting one
   * first: the provider picks which to offer. */
  offerable: z.array(z.object({ id: z.string(), title: z.string() })),
  score: z.number(),
  reasons: z.array(z.string()),
  proposed: z.boolean(),
});
export type NeedSuggestion = z.infer<typeof needSuggestionSchema>;

export const matchSchema = z.object({
  id: z.string(),
  needId: z.string(),
  needTitle: z.string(),
  serviceId: z.string(),
  serviceTitle: z.string(),
  providerId: z.string(),
  providerName: z.string(),
  status: z.enum(MATCH_STATUSES),
  statusLabel: z.string(),
  proposedBy: z.enum(["STAFF", "PROVIDER"]),
  proposedByLabel: z.string(),
  /** Staff's note to the provider: for staff in scope and the provider only, null for the requester. */
  note: z.string().nullable(),
  score: z.number().nullable(),
  reasons: z.array(z.string()),
  declineReason: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  /** What the caller may do with it now. */
  actions: z.object({ accept: z.boolean(), decline: z.boolean(), withdraw: z.boolean() }),
});
export type MatchView = z.infer<typeof matchSchema>;
