import type { Prisma } from "@prisma/client";
import type { TerritoryPath } from "../policy";
import { communityPath } from "./tree";

// A row's place in the territory tree, read along with the row: what to select of its community, and
// the path the policy checks.

/** Select this as a row's `community` to know where it sits (and the community's name). */
export const communityPlaceSelect = {
  select: { name: true, subdistrictId: true, subdistrict: { select: { districtId: true } } },
} satisfies Prisma.CommunityDefaultArgs;

/** Select this as a row's `community` to show it with its subdistrict's name and check its place
 * (communityPath in tree.ts). */
export const namedCommunitySelect = {
  select: {
    id: true,
    name: true,
    subdistrictId: true,
    subdistrict: { select: { name: true, districtId: true } },
  },
} satisfies Prisma.CommunityDefaultArgs;

type Placed = {
  communityId: string;
  community: { subdistrictId: string; subdistrict: { districtId: string } };
};

/** The full path (district, subdistrict, community) of a row selected with communityPlaceSelect. */
export const placeOf = (row: Placed): Required<TerritoryPath> =>
  communityPath({ id: row.communityId, ...row.community });
