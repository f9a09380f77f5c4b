import { createSignal } from "solid-js";
import { reconcile } from "solid-js/store";
import { DraftConflictMembers, type DraftInput, type DraftSaved, type RuleSetDetail } from "../../../shared/api.ts";
import type { RuleInput } from "../../../shared/rules.ts";
import { api, ApiError, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import type { RuleSetState, WorkingDraft } from "../rule-set/rule-set-context.tsx";
import { applyChoices, type Choice } from "./merge-choices.ts";
import { noProblems, sortProblems, type DraftProblems } from "./problems.ts";

/** A save the server could not merge at all: the revision it was based on is no longer kept. */
export type Conflict = { current: number; mine: number };

/** A save the server merged except where both people changed the same thing: those are listed, theirs and mine. */
export type MergeConflict = DraftConflictMembers & {
  /** My rules as sent, to put a rule of mine they removed back where I had it. */
  mineRules: RuleInput[];
};

/**
 * Saving the working copy as the draft: PUT with the revision it was based on. The server merges a save
 * based on an older revision with what others saved since; a 200 says whether it did (`merged`, with whom).
 * A 409 listing conflicts opens the merge dialog, where the person chooses per conflict and `resolve` saves
 * that on the current revision; a plain 409 (too old to merge) opens the conflict dialog, whose way out
 * is `takeTheirs`. A 422 puts each problem at its rule and field.
 */
export function createDraftSaver(state: RuleSetState, options: { blocked: () => string | undefined }) {
  const { t } = useI18n();
  const toast = useToast();
  const auth = useAuth();
  const [saving, setSaving] = createSignal(false);
  const [problems, setProblems] = createSignal<DraftProblems>(noProblems());
  const [conflict, setConflict] = createSignal<Conflict>();
  const [mergeConflict, setMergeConflict] = createSignal<MergeConflict>();
  const [failure, setFailure] = createSignal<string>();

  const body = (working: WorkingDraft): DraftInput => ({
    revision: working.revision,
    rules: working.rules,
    conditions: working.conditions as DraftInput["conditions"],
    defaults: working.defaults,
    // absent from the working copy is none, as toWorking and applyChoices leave it
    invariants: working.invariants ?? [],
    decidedByRules: working.decidedByRules ?? [],
  });

  const accept = (detail: RuleSetDetail) => {
    state.mutate(detail);
    state.resetFromServer(detail);
  };

  /** The people named, as the admin names them; me (another window of mine) said as such. */
  const names = (actors: readonly string[]) =>
    actors
      .map((actor) => (actor === `user:${auth.user()?.username}` ? t("merge.you") : actorName(actor, t)))
      .join(t("merge.nameSep"));

  /** Saves the working copy; `mergedWith`: the people whose changes it was merged with here, after a conflict. */
  async function save(mergedWith: readonly string[] = []): Promise<boolean> {
    if (saving()) return false;
    const blocked = options.blocked();
    if (blocked) {
      setFailure(blocked);
      return false;
    }
    setSaving(true);
    setFailure(undefined);
    // the rules as sent, so that "rules.3" still finds its rule after the list changes
    const sent = [...state.working.rules];
    try {
      const saved = (await call(
        api["rule-sets"][":key"].draft.$put({ param: { key: state.key() }, json: body(state.working) }),
      )) as DraftSaved;
      setProblems(noProblems());
      setMergeConflict(undefined);
      accept(saved);
      const merged = [...new Set([...mergedWith, ...(saved.merged ? saved.mergedWith : [])])];
      toast(
        "success",
        merged.length > 0
          ? t("merge.merged", { who: names(merged), revision: saved.draft.revision })
          : t("editor.saved", { revision: saved.draft.revision }),
      );
      return true;
    } catch (error) {
      const members =
        error instanceof ApiError && error.status === 409 ? DraftConflictMembers.safeParse(error.problem) : undefined;
      if (members?.success) {
        setMergeConflict({ ...members.data, mineRules: JSON.parse(JSON.stringify(sent)) as RuleInput[] });
      } else if (error instanceof ApiError && error.status === 409) {
        setConflict({ current: Number(error.problem.currentRevision ?? Number.NaN), mine: state.working.revision });
      } else if (error instanceof ApiError && error.status === 422 && error.problem.errors) {
        setProblems(sortProblems(error.problem.errors, sent));
      } else if (error instanceof ApiError && error.status !== 401) {
        setFailure(problemText(error, t));
      }
      return false;
    } finally {
      setSaving(false);
    }
  }

  /**
   * The person's choice per conflict, saved on the revision the conflicts were found against: the server's
   * merge with my version wherever I keep mine. Someone saving yet again meanwhile is merged like any save.
   */
  async function resolve(choices: readonly Choice[]): Promise<boolean> {
    const found = mergeConflict();
    if (!found) return false;
    const resolved = applyChoices(found, found.mineRules, choices);
    // the working copy becomes what is saved, so that problems and a later save refer to it
    state.setWorking(reconcile({ ...resolved, revision: found.currentRevision }));
    const done = await save(found.mergedWith);
    // still conflicting (someone changed one of these rules again): the dialog shows the new list
    if (!done && mergeConflict() === found) setMergeConflict(undefined);
    return done;
  }

  /** Drops my changes and shows the draft as the other person saved it. */
  async function takeTheirs(): Promise<void> {
    try {
      accept((await call(api["rule-sets"][":key"].$get({ param: { key: state.key() } }))) as RuleSetDetail);
      setProblems(noProblems());
    } catch (error) {
      setFailure(problemText(error, t));
    } finally {
      setConflict(undefined);
    }
  }

  return {
    save,
    saving,
    problems,
    clearProblems: () => setProblems(noProblems()),
    failure,
    clearFailure: () => setFailure(undefined),
    conflict,
    dismissConflict: () => setConflict(undefined),
    takeTheirs,
    mergeConflict,
    /** Closes the merge dialog: my changes stay in the editor, unsaved, on the revision they were based on. */
    dismissMerge: () => setMergeConflict(undefined),
    resolve,
    /** The people who saved in between, for the merge dialog. */
    names,
  };
}
