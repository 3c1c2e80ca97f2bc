import type { Actor } from "../accounts/actor";
import type { ProviderStatusCode } from "../providers/providers.schema";
import { listMatches } from "./matching.server";
import { suggestNeedsForProvider } from "./suggestions.server";

// A provider's 对接 as its dashboard shows them: invitations to answer, the record of the others, and
// open needs it could take on (主动接单).

/** A short list of needs to offer for: the best few, so the page stays easy to read. */
const SUGGESTIONS_SHOWN = 5;

/** For an approved provider only (null for the others: they cannot take on needs yet). */
export async function providerMatching(actor: Actor, provider: { id: string; status: ProviderStatusCode }) {
  if (provider.status !== "APPROVED") return null;
  const [matches, suggestions] = await Promise.all([
    listMatches(actor, { providerId: provider.id }),
    suggestNeedsForProvider(actor, provider.id, SUGGESTIONS_SHOWN),
  ]);
  return {
    // Proposals still waiting for an answer come first, the settled ones are the record.
    waiting: matches.filter((match) => match.status === "PROPOSED"),
    settled: matches.filter((match) => match.status !== "PROPOSED"),
    suggestions,
  };
}
