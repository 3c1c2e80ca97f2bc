import { DomainError } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { activityDraftFromNeed } from "../activities/activity-form.server";
import { listMatches } from "../matching/matching.server";
import { suggestServicesForNeed } from "../matching/suggestions.server";
import { can } from "../policy";
import { findCommunityPath } from "../territory/territory.server";
import { getNeed } from "./need-read.server";
import { getNeedStory } from "./need-story.server";

// What the need page (/needs/:id) shows to whom. The page only renders this: each section is there
// when the domain allows it to this actor, and absent (not an error) when it does not.

/** A short list: the worker picks among the best few, and an elderly requester is not flooded. */
const SUGGESTIONS_SHOWN = 5;

/** Anyone signed in may read a need, but only some see its suggestions, 对接 or 安排活动: for the
 * others the section is simply not there. */
async function unlessForbidden<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof DomainError && error.code === "FORBIDDEN") return null;
    throw error;
  }
}

export async function needPageFor(actor: Actor, id: string) {
  const need = await getNeed(actor, id);
  const [suggestions, matches, story] = await Promise.all([
    need.status === "OPEN"
      ? unlessForbidden(suggestServicesForNeed(actor, id, SUGGESTIONS_SHOWN))
      : Promise.resolve(null),
    unlessForbidden(listMatches(actor, { needId: id })),
    unlessForbidden(getNeedStory(actor, id)),
  ]);
  // 安排活动: for a matched need, offered to whoever may organise it (staff in scope, the provider).
  const schedulable =
    need.status === "MATCHED" && (await unlessForbidden(activityDraftFromNeed(actor, id))) !== null;
  const path = suggestions?.length ? await findCommunityPath(need.communityId) : null;
  return {
    need,
    // The requester sees the suggestions too, but only staff in scope send them to a provider.
    suggestions: suggestions?.map((suggestion) => ({
      ...suggestion,
      proposable:
        !suggestion.proposed &&
        path !== null &&
        can(actor, "match.propose", {
          communityPath: path,
          providerId: suggestion.provider.id,
          side: "STAFF",
        }),
    })),
    matches,
    story,
    schedulable,
  };
}
