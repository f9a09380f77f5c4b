import { createEffect, createSignal, For, on } from "solid-js";
import { ruleSetKindNames } from "../../../shared/kinds/index.ts";
import { useI18n } from "../../i18n/index.tsx";
import { FilterBar, FilterField } from "../../ui/filter-bar.tsx";
import { outcomeLabel, outcomeOptions } from "./outcomes.ts";

/** The decision log's filters, as in the URL: every one optional. */
export type DecisionFilter = {
  decisionId?: string;
  ruleSet?: string;
  outcome?: string;
  keyName?: string;
  orderId?: string;
  from?: string;
  to?: string;
};

/**
 * The outcomes a search offers, grouped by rule set: the chosen rule set's group only, or all. The
 * groups are keyed by rule set, so narrowing to one keeps its options and the selection with them.
 */
function OutcomeOptions(props: { ruleSet?: string }) {
  const i18n = useI18n();
  const groups = () => (props.ruleSet ? [props.ruleSet] : ruleSetKindNames);
  return (
    <For each={groups()}>
      {(ruleSet) => (
        <optgroup label={i18n.ruleSetName(ruleSet, ruleSet)}>
          <For each={outcomeOptions[ruleSet] ?? []}>
            {(outcome) => <option value={outcome}>{outcomeLabel(ruleSet, outcome, i18n)}</option>}
          </For>
        </optgroup>
      )}
    </For>
  );
}

/** Which rule set an outcome belongs to, so that picking one narrows the rule set too. */
const ruleSetOf = (outcome: string) =>
  Object.keys(outcomeOptions).find((key) => outcomeOptions[key]!.includes(outcome));

/**
 * Search the decision log: by a pasted decision id, rule set, outcome in words, caller, time.
 * Edits stay in the form until "查询"; the applied filters come back from the URL.
 */
export function DecisionFilters(props: { applied: DecisionFilter; onApply: (filter: DecisionFilter) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [form, setForm] = createSignal<DecisionFilter>({ ...props.applied });
  createEffect(
    on(
      () => props.applied,
      (applied) => setForm({ ...applied }),
      { defer: true },
    ),
  );
  const set = (patch: DecisionFilter) => setForm((current) => ({ ...current, ...patch }));
  const text = (value: string) => (value.trim() === "" ? undefined : value.trim());

  const pickRuleSet = (ruleSet: string | undefined) => {
    const outcome = form().outcome;
    // an outcome of another rule set would match nothing: drop it
    set({ ruleSet, outcome: outcome && ruleSet && ruleSetOf(outcome) !== ruleSet ? undefined : outcome });
  };
  const pickOutcome = (outcome: string | undefined) =>
    set({ outcome, ruleSet: outcome ? (ruleSetOf(outcome) ?? form().ruleSet) : form().ruleSet });

  return (
    <FilterBar
      idPrefix="decisions"
      range={{ from: form().from, to: form().to }}
      onRange={(range) => set(range)}
      onSearch={() => props.onApply(form())}
      onClear={() => props.onApply({})}
    >
      <FilterField id="decisions-id" label={t("decisions.filter.decisionId")} wide>
        <input
          id="decisions-id"
          class="mono"
          type="search"
          autocomplete="off"
          spellcheck={false}
          placeholder={t("decisions.filter.decisionIdPlaceholder")}
          value={form().decisionId ?? ""}
          onInput={(e) => set({ decisionId: text(e.currentTarget.value) })}
        />
      </FilterField>
      <FilterField id="decisions-order" label={t("decisions.filter.orderId")}>
        <input
          id="decisions-order"
          class="mono"
          type="search"
          autocomplete="off"
          spellcheck={false}
          placeholder={t("decisions.filter.orderIdPlaceholder")}
          value={form().orderId ?? ""}
          onInput={(e) => set({ orderId: text(e.currentTarget.value) })}
        />
      </FilterField>
      <FilterField id="decisions-rule-set" label={t("decisions.filter.ruleSet")}>
        <select
          id="decisions-rule-set"
          value={form().ruleSet ?? ""}
          onChange={(e) => pickRuleSet(text(e.currentTarget.value))}
        >
          <option value="">{t("logs.filter.any")}</option>
          <For each={ruleSetKindNames}>
            {(ruleSet) => <option value={ruleSet}>{i18n.ruleSetName(ruleSet, ruleSet)}</option>}
          </For>
        </select>
      </FilterField>
      <FilterField id="decisions-outcome" label={t("decisions.filter.outcome")}>
        <select
          id="decisions-outcome"
          value={form().outcome ?? ""}
          onChange={(e) => pickOutcome(text(e.currentTarget.value))}
        >
          <option value="">{t("logs.filter.any")}</option>
          <OutcomeOptions ruleSet={form().ruleSet} />
        </select>
      </FilterField>
      <FilterField id="decisions-key" label={t("decisions.filter.keyName")}>
        <input
          id="decisions-key"
          type="search"
          autocomplete="off"
          placeholder={t("decisions.filter.keyNamePlaceholder")}
          value={form().keyName ?? ""}
          onInput={(e) => set({ keyName: text(e.currentTarget.value) })}
        />
      </FilterField>
    </FilterBar>
  );
}
