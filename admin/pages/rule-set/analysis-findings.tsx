import { A } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import type { Analysis, AnalysisFinding } from "../../../shared/analysis.ts";
import type { Invariant, RuleInput } from "../../../shared/rules.ts";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { problemText } from "../../ui/problem-text.ts";
import { ruleLabel } from "../editor/add-rule.tsx";
import { evaluationOrder } from "../editor/rule-order.ts";
import { handToSimulator } from "../simulator/hand-over.ts";
import { ImpactSummary } from "./impact-summary.tsx";
import { useRuleSet } from "./rule-set-context.tsx";

type I18n = ReturnType<typeof useI18n>;

/** A rule of the analysed rules as the manager knows it: 第 N 条「title」, by its place in the evaluation order. */
function labelOf(i18n: I18n, rules: readonly RuleInput[], name: string): string {
  const ordered = evaluationOrder(rules);
  const position = ordered.findIndex((rule) => rule.name === name);
  const rule = ordered[position];
  return rule ? ruleLabel(i18n.t, rule, position + 1) : i18n.t("analysis.ruleGone", { name });
}

/** The fields an overridden rule sets, as the finding names them: one field, or every field the rule sets. */
function fieldsOf(i18n: I18n, rules: readonly RuleInput[], finding: AnalysisFinding): string {
  if (finding.field) return i18n.field(finding.field);
  const rule = rules.find((r) => r.name === finding.rule);
  const params = (rule?.event?.params ?? {}) as Record<string, unknown>;
  return Object.keys(params).map(i18n.field).join("、");
}

/** One finding as a sentence for the review and the publish dialog. */
export function findingSentence(
  i18n: I18n,
  rules: readonly RuleInput[],
  finding: AnalysisFinding,
  invariantTitle: (name: string) => string,
): string {
  const { t } = i18n;
  const rule = finding.rule ? labelOf(i18n, rules, finding.rule) : "";
  const takers = (finding.rules ?? []).map((name) => labelOf(i18n, rules, name)).join("、");
  const field = finding.field ? i18n.field(finding.field) : "";
  switch (finding.kind) {
    case "never_applies":
      return t(
        finding.reason === "window_over" ? "analysis.neverApplies.windowOver" : "analysis.neverApplies.contradictory",
        {
          rule,
        },
      );
    case "overridden":
      return finding.field
        ? t("analysis.overriddenField", { rule, field, takers })
        : t("analysis.overridden", { rule, takers, fields: fieldsOf(i18n, rules, finding) });
    case "conflict": {
      const [first = "", second = ""] = (finding.rules ?? []).map((name) => labelOf(i18n, rules, name));
      return t("analysis.conflict", { first, second, field });
    }
    case "gap":
      return t("analysis.gap", { field });
    case "invariant_broken":
      return t("analysis.invariantBroken", { invariant: invariantTitle(finding.invariant ?? ""), field });
  }
}

/** What a rule's card says about it: 此规则永远不会改变结果：第 7 条「…」总是先设定 退货运费. */
export function badgeSentences(
  i18n: I18n,
  rules: readonly RuleInput[],
  findings: readonly AnalysisFinding[],
  name: string,
): string[] {
  const { t } = i18n;
  const sentences: string[] = [];
  for (const finding of findings) {
    const takers = (finding.rules ?? []).map((other) => labelOf(i18n, rules, other)).join("、");
    if (finding.kind === "never_applies" && finding.rule === name)
      sentences.push(
        t(finding.reason === "window_over" ? "analysis.badge.windowOver" : "analysis.badge.contradictory"),
      );
    else if (finding.kind === "overridden" && finding.rule === name)
      sentences.push(
        finding.field
          ? t("analysis.badge.overriddenField", { field: i18n.field(finding.field), takers })
          : t("analysis.badge.overridden", { takers, fields: fieldsOf(i18n, rules, finding) }),
      );
    else if (finding.kind === "conflict" && finding.rules?.includes(name)) {
      const other = finding.rules.find((r) => r !== name) ?? name;
      sentences.push(
        t("analysis.badge.conflict", { other: labelOf(i18n, rules, other), field: i18n.field(finding.field ?? "") }),
      );
    }
  }
  return sentences;
}

/**
 * The analysis of a draft in the review and the publish dialog: each finding in words with its example case, which
 * opens in the simulator; what could not be checked; or that nothing was found.
 */
