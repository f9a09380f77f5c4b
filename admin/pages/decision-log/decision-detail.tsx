import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { isRuleSetKind, type RuleSetKind } from "../../../shared/outputs.ts";
import type { DecisionLogEntry } from "../../../shared/logs.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { CopyButton } from "../../ui/copy-button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { LogTime } from "../../ui/log-time.tsx";
import { CaseView } from "../simulator/case-view.tsx";
import { handToSimulator } from "../simulator/hand-over.ts";
import { DecisionView } from "../simulator/decision-view.tsx";
import { createVersionLoader } from "../versions/version-loader.ts";
import { outcomeLabel, outcomeTone } from "./outcomes.ts";

const kindOf = (ruleSet: string): RuleSetKind | undefined => (isRuleSetKind(ruleSet) ? ruleSet : undefined);

/** The log keeps a marker instead of facts over its per-record size limit. */
const isOmitted = (facts: unknown): boolean =>
  typeof facts === "object" && facts !== null && Object.hasOwn(facts, "$omitted");

const unreadableParts = ["facts", "decision", "firedRules"] as const;

/** Columns the service could not read back, as they are stored: the entry is shown, never refused. */
function UnreadableNotice(props: { unreadable: NonNullable<DecisionLogEntry["unreadable"]> }) {
  const { t } = useI18n();
  const parts = () => unreadableParts.filter((part) => props.unreadable[part] !== undefined);
  return (
    <div class="decision-unreadable" role="alert">
      <p class="form-error">
        {t("decisions.detail.unreadable", {
          parts: parts()
            .map((part) => t(`decisions.detail.part.${part}`))
            .join("、"),
        })}
      </p>
      <For each={parts()}>
        {(part) => (
          <>
            <h4>{t(`decisions.detail.part.${part}`)}</h4>
            <pre class="log-raw">{props.unreadable[part]}</pre>
          </>
        )}
      </For>
    </div>
  );
}

