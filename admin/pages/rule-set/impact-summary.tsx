import { A } from "@solidjs/router";
import { createSignal, For, onCleanup, Show } from "solid-js";
import type { ImpactJob, ImpactSample } from "../../../shared/impact.ts";
import { displayYuan } from "../../../shared/money.ts";
import { ApiError, api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Failure } from "../../ui/states.tsx";
import { DecisionValue, decisionFields } from "../simulator/decision-view.tsx";
import { handToSimulator } from "../simulator/hand-over.ts";
import { useRuleSet } from "./rule-set-context.tsx";
import "./impact-summary.css";

/** How often a running replay is asked how far it got. */
const POLL_MS = 500;

/**
 * 影响回放: the last 30 days of logged decisions decided again by the saved draft (POST …/impact, a worker on the
 * server), its progress, then what would change — field by field, money, refunds turned eligible or not, the rules
 * behind it — with sample cases that open in the simulator. Started on demand: a replay reads up to a million cases.
 */
export function ImpactSummary(props: { onLeave: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useRuleSet();
  const [job, setJob] = createSignal<ImpactJob>();
  const [error, setError] = createSignal<unknown>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  const poll = (key: string, id: string) => {
    timer = setTimeout(async () => {
      try {
        const next = await call(api["rule-sets"][":key"].impact[":id"].$get({ param: { key, id } }));
        setJob(next as ImpactJob);
        if (next.status === "running") poll(key, id);
      } catch (failure) {
        setError(failure);
      }
    }, POLL_MS);
  };
  const start = async () => {
    clearTimeout(timer);
    setError(undefined);
    setJob(undefined);
    const key = state.key();
    try {
      const started = await call(api["rule-sets"][":key"].impact.$post({ param: { key }, json: {} }));
      setJob(started as ImpactJob);
      poll(key, started.id);
    } catch (failure) {
      // one replay per rule set: someone's is running, so follow that one
      const running = failure instanceof ApiError && failure.status === 409 ? failure.problem.job : undefined;
      if (typeof running === "string") poll(key, running);
      else setError(failure);
    }
  };

  // money and eligibility mean something only for a kind whose decision has them (refund-eligibility)
  const refunds = () => {
    const kind = state.kind();
    const fields = kind === undefined ? [] : decisionFields(kind).map((field) => field.field);
    return fields.includes("maxRefundableFen") && fields.includes("eligible");
  };
  const count = (n: number) => n.toLocaleString(i18n.lang() === "zh" ? "zh-CN" : "en-US");
  const ruleTitle = (name: string) => state.detail()?.draft.rules.find((rule) => rule.name === name)?.title ?? name;
  const samplesOf = (field: string, from: unknown, to: unknown) =>
    job()?.result?.samples.filter(
      (sample) =>
        sample.fields.includes(field) &&
        JSON.stringify(sample.before[field] ?? null) === JSON.stringify(from) &&
        JSON.stringify(sample.after[field] ?? null) === JSON.stringify(to),
    ) ?? [];
  const openSample = (sample: ImpactSample) => {
    handToSimulator(sample.facts);
    props.onLeave();
  };

  return (
    <section class="impact-summary" data-testid="impact-summary" aria-labelledby="impact-title">
      <h3 id="impact-title">{t("impact.title")}</h3>
      <p class="muted">{t("impact.lead")}</p>
      <Show when={job()?.status !== "running"}>
        <Button onClick={() => void start()}>{job() ? t("impact.again") : t("impact.start")}</Button>
      </Show>
      <Show when={error()}>{(failure) => <Failure error={failure()} retry={() => void start()} />}</Show>
      <Show when={job()?.status === "running" ? job() : undefined}>
        {(running) => (
          <p class="impact-progress" role="status">
            <progress max={Math.max(1, running().total)} value={running().replayed} />{" "}
            {t("impact.progress", { replayed: running().replayed, total: running().total })}
          </p>
        )}
      </Show>
      <Show when={job()?.status === "failed" ? job() : undefined}>
        {(failed) => (
          <p class="impact-failed" role="alert">
            {t("impact.failed", { error: failed().error ?? "" })}
          </p>
        )}
      </Show>
      <Show when={job()?.status === "done" ? job() : undefined}>
        {(done) => {
          const result = () => done().result!;
          return (
            <div class="impact-result" data-testid="impact-result">
              <p class="impact-headline">
                <Show when={result().replayed > 0} fallback={t("impact.none")}>
                  {result().changed === 0
                    ? t("impact.unchanged", { replayed: result().replayed })
                    : t("impact.summary", {
                        replayed: result().replayed,
                        changed: result().changed,
                        revision: done().draftRevision,
                      })}
                </Show>
              </p>
              <Show when={result().transitions.length > 0}>
                <h4>{t("impact.transitions")}</h4>
                <ul class="impact-transitions">
                  <For each={result().transitions}>
                    {(transition) => (
                      <li data-field={transition.field}>
                        <span class="impact-transition">
                          {i18n.field(transition.field)}{" "}
                          <DecisionValue field={transition.field} value={transition.from} /> →{" "}
                          <DecisionValue field={transition.field} value={transition.to} />：
                          <strong>{t("impact.count", { count: count(transition.count) })}</strong>
                        </span>
                        <Samples
                          samples={samplesOf(transition.field, transition.from, transition.to)}
                          ruleSetKey={state.key()}
                          onOpen={openSample}
                        />
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <Show when={result().otherTransitions > 0}>
                <p class="muted">{t("impact.otherTransitions", { count: result().otherTransitions })}</p>
              </Show>
              <Show when={refunds() && result().changed > 0}>
                <ul class="impact-money">
                  <li>{t("impact.money", { amount: signedYuan(result().moneyMovedFen) })}</li>
                  <li>{t("impact.turnedEligible", { count: result().turnedEligible })}</li>
                  <li>{t("impact.turnedIneligible", { count: result().turnedIneligible })}</li>
                </ul>
              </Show>
              <Show when={result().byRule.length > 0}>
                <h4>{t("impact.byRule")}</h4>
                <ul class="impact-rules">
                  <For each={result().byRule}>
                    {(entry) => (
                      <li data-rule={entry.rule}>
                        {t("impact.rule", { rule: ruleTitle(entry.rule), count: entry.changed })}
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
              <Show when={result().skipped.oversized + result().skipped.invalid > 0}>
                <p class="muted">{t("impact.skipped", result().skipped)}</p>
              </Show>
            </div>
          );
        }}
      </Show>
    </section>
  );
}

/** A transition's sample cases, each opening in the simulator at the time it was decided. */
function Samples(props: { samples: ImpactSample[]; ruleSetKey: string; onOpen: (sample: ImpactSample) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Show when={props.samples.length > 0}>
      <details class="impact-samples">
        <summary>{t("impact.samples", { count: props.samples.length })}</summary>
        <ul>
          <For each={props.samples}>
            {(sample) => (
              <li data-id={sample.decisionId}>
                {t("impact.sample", { when: i18n.formatDateTime(sample.at) })}{" "}
                <A
                  href={`/rule-sets/${encodeURIComponent(props.ruleSetKey)}/simulator`}
                  title={t("impact.openSampleHint")}
                  onClick={() => props.onOpen(sample)}
                >
                  {t("impact.openSample")}
                </A>
              </li>
            )}
          </For>
        </ul>
      </details>
    </Show>
  );
}

/** Money moved as a person reads it: +¥12.00 or -¥3.50. */
function signedYuan(fen: number): string {
  return fen > 0 ? `+${displayYuan(fen)}` : displayYuan(fen);
}
