import { idSchema, isStorableText, unreadableCharacters, z } from "~/lib/zod";

export const COMMUNITY_KINDS = ["URBAN", "VILLAGE_CONVERTED"] as const;
export const COMMUNITY_KIND_LABELS: Record<(typeof COMMUNITY_KINDS)[number], string> = {
  URBAN: "城市社区",
  VILLAGE_CONVERTED: "村改居社区",
};

const placeName = (what: string) =>
  z
    .string({ error: `请输入${what}名称` })
    .trim()
    .min(2, `${what}名称至少2个字`)
    .max(30, `${what}名称不能超过30个字`)
    .refine((name) => isStorableText(name), unreadableCharacters(`${what}名称`));

export const createSubdistrictSchema = z.object({
  districtId: idSchema("请选择所属区"),
  name: placeName("街道"),
});

export const renameSubdistrictSchema = z.object({
  subdistrictId: idSchema("请选择街道"),
  name: placeName("街道"),
});

export const createCommunitySchema = z.object({
  subdistrictId: idSchema("请选择所属街道"),
  name: placeName("社区"),
  kind: z.enum(COMMUNITY_KINDS, { error: "请选择社区类型" }),
});

export const updateCommunitySchema = z.object({
  communityId: idSchema("请选择社区"),
  name: placeName("社区"),
  kind: z.enum(COMMUNITY_KINDS, { error: "请选择社区类型" }),
});

const communityOut = z.object({ id: z.string(), name: z.string(), kind: z.enum(COMMUNITY_KINDS) });
export const territoryResponseSchema = z.object({
  districts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      subdistricts: z.array(
        z.object({ id: z.string(), name: z.string(), communities: z.array(communityOut) }),
      ),
    }),
  ),
});
export type TerritoryTree = z.infer<typeof territoryResponseSchema>;