/** The fired rules with what each means, as written in the version that decided. */
function FiredRuleList(props: { entry: DecisionLogEntry }) {
  const { t } = useI18n();
  const load = createVersionLoader(() => props.entry.ruleSet);
  // descriptions are a help, not the record: a version that cannot be read leaves the names alone
  const [definition] = createResource(
    () => props.entry.version,
    (version) => load(version).catch(() => undefined),
  );
  const descriptionOf = (rule: string) => definition()?.rules.find((r) => r.name === rule)?.description;
  return (
    <section class="decision-fired" aria-labelledby="decision-fired-title">
      <h3 id="decision-fired-title">{t("decisions.detail.fired")}</h3>
      <Show when={props.entry.firedRules.length > 0} fallback={<p class="muted">{t("decisions.detail.noneFired")}</p>}>
        <ol class="decision-fired-list">
          <For each={props.entry.firedRules}>
            {(rule) => (
              <li data-rule={rule}>
                <code class="rule-chip">{rule}</code>
                <Show when={!definition.loading}>
                  <p class="muted">
                    {descriptionOf(rule) ||
                      (definition() ? t("decisions.detail.ruleMissing", { version: props.entry.version }) : "")}
                  </p>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * One logged decision, readably: when and by which version, the answer field by field, the rules
 * that fired, and the case as sent, read as the simulator's form (the JSON a tab away, to copy, or
 * to try again in the simulator).
 */
export function DecisionDetail(props: { entry: DecisionLogEntry | undefined; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const facts = () => JSON.stringify(props.entry?.facts ?? null, null, 2);
  const [factsAs, setFactsAs] = createSignal<"form" | "json">("form");
  // a case that is no object (unreadable, or not a case) has no form to read it in
  const asForm = () => factsAs() === "form" && isRecord(props.entry?.facts);
  const toSimulator = () => handToSimulator(props.entry?.facts ?? null, props.entry?.version);
  return (
    <Dialog
      open={props.entry !== undefined}
      title={t("decisions.detail.title")}
      onClose={props.onClose}
      wide
      actions={
        <Show when={props.entry}>
          {(entry) => (
            <>
              <A
                class="btn btn-primary"
                href={`/rule-sets/${encodeURIComponent(entry().ruleSet)}/simulator`}
                title={t("decisions.detail.simulateHint")}
                onClick={toSimulator}
              >
                {t("decisions.detail.simulate")}
              </A>
              <Button onClick={() => props.onClose()}>{t("action.close")}</Button>
            </>
          )}
        </Show>
      }
    >
      <Show when={props.entry}>
        {(entry) => (
          <div class="decision-detail" data-id={entry().decisionId}>
            <Show when={entry().unreadable}>{(unreadable) => <UnreadableNotice unreadable={unreadable()} />}</Show>
            <div class="row decision-meta">
              <LogTime at={entry().at} />
              <span>
                {t("decisions.detail.decidedBy", {
                  ruleSet: i18n.ruleSetName(entry().ruleSet, entry().ruleSet),
                  version: entry().version,
                  keyName: entry().keyName,
                })}
              </span>
              <span class={`badge badge-${outcomeTone(entry().ruleSet, entry().outcome)}`}>
                {outcomeLabel(entry().ruleSet, entry().outcome, i18n)}
              </span>
              <Show when={entry().orderId}>
                {(orderId) => <span>{t("decisions.detail.orderId", { orderId: orderId() })}</span>}
              </Show>
              <span class="spacer" />
              <code class="decision-detail-id">{entry().decisionId}</code>
              <CopyButton class="btn-small" variant="ghost" text={() => entry().decisionId}>
                {t("decisions.detail.copyId")}
              </CopyButton>
            </div>
            <div class="decision-detail-grid">
              <div class="decision-detail-answer">
                <DecisionView
                  kind={kindOf(entry().ruleSet)}
                  decision={entry().decision}
                  heading={t("decisions.detail.decision")}
                />
                <FiredRuleList entry={entry()} />
              </div>
              <section class="decision-facts" aria-labelledby="decision-facts-title">
                <div class="row">
                  <h3 id="decision-facts-title">{t("decisions.detail.facts")}</h3>
                  <span class="spacer" />
                  <Show when={!isOmitted(entry().facts) && isRecord(entry().facts)}>
                    <fieldset class="segmented" aria-label={t("decisions.detail.factsView")}>
                      <button
                        type="button"
                        class="btn btn-small"
                        aria-pressed={factsAs() === "form"}
                        onClick={() => setFactsAs("form")}
                      >
                        {t("decisions.detail.factsForm")}
                      </button>
                      <button
                        type="button"
                        class="btn btn-small"
                        aria-pressed={factsAs() === "json"}
                        onClick={() => setFactsAs("json")}
                      >
                        {t("decisions.detail.factsJson")}
                      </button>
                    </fieldset>
                  </Show>
                  <CopyButton class="btn-small" text={facts}>
                    {t("decisions.detail.copyFacts")}
                  </CopyButton>
                </div>
                <Show
                  when={!isOmitted(entry().facts)}
                  fallback={
                    <p class="muted" data-omitted>
                      {t("decisions.detail.factsOmitted")}
                    </p>
                  }
                >
                  <Show
                    when={asForm()}
                    fallback={
                      // biome-ignore lint/a11y/useSemanticElements: the <pre> itself scrolls, so it is the region a keyboard user focuses; a <section> around it would not scroll
                      <pre
                        class="log-raw decision-facts-json"
                        role="region"
                        tabindex="0"
                        aria-labelledby="decision-facts-title"
                      >
                        {facts()}
                      </pre>
                    }
                  >
                    <div class="decision-facts-form">
                      <CaseView value={entry().facts} label={t("decisions.detail.facts")} />
                    </div>
                  </Show>
                </Show>
              </section>
            </div>
          </div>
        )}
      </Show>
    </Dialog>
  );
}
