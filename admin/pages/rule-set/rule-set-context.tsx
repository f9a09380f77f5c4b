import {
  createContext,
  createEffect,
  createMemo,
  createResource,
  createSignal,
  on,
  useContext,
  type ParentProps,
} from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import stringify from "safe-stable-stringify";
import type { RuleSetDetail } from "../../../shared/api.ts";
import { isRuleSetKind, type RuleSetKind } from "../../../shared/outputs.ts";
import type { Invariant, RuleInput } from "../../../shared/rules.ts";
import { api, call } from "../../api.ts";

/** The draft as the editor holds it until it is saved. */
export type WorkingDraft = {
  revision: number;
  rules: RuleInput[];
  conditions: Record<string, unknown>;
  defaults: Record<string, unknown>;
  /** Absent: none (a working copy built before invariants existed). */
  invariants?: Invariant[];
  decidedByRules?: string[];
};

function toWorking(detail: RuleSetDetail): WorkingDraft {
  return {
    revision: detail.draft.revision,
    rules: structuredClone(detail.draft.rules) as RuleInput[],
    conditions: structuredClone(detail.draft.conditions),
    defaults: structuredClone(detail.draft.defaults),
    invariants: structuredClone(detail.draft.invariants ?? []),
    decidedByRules: [...(detail.draft.decidedByRules ?? [])],
  };
}

/**
 * One rule set's screens share this: the server's view (draft, active version), and the working
 * copy of the draft with its unsaved changes, which survive switching between tabs.
 */
function makeRuleSetState(key: () => string) {
  const [detail, { refetch, mutate }] = createResource(
    key,
    async (k) => call(api["rule-sets"][":key"].$get({ param: { key: k } })) as Promise<RuleSetDetail>,
  );
  const [working, setWorking] = createStore<WorkingDraft>({
    revision: 0,
    rules: [],
    conditions: {},
    defaults: {},
    invariants: [],
    decidedByRules: [],
  });
  const [baseline, setBaseline] = createSignal("");
  let workingKey = "";
  /** Replaces the working copy with the server's draft (after load, save or reload). */
  const resetFromServer = (next: RuleSetDetail) => {
    const fresh = toWorking(next);
    workingKey = next.key;
    setWorking(reconcile(fresh));
    setBaseline(stringify(fresh) ?? "");
  };
  // stringify reads every property of the store, so the memo tracks every edit
  const dirty = createMemo(() => baseline() !== "" && stringify(working) !== baseline());
  // a newer draft from the server replaces the working copy only while it holds no unsaved change: saved, that
  // change is merged with the newer draft on the server, so nothing typed is lost
  createEffect(
    on(detail, (loaded) => {
      if (!loaded) return;
      if (baseline() === "" || loaded.key !== workingKey || (loaded.draft.revision !== working.revision && !dirty()))
        resetFromServer(loaded);
    }),
  );
  const kind = createMemo<RuleSetKind | undefined>(() => (isRuleSetKind(key()) ? (key() as RuleSetKind) : undefined));
  return { key, kind, detail, refetch, mutate, working, setWorking, dirty, resetFromServer };
}

export type RuleSetState = ReturnType<typeof makeRuleSetState>;
const RuleSetContext = createContext<RuleSetState>();

export function RuleSetProvider(props: ParentProps<{ ruleSetKey: string }>) {
  return (
    <RuleSetContext.Provider value={makeRuleSetState(() => props.ruleSetKey)}>{props.children}</RuleSetContext.Provider>
  );
}

export function useRuleSet(): RuleSetState {
  const state = useContext(RuleSetContext);
  if (!state) throw new Error("useRuleSet outside RuleSetProvider");
  return state;
}
