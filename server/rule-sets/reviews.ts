import { monotonicFactory } from "ulid";
import { inTransaction } from "../db/database.ts";
import { appendAudit } from "../audit/store.ts";
import type { Principal } from "../auth/api-keys.ts";
import { isAdmin } from "../auth/grants.ts";
import type { AppContext } from "../context.ts";
import { conflict, forbidden } from "../errors.ts";
import * as governance from "./governance-store.ts";
import { assertTestCasesPass } from "./publishing.ts";
import { draftDecider, kindOf, requireRuleSet, sameDefinition } from "./service.ts";
import * as store from "./store.ts";

const nextId = monotonicFactory();

/** A review as the API shows it, with whether it still concerns the current draft. */
export function reviewView(
  review: governance.ReviewRow,
  row: store.RuleSetRow,
): governance.ReviewRow & { current: boolean };
export function reviewView(
  review: governance.ReviewRow | undefined,
  row: store.RuleSetRow,
): (governance.ReviewRow & { current: boolean }) | null;
export function reviewView(review: governance.ReviewRow | undefined, row: store.RuleSetRow) {
  if (!review) return null;
  return { ...review, current: review.draftRevision === row.draftRevision };
}

/**
 * Four-eyes, step one: an editor submits the saved draft with a note. The draft must be valid,
 * differ from the active version and pass its test cases. An earlier open review is withdrawn.
 */
export async function submitForReview(ctx: AppContext, key: string, note: string, principal: Principal) {
  const kind = kindOf(key);
  const row = await requireRuleSet(ctx, key);
  if (sameDefinition(ctx.registry.active(key)?.definition, row.draft))
    throw conflict("the draft equals the active version: there is nothing to review");
  await assertTestCasesPass(ctx, draftDecider(ctx, kind, row), key, "review");
  const at = ctx.now();
  const review: governance.ReviewRow = {
    id: nextId(at.getTime()),
    ruleSetKey: key,
    draftRevision: row.draftRevision,
    status: "pending",
    note,
    submittedBy: principal.actor,
    submittedAt: at.toISOString(),
    reviewedBy: null,
    reviewedAt: null,
    comment: null,
  };
  await inTransaction(ctx.db, async (tx) => {
    const current = await store.findRuleSetRow(tx, key);
    if (current?.draftRevision !== row.draftRevision)
      throw conflict("the draft changed while it was being submitted; submit again");
    await governance.withdrawOpenReviews(tx, key);
    await governance.insertReview(tx, review);
    await appendAudit(
      tx,
      {
        actor: principal.actor,
        action: "review.submit",
        entity: "rule-set",
        entityKey: key,
        detail: { draftRevision: row.draftRevision, note },
      },
      at,
    );
  });
  return reviewView(review, row);
}

/**
 * Four-eyes, step two: a publisher who neither edited the draft since its last publish nor
 * submitted it approves or rejects it, with a comment. Only the review of the current draft counts.
 */
export async function decideReview(
  ctx: AppContext,
  key: string,
  decision: { approve: boolean; comment: string },
  principal: Principal,
) {
  const row = await requireRuleSet(ctx, key);
  const review = await governance.latestReview(ctx.db, key);
  if (review?.status !== "pending") throw conflict("no draft of this rule set is waiting for review");
  if (review.draftRevision !== row.draftRevision)
    throw conflict("the draft changed after it was submitted; it must be submitted again");
  if (review.submittedBy === principal.actor || row.draftEditors.includes(principal.actor)) {
    throw forbidden("four-eyes publishing: you edited or submitted this draft, so another publisher must review it");
  }
  const at = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    const moved = await governance.moveReview(tx, review.id, ["pending"], decision.approve ? "approved" : "rejected", {
      by: principal.actor,
      at: at.toISOString(),
      comment: decision.comment,
    });
    if (!moved) throw conflict("the review was decided or withdrawn meanwhile");
    await appendAudit(
      tx,
      {
        actor: principal.actor,
        action: decision.approve ? "review.approve" : "review.reject",
        entity: "rule-set",
        entityKey: key,
        detail: { draftRevision: review.draftRevision, comment: decision.comment },
      },
      at,
    );
  });
  return reviewView((await governance.latestReview(ctx.db, key))!, row);
}

/**
 * Turns four-eyes publishing on or off for one rule set. Administrators only: turning it off is worth as much as
 * `rules:publish-unreviewed`, which only an admin hands out.
 */
export async function setFourEyes(ctx: AppContext, key: string, on: boolean, principal: Principal) {
  if (!isAdmin(principal)) throw forbidden("only an admin may turn four-eyes publishing on or off");
  await requireRuleSet(ctx, key);
  const at = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    await store.setFourEyes(tx, key, on);
    await appendAudit(
      tx,
      {
        actor: principal.actor,
        action: "settings.four-eyes",
        entity: "rule-set",
        entityKey: key,
        detail: { fourEyes: on },
      },
      at,
    );
  });
  return { fourEyes: on };
}
