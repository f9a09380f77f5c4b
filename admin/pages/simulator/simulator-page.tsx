import stringify from "safe-stable-stringify";
import { createEffect, createMemo, createResource, createSignal, For, Show } from "solid-js";
import type { ShownProblem } from "../../ui/problem-text.ts";
import { api, ApiError, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Failure } from "../../ui/states.tsx";
import { useRuleSet } from "../rule-set/rule-set-context.tsx";
import { CaseForm } from "./case-form.tsx";
import { defaultCase } from "./case-schema.ts";
import { DecisionView, FiredRules } from "./decision-view.tsx";
import { SaveAsTestButton } from "./save-as-test.tsx";
import type { SimulateResult } from "./simulator-types.ts";
import { TraceView } from "./trace-view.tsx";
import { simulatorFactsKey } from "./hand-over.ts";
import "./simulator.css";

/** The case last simulated per rule set, so that switching tabs does not lose it. */
const remembered = new Map<string, unknown>();

/**
 * Decide one case with the saved draft and with the active version, side by side, and show how:
 * which rules fired and what each condition saw. Nothing is published or logged.
 */
export function SimulatorPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useRuleSet();
  const handed = handedOver();
  const [facts, setFacts] = createSignal<unknown>(handed?.facts ?? remembered.get(state.key()) ?? defaultCase());
  /** The published version the draft is compared with: the active one unless one is chosen (a decision's own, from the log). */
  const [compareWith, setCompareWith] = createSignal<number | undefined>(handed?.version);
  const [versions] = createResource(
    state.key,
    async (key) => (await call(api["rule-sets"][":key"].versions.$get({ param: { key } }))).versions,
  );
  createEffect(() => remembered.set(state.key(), facts()));
  const [jsonValid, setJsonValid] = createSignal(true);
  const [errors, setErrors] = createSignal<ShownProblem[]>([]);
  const [result, setResult] = createSignal<{ facts: string; version: number | undefined; answer: SimulateResult }>();
  const [failure, setFailure] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [traceOf, setTraceOf] = createSignal<"draft" | "active">("draft");
  const [testCases] = createResource(
    state.key,
    async (key) => (await call(api["rule-sets"][":key"]["test-cases"].$get({ param: { key } }))).testCases,
  );
  const stale = () =>
    result() !== undefined && (result()!.facts !== stringify(facts()) || result()!.version !== compareWith());

  const run = async () => {
    setBusy(true);
    setFailure(undefined);
    const sent = facts();
    const version = compareWith();
    try {
      const answer = (await call(
        api["rule-sets"][":key"].simulate.$post({
          param: { key: state.key() },
          json: { facts: sent, ...(version === undefined ? {} : { version }) },
        }),
      )) as SimulateResult;
      setErrors([]);
      setResult({ facts: stringify(sent) ?? "", version, answer });
    } catch (error) {
      if (error instanceof ApiError && error.status === 422 && error.problem.errors) {
        setErrors(error.problem.errors);
        setResult(undefined);
        queueMicrotask(() => document.querySelector<HTMLElement>('.sim-case [aria-invalid="true"]')?.focus());
      } else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const load = (name: string) => {
    const found = testCases()?.find((c) => c.name === name);
    if (!found) return;
    setFacts(structuredClone(found.facts));
    setErrors([]);
  };

  const describe = (source: "draft" | "active") => (rule: string) =>
    state.detail()?.[source]?.rules.find((r) => r.name === rule)?.description;
  /** A rule's title as a trace carries it, for the fields' provenance. */
  const titleIn = (entries: readonly { rule: string; title?: string }[]) => (rule: string) =>
    entries.find((entry) => entry.rule === rule)?.title;
  /** What the draft is compared with: the chosen version's decision, else the active version's. */
  const compared = (answer: SimulateResult | undefined) => answer?.selected ?? answer?.active ?? undefined;
  const trace = createMemo(() => {
    const answer = result()?.answer;
    return traceOf() === "active" ? compared(answer)?.trace : answer?.draft.trace;
  });
  const sameDecision = () => {
    const other = compared(result()?.answer);
    return other ? stringify(other.decision) === stringify(result()!.answer.draft.decision) : false;
  };

  return (
    <div class="simulator">
      <p class="intro">{t("sim.intro")}</p>
      <Show when={state.dirty()}>
        <p class="sim-notice sim-notice-warn">{t("sim.dirtyNote")}</p>
      </Show>
      <div class="row sim-toolbar">
        <Button variant="primary" busy={busy()} disabled={!jsonValid()} onClick={run}>
          {t("sim.run")}
        </Button>
        <label class="sim-load-label" for="sim-load">
          {t("sim.loadFromTest")}
        </label>
        <select
          id="sim-load"
          class="sim-load"
          disabled={!testCases() || testCases()!.length === 0}
          onChange={(e) => {
            load(e.currentTarget.value);
            e.currentTarget.value = "";
          }}
        >
          <option value="">{testCases()?.length === 0 ? t("sim.noTests") : t("sim.chooseTest")}</option>
          <For each={testCases() ?? []}>{(testCase) => <option value={testCase.name}>{testCase.name}</option>}</For>
        </select>
        <Button
          onClick={() => {
            setFacts(defaultCase());
            setErrors([]);
          }}
        >
          {t("sim.reset")}
        </Button>
        <label class="sim-load-label" for="sim-compare">
          {t("sim.compareWith")}
        </label>
        <select
          id="sim-compare"
          class="sim-load"
          value={compareWith() === undefined ? "" : String(compareWith())}
          onChange={(e) => setCompareWith(e.currentTarget.value === "" ? undefined : Number(e.currentTarget.value))}
        >
          <option value="">{t("sim.compareActive")}</option>
          <For each={versions() ?? []}>
            {(v) => (
              <option value={String(v.version)} selected={compareWith() === v.version}>
                {v.active
                  ? t("sim.compareVersionActive", { version: v.version })
                  : t("sim.compareVersion", { version: v.version })}
              </option>
            )}
          </For>
        </select>
        <span class="spacer" />
        <SaveAsTestButton facts={facts()} decision={!stale() ? result()?.answer.draft.decision : undefined} />
      </div>

      <div class="sim-layout">
        <section class="card sim-case" aria-labelledby="sim-case-title">
          <h2 id="sim-case-title">{t("sim.case")}</h2>
          <CaseForm value={facts()} onChange={setFacts} errors={errors()} onValidity={setJsonValid} />
        </section>

        <section class="sim-results" aria-labelledby="sim-results-title">
          <h2 id="sim-results-title" class="visually-hidden">
            {t("sim.results")}
          </h2>
          <Show when={failure()}>
            <Failure error={failure()} retry={run} />
          </Show>
          <Show when={result()} fallback={<p class="card muted sim-placeholder">{t("sim.placeholder")}</p>}>
            {(done) => (
              <>
                <Show when={stale()}>
                  <p class="sim-notice">{t("sim.stale")}</p>
                </Show>
                <div class="decision-pair">
                  <DecisionView
                    kind={state.kind()}
                    heading={t("sim.draft", { revision: done().answer.draft.revision })}
                    decision={done().answer.draft.decision}
                    other={done().answer.active?.decision}
                    provenance={done().answer.draft.provenance}
                    titleOf={titleIn(done().answer.draft.trace)}
                    footer={<FiredRules rules={done().answer.draft.firedRules} />}
                  />
                  <Show
                    when={compared(done().answer)}
                    fallback={
                      <section class="card decision-view">
                        <h3>{t("sim.activeNone")}</h3>
                        <p class="muted">{t("sim.activeNoneHint")}</p>
                      </section>
                    }
                  >
                    {(active) => (
                      <DecisionView
                        kind={state.kind()}
                        heading={
                          done().answer.selected
                            ? t("sim.version", { version: active().version })
                            : t("sim.active", { version: active().version })
                        }
                        decision={active().decision}
                        other={done().answer.draft.decision}
                        provenance={active().provenance}
                        titleOf={titleIn(active().trace)}
                        footer={<FiredRules rules={active().firedRules} />}
                      />
                    )}
                  </Show>
                </div>
                <Show when={compared(done().answer)}>
                  <p
                    class={sameDecision() ? "sim-notice sim-notice-ok" : "sim-notice sim-notice-warn"}
                    data-testid="sim-comparison"
                  >
                    {done().answer.selected
                      ? t(sameDecision() ? "sim.sameAsVersion" : "sim.differentFromVersion", {
                          version: done().answer.selected!.version,
                        })
                      : t(sameDecision() ? "sim.same" : "sim.different")}
                  </p>
                </Show>
                <section class="card sim-trace" aria-labelledby="sim-trace-title">
                  <div class="row">
                    <h3 id="sim-trace-title">{t("sim.trace")}</h3>
                    <span class="spacer" />
                    <fieldset class="segmented" aria-label={t("sim.trace")}>
                      <button
                        type="button"
                        class="btn btn-small"
                        aria-pressed={traceOf() === "draft"}
                        onClick={() => setTraceOf("draft")}
                      >
                        {t("sim.traceDraft")}
                      </button>
                      <button
                        type="button"
                        class="btn btn-small"
                        aria-pressed={traceOf() === "active"}
                        disabled={!compared(done().answer)}
                        onClick={() => setTraceOf("active")}
                      >
                        {done().answer.selected
                          ? t("sim.version", { version: done().answer.selected!.version })
                          : t("sim.traceActive")}
                      </button>
                    </fieldset>
                  </div>
                  <Show when={trace()} keyed>
                    {(entries) => <TraceView trace={entries} describe={describe(traceOf())} />}
                  </Show>
                </section>
              </>
            )}
          </Show>
        </section>
      </div>
    </div>
  );
}

/**
 * A case handed over by the decision log's "在模拟器中打开", with the version that decided it (so that the draft is
 * compared with that version): read once, then forgotten.
 */
function handedOver(): { facts: unknown; version: number | undefined } | undefined {
  try {
    const text = sessionStorage.getItem(simulatorFactsKey);
    if (text === null) return undefined;
    sessionStorage.removeItem(simulatorFactsKey);
    const handed = JSON.parse(text) as unknown;
    // what an earlier admin stored: the case alone
    if (typeof handed !== "object" || handed === null || !("facts" in handed))
      return { facts: handed, version: undefined };
    const { facts, version } = handed as { facts: unknown; version?: unknown };
    return { facts, version: typeof version === "number" ? version : undefined };
  } catch {
    return undefined;
  }
}
