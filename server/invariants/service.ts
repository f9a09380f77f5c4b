import type { DraftInvariants, InvariantsInput, InvariantsSaved } from "../../shared/invariants.ts";
import type { AppContext } from "../context.ts";
import { replaceDraft, requireRuleSet } from "../rule-sets/service.ts";
import * as store from "../rule-sets/store.ts";

/** The saved draft's invariants and `decidedByRules` (empty lists when it has none). */
export async function getDraftInvariants(ctx: AppContext, key: string): Promise<DraftInvariants> {
  const row = await requireRuleSet(ctx, key);
  return {
    revision: row.draftRevision,
    invariants: row.draft.invariants ?? [],
    decidedByRules: row.draft.decidedByRules ?? [],
  };
}

/**
 * Replaces the draft's invariants as a draft save does (service.replaceDraft): the save carries the rules, defaults
 * and shared conditions of the revision it is based on, so that only the invariants change, and a save on an older
 * revision is merged invariant by invariant with what was saved since (409 when both changed one differently, or when
 * the revision is no longer kept). Checked as a whole definition (422 listing each problem) and audited as
 * `draft.replace` naming the invariants added, removed and changed.
 */
export async function saveDraftInvariants(
  ctx: AppContext,
  key: string,
  input: InvariantsInput,
  actor: string,
): Promise<InvariantsSaved> {
  const row = await requireRuleSet(ctx, key);
  const base =
    input.revision === row.draftRevision
      ? row.draft
      : ((await store.findDraftRevision(ctx.db, key, input.revision))?.definition ?? row.draft);
  const saved = await replaceDraft(
    ctx,
    key,
    {
      revision: input.revision,
      rules: base.rules,
      defaults: base.defaults,
      conditions: base.conditions,
      invariants: input.invariants,
      decidedByRules: input.decidedByRules ?? base.decidedByRules ?? [],
    },
    actor,
  );
  return {
    revision: saved.draft.revision,
    invariants: saved.draft.invariants ?? [],
    decidedByRules: saved.draft.decidedByRules ?? [],
    merged: saved.merged,
    mergedWith: saved.mergedWith,
  };
}
