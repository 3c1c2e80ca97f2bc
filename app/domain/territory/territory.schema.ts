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

/** A Chinese landline with its area code (0571-88886666, 010-12345678, an extension after a second
 * dash) or a mainland mobile: something a phone can dial from anywhere. */
const SERVICE_PHONE_PATTERN = /^(0\d{2,3}-\d{7,8}(-\d{1,6})?|1[3-9]\d{9})$/;
const SERVICE_PHONE_HINT = "请输入带区号的座机（如 0571-88886666）或11位手机号";

/** Typed as people write it: full-width digits and spaces are fixed, a landline's area code may come
 * without its dash or in brackets ("(0571)88886666"). */
export function normalizeServicePhone(raw: string): string {
  const plain = raw
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[－—]/g, "-")
    .replace(/\s/g, "")
    .replace(/^[（(](0\d{2,3})[）)]-?/, "$1-");
  const joined = /^0(10|2\d)\d{8}$/.test(plain)
    ? `${plain.slice(0, 3)}-${plain.slice(3)}`
    : /^0[3-9]\d{2}\d{7,8}$/.test(plain)
      ? `${plain.slice(0, 4)}-${plain.slice(4)}`
      : plain;
  return joined;
}

/** PATCH /api/v1/communities/:id/service-phone: a number, or null (or "") to take it down. */
export const servicePhoneSchema = z.object({
  servicePhone: z
    .string({ error: SERVICE_PHONE_HINT })
    .max(40, SERVICE_PHONE_HINT)
    .transform(normalizeServicePhone)
    .refine((phone) => phone === "" || SERVICE_PHONE_PATTERN.test(phone), SERVICE_PHONE_HINT)
    .transform((phone) => phone || null)
    .nullable(),
});

/** The 辖区管理 page's form: the community it is for, and the number (empty takes it down). */
export const servicePhoneFormSchema = servicePhoneSchema.extend({ communityId: idSchema("请选择社区") });

export const communityServicePhoneSchema = z.object({
  communityId: z.string(),
  name: z.string(),
  servicePhone: z.string().nullable().describe("社区服务电话；未登记时为 null"),
});

const communityOut = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(COMMUNITY_KINDS),
  servicePhone: z.string().nullable(),
});
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
