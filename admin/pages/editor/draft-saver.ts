import { createSignal } from "solid-js";
import { reconcile } from "solid-js/store";
import type { DraftInput, RuleSetDetail } from "../../../shared/api.ts";
import { api, ApiError, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { useToast } from "../../ui/toast.tsx";
import type { RuleSetState, WorkingDraft } from "../rule-set/rule-set-context.tsx";
import { noProblems, sortProblems, type DraftProblems } from "./problems.ts";
import { problemText } from "../../ui/problem-text.ts";

export type Conflict = { current: number; mine: number };

/**
 * Saving the working copy as the draft: PUT with the revision it was based on. A 422 puts each
 * problem at its rule and field; a 409 (someone saved in between) opens the conflict dialog,
 * whose two ways out are `reapplyMine` and `takeTheirs`.
 */
export function createDraftSaver(state: RuleSetState, options: { blocked: () => string | undefined }) {
  const { t } = useI18n();
  const toast = useToast();
  const [saving, setSaving] = createSignal(false);
  const [problems, setProblems] = createSignal<DraftProblems>(noProblems());
  const [conflict, setConflict] = createSignal<Conflict>();
  const [failure, setFailure] = createSignal<string>();

  const body = (working: WorkingDraft): DraftInput => ({
    revision: working.revision,
    rules: working.rules,
    conditions: working.conditions as DraftInput["conditions"],
    defaults: working.defaults,
  });

  const accept = (detail: RuleSetDetail) => {
    state.mutate(detail);
    state.resetFromServer(detail);
  };

  async function save(): Promise<boolean> {
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
      const detail = (await call(
        api["rule-sets"][":key"].draft.$put({ param: { key: state.key() }, json: body(state.working) }),
      )) as RuleSetDetail;
      setProblems(noProblems());
      accept(detail);
      toast("success", t("editor.saved", { revision: detail.draft.revision }));
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
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

  const fetchLatest = async () =>
    (await call(api["rule-sets"][":key"].$get({ param: { key: state.key() } }))) as RuleSetDetail;

  /** Keeps my rules, takes the newest revision, and saves again. */
  async function reapplyMine(): Promise<void> {
    // a JSON copy: the working copy is a store of proxies, which structuredClone refuses
    const { rules, conditions, defaults } = state.working;
    const mine = JSON.parse(JSON.stringify({ rules, conditions, defaults })) as Omit<WorkingDraft, "revision">;
    try {
      const latest = await fetchLatest();
      accept(latest);
      state.setWorking(reconcile({ ...mine, revision: latest.draft.revision }));
      setConflict(undefined);
      await save();
    } catch (error) {
      setConflict(undefined);
      setFailure(problemText(error, t));
    }
  }

  /** Drops my changes and shows the draft as the other person saved it. */
  async function takeTheirs(): Promise<void> {
    try {
      accept(await fetchLatest());
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
    reapplyMine,
    takeTheirs,
  };
}
