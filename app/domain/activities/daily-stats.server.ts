import { chinaDay } from "~/lib/china-time";
import { notFound, validationError } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { authorize } from "../policy";
import { communityActivityDays } from "../stats/figures.server";
import { findCommunityPath } from "../territory/territory.server";

// A community's daily activity figures for its staff: what the worker tallied, day by day (the same
// rows the statistics are read from).

const DAY_MS = 24 * 3600 * 1000;
export const MAX_DAYS = 400;

export async function communityDailyFigures(
  actor: Actor,
  communityId: string,
  range: { from?: Date; to?: Date },
) {
  const path = await findCommunityPath(communityId);
  if (!path) throw notFound("该社区不存在");
  authorize(actor, "territory.view", path);
  const to = range.to ?? chinaDay(new Date());
  const from = range.from ?? new Date(to.getTime() - 29 * DAY_MS);
  if (from > to) throw validationError({ from: "开始日期应早于结束日期" });
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS)
    throw validationError({ from: `一次最多查询${MAX_DAYS}天` });
  const days = await communityActivityDays(communityId, { from, to });
  const total = days.reduce(
    (sum, d) => ({
      activitiesHeld: sum.activitiesHeld + d.activitiesHeld,
      registered: sum.registered + d.registered,
      checkedIn: sum.checkedIn + d.checkedIn,
      walkIns: sum.walkIns + d.walkIns,
      personTimes: sum.personTimes + d.personTimes,
    }),
    { activitiesHeld: 0, registered: 0, checkedIn: 0, walkIns: 0, personTimes: 0 },
  );
  return {
    communityId,
    from: from.toISOString().slice(0, 10),
    to: to.toISOString().slice(0, 10),
    days,
    total,
  };
}
