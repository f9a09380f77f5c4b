import type { RuleSetSummary } from "../../../shared/api.ts";
import type { Scope } from "../../../shared/scopes.ts";
import { reviewState } from "../rule-set/review-state.ts";

/**
 * Whether the rule set's draft waits for this user's review: four-eyes is on, the review of this very draft is
 * pending, the user may review, and did not submit it nor change the draft or its test cases since the last publish
 * (the server refuses their review: reviews.ts).
 */
export function waitsForMe(
  summary: Pick<
    RuleSetSummary,
    "fourEyes" | "draftDiffers" | "review" | "draftEditors" | "nextSchedule" | "publishedAt"
  >,
  user: { username: string | undefined; can: (scope: Scope) => boolean },
): boolean {
  if (!user.username || !user.can("rules:review") || !summary.fourEyes) return false;
  if (reviewState(summary) !== "pending") return false;
  const me = `user:${user.username}`;
  return summary.review?.submittedBy !== me && !summary.draftEditors.includes(me);
}

/** The rule sets waiting for the user's review first, each group in the server's order. */
export function reviewsFirst<T extends RuleSetSummary>(ruleSets: readonly T[], waits: (summary: T) => boolean): T[] {
  return [...ruleSets.filter(waits), ...ruleSets.filter((summary) => !waits(summary))];
}
