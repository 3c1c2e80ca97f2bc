import { DomainError } from "~/lib/errors";
import type { Actor } from "../accounts/actor";
import { activityDraftFromNeed } from "../activities/activity-form.server";
import type { MatchView } from "../matching/matching.schema";
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

/** 返回需求列表 leads back where the person works from, not to the public list: staff to their
 * triage list, a provider's people to their provider's suggestions (the one the need is matched
 * with, if any), the requester to their own needs (ADR 0030). */
export function needListBackLink(
  actor: Actor,
  need: { requester: unknown },
  matches: Pick<MatchView, "providerId">[] | null,
) {
  if (can(actor, "need.triage", null)) return { to: "/workbench/needs", label: "返回需求列表" };
  const own = actor.memberships.filter((membership) => membership.providerStatus === "APPROVED");
  const provider =
    own.find((membership) => matches?.some((match) => match.providerId === membership.providerId)) ?? own[0];
  if (provider)
    return { to: `/me/providers/${provider.providerId}#suggested-title`, label: "返回本机构的需求" };
  // Of the rest, only the requester sees the contact details.
  if (need.requester) return { to: "/me/needs", label: "返回我的需求" };
  return { to: "/needs", label: "返回需求列表" };
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
    back: needListBackLink(actor, need, matches),
  };
}
