import { db } from "~/lib/db.server";
import type { Actor } from "../accounts/actor";
import { listOrganisedActivities, organisedActivitiesWhere } from "../activities/activity-views.server";
import { listNeeds } from "../needs/need-read.server";
import { authorize } from "../policy";
import { listProviders } from "../providers/queries.server";
import { reachableTerritory } from "../territory/territory.server";

// The workbench's front page (工作台, ADR 0030): what waits for the staff member within their reach,
// each figure counted by the same rule as the filtered list it links to, and the day's activities.

/** How many of the day's activities the front page lists; the rest are one tap away. */
const TODAY_SHOWN = 10;

export async function workbenchSummary(actor: Actor) {
  authorize(actor, "workbench.open", null);
  const reach = await reachableTerritory(actor);
  const first = { page: 1, pageSize: 1 };
  const [openNeeds, pendingProviders, today, waitlisted] = await Promise.all([
    listNeeds(actor, { ...first, status: "OPEN" }),
    listProviders(actor, {
      ...first,
      status: "PENDING",
      kind: undefined,
      communityId: undefined,
      changePending: false,
    }),
    listOrganisedActivities(actor, reach.communityIds, { page: 1, pageSize: TODAY_SHOWN, show: "today" }),
    db().registration.count({
      where: {
        status: "WAITLISTED",
        activity: organisedActivitiesWhere(actor, reach.communityIds, "waitlisted"),
      },
    }),
  ]);
  return {
    counts: {
      needsToAssign: openNeeds.total,
      providersToReview: pendingProviders.total,
      activitiesToday: today.total,
      waitlisted,
    },
    today: today.items,
  };
}