export function AnalysisFindings(props: {
  ruleSetKey: string;
  rules: readonly RuleInput[];
  analysis: Analysis | undefined;
  loading: boolean;
  error?: unknown;
  invariantTitle?: (name: string) => string;
  onLeave?: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const title = (name: string) => props.invariantTitle?.(name) ?? name;
  return (
    <section class="analysis-findings" data-testid="analysis-findings" aria-busy={props.loading}>
      <h3>{t("analysis.title")}</h3>
      <Show when={!props.loading} fallback={<p class="muted">{t("analysis.running")}</p>}>
        <Show
          when={props.error === undefined}
          fallback={<p role="alert">{t("analysis.failed", { problem: problemText(props.error, t) })}</p>}
        >
          <Show when={props.analysis}>
            {(analysis) => (
              <>
                <Show when={analysis().findings.length > 0} fallback={<p class="publish-ok">{t("analysis.none")}</p>}>
                  <ul class="analysis-list">
                    <For each={analysis().findings}>
                      {(finding) => (
                        <li class={`analysis-finding analysis-${finding.kind}`} data-kind={finding.kind}>
                          <span>{findingSentence(i18n, props.rules, finding, title)}</span>
                          <Show when={finding.example}>
                            {(example) => (
                              <A
                                class="btn btn-small"
                                href={`/rule-sets/${encodeURIComponent(props.ruleSetKey)}/simulator`}
                                onClick={() => {
                                  handToSimulator(example());
                                  props.onLeave?.();
                                }}
                              >
                                {t("analysis.openExample")}
                              </A>
                            )}
                          </Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
                <Show when={!analysis().complete}>
                  <p class="hint" role="note">
                    {t("analysis.incomplete", { count: analysis().unchecked.length })}
                  </p>
                </Show>
                <p class="hint">{t("analysis.summary", { steps: analysis().steps, ms: Math.round(analysis().ms) })}</p>
              </>
            )}
          </Show>
        </Show>
      </Show>
    </section>
  );
}

/** Analyses the saved draft each time `open` turns true (a dialog opening). */
export function createDraftAnalysis(key: () => string, open: () => boolean) {
  const [analysis, { refetch }] = createResource(
    () => open() && key(),
    async (k) => (await call(api["rule-sets"][":key"].analysis.$post({ param: { key: k }, json: {} }))) as Analysis,
  );
  return { analysis, refetch };
}

/** Each invariant of the draft and whether it holds for every case, is broken by one, or could not be decided. */
export function InvariantStatus(props: { invariants: readonly Invariant[]; analysis: Analysis | undefined }) {
  const { t } = useI18n();
  const status = (name: string) => {
    const analysis = props.analysis;
    if (!analysis) return "pending";
    if (analysis.findings.some((f) => f.kind === "invariant_broken" && f.invariant === name)) return "broken";
    if (analysis.unchecked.some((u) => u.check === "invariant" && (u.invariant === undefined || u.invariant === name)))
      return "unchecked";
    return "holds";
  };
  return (
    <section class="invariant-status" data-testid="invariant-status">
      <h3>{t("analysis.invariants", { count: props.invariants.length })}</h3>
      <Show when={props.invariants.length > 0} fallback={<p class="muted">{t("analysis.noInvariants")}</p>}>
        <ul>
          <For each={props.invariants}>
            {(invariant) => (
              <li data-invariant={invariant.name} data-status={status(invariant.name)}>
                <span
                  class={`badge ${status(invariant.name) === "broken" ? "badge-danger" : status(invariant.name) === "holds" ? "badge-ok" : "badge-muted"}`}
                >
                  {t(`analysis.invariant.${status(invariant.name)}`)}
                </span>{" "}
                {invariant.title || invariant.name}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/** The review's and the publish dialog's view of the saved draft's analysis: the invariants, then the findings. */
export function DraftAnalysis(props: {
  ruleSetKey: string;
  rules: readonly RuleInput[];
  invariants: readonly Invariant[];
  open: boolean;
  onLeave?: () => void;
}) {
  const draft = createDraftAnalysis(
    () => props.ruleSetKey,
    () => props.open,
  );
  const title = (name: string) => props.invariants.find((i) => i.name === name)?.title || name;
  return (
    <div class="draft-analysis">
      <InvariantStatus invariants={props.invariants} analysis={draft.analysis.loading ? undefined : draft.analysis()} />
      <AnalysisFindings
        ruleSetKey={props.ruleSetKey}
        rules={props.rules}
        analysis={draft.analysis.error ? undefined : draft.analysis()}
        loading={draft.analysis.loading}
        error={draft.analysis.error}
        invariantTitle={title}
        {...(props.onLeave ? { onLeave: props.onLeave } : {})}
      />
    </div>
  );
}

/**
 * What the saved draft does beyond its test cases, as the review, the read-only review page and the publish dialog
 * show it: its invariants and the analysis of every possible case, then the replay of the last 30 days.
 */
export function DraftEffect(props: { open: boolean; onLeave?: () => void }) {
  const state = useRuleSet();
  const leave = () => props.onLeave?.();
  return (
    <>
      <DraftAnalysis
        ruleSetKey={state.key()}
        rules={state.detail()?.draft.rules ?? []}
        invariants={state.detail()?.draft.invariants ?? []}
        open={props.open}
        onLeave={leave}
      />
      <ImpactSummary onLeave={leave} />
    </>
  );
}
