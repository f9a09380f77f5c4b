import { createEffect, createSignal, on, onCleanup } from "solid-js";
import type { Analysis, AnalysisFinding } from "../../../shared/analysis.ts";
import { api, call } from "../../api.ts";
import type { RuleSetState } from "../rule-set/rule-set-context.tsx";

/**
 * Analyses the unsaved working copy over every possible case `delayMs` after the last edit (never per keystroke), so
 * that a rule's card says at once when it can never apply or never change the result. A working copy the server
 * cannot read yet (a condition still being written) keeps the last findings: saving it shows why.
 */
export function createAnalysisWatch(state: RuleSetState, delayMs = 800) {
  const [analysis, setAnalysis] = createSignal<Analysis>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  const analyse = async () => {
    const run = ++latest;
    // a plain copy: the store's proxies are not sent, and later edits do not change what this run analysed
    const draft = JSON.parse(JSON.stringify(state.working)) as {
      rules: unknown;
      defaults: unknown;
      conditions: unknown;
    };
    try {
      const answer = (await call(
        api["rule-sets"][":key"].analysis.$post({
          param: { key: state.key() },
          json: { draft: { rules: draft.rules, defaults: draft.defaults, conditions: draft.conditions } as never },
        }),
      )) as Analysis;
      if (run === latest) setAnalysis(answer);
    } catch {
      // not analysable as it stands: the save's own check says why
    }
  };

  createEffect(
    on(
      () => JSON.stringify(state.working),
      () => {
        clearTimeout(timer);
        timer = setTimeout(() => void analyse(), delayMs);
      },
    ),
  );
  onCleanup(() => clearTimeout(timer));

  return {
    analysis,
    /** The findings that concern a rule: it never applies, is overridden, or conflicts with another. */
    about: (name: string): AnalysisFinding[] =>
      (analysis()?.findings ?? []).filter((f) => f.rule === name || (f.kind === "conflict" && f.rules?.includes(name))),
  };
}
