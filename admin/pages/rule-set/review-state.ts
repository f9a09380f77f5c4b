import type { RuleSetDetail, RuleSetSummary } from "../../../shared/api.ts";

/** The latest review of a rule set's draft, as the rule set detail carries it. */
export type Review = NonNullable<RuleSetSummary["review"]>;

/**
 * Where the saved draft stands on its way to production, in the order a policy manager thinks:
 * `same` — nothing to do; `changed` — edited, not (or no longer) submitted; `pending`, `approved`,
 * `rejected` — the review of this very draft; `withdrawn` — the draft changed under an open review;
 * `scheduled` — the draft was published as a version that starts later.
 */
export type DraftStanding = "same" | "changed" | "pending" | "approved" | "rejected" | "withdrawn" | "scheduled";

type Standing = Pick<RuleSetSummary, "draftDiffers" | "review"> &
  Partial<Pick<RuleSetSummary, "nextSchedule" | "publishedAt">>;

/**
 * The review status that concerns the current draft, for `data-state` on the status strip: the
 * latest review's status when it was made for this draft revision (or was withdrawn because the
 * draft changed), otherwise "none" — a review of an older draft says nothing about this one, and
 * neither does a published review once its version no longer waits to start (cancelled, or handed
 * back at its end): the draft must be submitted again.
 */
export function reviewState(summary: Standing): Review["status"] | "none" {
  const review = summary.review;
  if (!review) return "none";
  // a draft equal to the active version has nothing left to review (four-eyes may have been off when it was published)
  if (!summary.draftDiffers) return review.current && review.status === "published" ? "published" : "none";
  // a review left open by a publish that needed none (four-eyes off) is withdrawn by the next edit: it concerned an older draft
  if (review.status === "withdrawn")
    return summary.publishedAt && summary.publishedAt > review.submittedAt ? "none" : "withdrawn";
  if (!review.current) return "none";
  if (review.status === "published" && summary.nextSchedule?.status !== "scheduled") return "none";
  return review.status;
}

export function draftStanding(summary: Standing): DraftStanding {
  if (!summary.draftDiffers) return "same";
  const state = reviewState(summary);
  if (state === "none") return "changed";
  // published, yet the draft still differs from the active version: it waits for its start time
  if (state === "published") return "scheduled";
  return state;
}

/**
 * Whether `username` submitted the pending review or changed the draft (or its test cases) since
 * the last publish: the server refuses their review (403), so the admin does not offer it.
 */
export function touchedDraft(
  detail: Pick<RuleSetDetail, "review" | "draft"> & Partial<Pick<RuleSetDetail, "draftEditors">>,
  username: string | undefined,
): boolean {
  if (!username) return false;
  const me = `user:${username}`;
  return detail.review?.submittedBy === me || detail.draft.updatedBy === me || (detail.draftEditors ?? []).includes(me);
}

/** What the signed-in user may do with the draft now; each flag hides a button the server would refuse. */
export function reviewActions(
  detail: Pick<RuleSetDetail, "draftDiffers" | "review" | "fourEyes" | "draft"> &
    Partial<Pick<RuleSetDetail, "nextSchedule">>,
  user: { username: string | undefined; can: (scope: "rules:write" | "rules:review" | "rules:publish") => boolean },
) {
  const standing = draftStanding(detail);
  const reviewable = detail.fourEyes && standing === "pending";
  return {
    submit:
      detail.fourEyes &&
      user.can("rules:write") &&
      (standing === "changed" || standing === "rejected" || standing === "withdrawn"),
    review: reviewable && user.can("rules:review") && !touchedDraft(detail, user.username),
    /** A publisher who edited or submitted the draft: another publisher must review it. */
    reviewByAnother: reviewable && user.can("rules:review") && touchedDraft(detail, user.username),
    publish: detail.draftDiffers && user.can("rules:publish") && (detail.fourEyes ? standing === "approved" : true),
  };
}
