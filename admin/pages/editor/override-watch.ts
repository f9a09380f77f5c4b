import { createEffect, createResource, createSignal, on, onCleanup } from "solid-js";
import type { RuleInput, TestCase } from "../../../shared/rules.ts";
import { api, call } from "../../api.ts";
import type { useI18n } from "../../i18n/index.tsx";
import type { RuleSetState } from "../rule-set/rule-set-context.tsx";
import { ruleLabel } from "./add-rule.tsx";
import { evaluationOrder } from "./rule-order.ts";

/** A rule as a simulation's trace shows it (shared/api.ts TraceEntry), as far as this needs it. */
type TracedRule = { rule: string; overridden?: true | undefined; takenBy?: Record<string, string> | undefined };

/** A rule that took fields from a watched rule in one test case: its place, title and the fields. */
export type Taker = { rule: string; title?: string | undefined; position: number; fields: string[] };
/** A watched rule fired in `testCase` but every field it sets was set first by the `takers`. */
export type OverrideWarning = { testCase: string; takers: Taker[] };

/**
 * The watched rules a test case's trace marks overridden (fired, every field taken by an earlier rule), each with
 * the rules that took its fields, numbered by their place in `rules`' evaluation order.
 */
export function overriddenIn(
  testCase: string,
  trace: readonly TracedRule[],
  rules: readonly RuleInput[],
  watched: ReadonlySet<string>,
): Map<string, OverrideWarning> {
  const ordered = evaluationOrder(rules);
  const found = new Map<string, OverrideWarning>();
  for (const entry of trace) {
    if (!entry.overridden || !watched.has(entry.rule)) continue;
    const takers = new Map<string, Taker>();
    for (const [field, name] of Object.entries(entry.takenBy ?? {})) {
      const position = ordered.findIndex((rule) => rule.name === name);
      const taker = takers.get(name) ?? {
        rule: name,
        title: ordered[position]?.title,
        position: position + 1,
        fields: [],
      };
      taker.fields.push(field);
      takers.set(name, taker);
    }
    found.set(entry.rule, { testCase, takers: [...takers.values()].sort((a, b) => a.position - b.position) });
  }
  return found;
}

/** The card's sentence: 此规则在测试用例「…」中不起作用：第 N 条「…」总是先设定 退货运费. */
export function warningSentence(
  t: ReturnType<typeof useI18n>["t"],
  fieldName: (field: string) => string,
  warning: OverrideWarning,
): string {
  const takers = warning.takers.map((taker) =>
    t("place.overriddenBy", {
      rule: ruleLabel(t, { name: taker.rule, ...(taker.title ? { title: taker.title } : {}) }, taker.position),
      fields: taker.fields.map(fieldName).join("、"),
    }),
  );
  return t("place.overridden", { testCase: warning.testCase, takers: takers.join("；") });
}

type SimulateAnswer = { draft: { trace: TracedRule[] } };

/**
 * Runs the rule set's test cases against the unsaved working copy `delayMs` after the last edit (never per
 * keystroke) and keeps, for each rule edited since the editor opened, the test cases in which it changes nothing
 * because earlier rules set its fields. `checkNow` runs at once for every rule.
 */
export function createOverrideWatch(state: RuleSetState, delayMs = 600) {
  const [testCases] = createResource(
    () => state.key(),
    async (key) =>
      (await call(api["rule-sets"][":key"]["test-cases"].$get({ param: { key } }))).testCases as TestCase[],
  );
  const [found, setFound] = createSignal<ReadonlyMap<string, readonly OverrideWarning[]>>(new Map());
  const [checking, setChecking] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  // rules edited while the editor is open stay watched once saved: saving does not make them take effect
  const touched = new Set<string>();
  /** Rules new or changed since the saved draft, and those edited before since the editor opened. */
  const edited = (rules: readonly RuleInput[]) => {
    const saved = new Map((state.detail()?.draft.rules ?? []).map((rule) => [rule.name, JSON.stringify(rule)]));
    for (const rule of rules) if (saved.get(rule.name) !== JSON.stringify(rule)) touched.add(rule.name);
    return new Set(rules.filter((rule) => touched.has(rule.name)).map((rule) => rule.name));
  };

  const check = async (all: boolean) => {
    const cases = testCases() ?? [];
    // a plain copy: the store's proxies are not sent, and later edits do not change what this run decided
    const draft = JSON.parse(JSON.stringify(state.working)) as {
      rules: RuleInput[];
      defaults: object;
      conditions: object;
    };
    const watched = all ? new Set(draft.rules.map((rule) => rule.name)) : edited(draft.rules);
    const run = ++latest;
    if (cases.length === 0 || watched.size === 0) {
      setFound(new Map());
      return;
    }
    setChecking(true);
    try {
      const json = { rules: draft.rules, defaults: draft.defaults, conditions: draft.conditions } as never;
      const answers = await Promise.all(
        cases.map(
          async (testCase) =>
            (await call(
              api["rule-sets"][":key"].simulate.$post({
                param: { key: state.key() },
                json: { facts: testCase.facts, draft: json },
              }),
            )) as SimulateAnswer,
        ),
      );
      if (run !== latest) return;
      const next = new Map<string, OverrideWarning[]>();
      answers.forEach((answer, i) => {
        for (const [rule, warning] of overriddenIn(cases[i]!.name, answer.draft.trace, draft.rules, watched))
          next.set(rule, [...(next.get(rule) ?? []), warning]);
      });
      setFound(next);
    } catch {
      // a rule still being written (a condition without its fact) cannot be decided: saving it shows why
      if (run === latest) setFound(new Map());
    } finally {
      if (run === latest) setChecking(false);
    }
  };

  createEffect(
    on(
      () => [JSON.stringify(state.working), testCases()],
      () => {
        clearTimeout(timer);
        timer = setTimeout(() => void check(false), delayMs);
      },
      { defer: true },
    ),
  );
  onCleanup(() => clearTimeout(timer));

  return {
    /** The warnings of each rule, by name. */
    found,
    checking,
    checkNow: () => {
      clearTimeout(timer);
      return check(true);
    },
  };
}
