import { For, Match, Show, Switch } from "solid-js";
import { factCatalog, findFact, findFactByKey, type FactEntry } from "../../../shared/fact-catalog.ts";
import { factKey, isFactReference } from "../../../shared/fact-ref.ts";
import type { LeafCondition } from "../../../shared/rules.ts";
import { useI18n, type MessageKey } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import type { ErrorsAt } from "./problems.ts";
import { CountedDurationInput } from "./counted-duration-input.tsx";
import { BooleanSelect, CountInput, EnumChecks, EnumSelect, MoneyInput } from "./typed-inputs.tsx";
import { factGroups, initialValue, isListOperator, operatorsFor, withFact, withOperator } from "./values.ts";

/** Facts grouped as the picker shows them: 订单 / 退款 / 运费 / 维权 / 售后问题 / 时间 / 金额. */
function FactOptions(props: { selected: FactEntry | undefined; only?: (entry: FactEntry) => boolean }) {
  const { t, label } = useI18n();
  return (
    <For each={factGroups}>
      {(group) => (
        <optgroup label={t(`fact.group.${group}`)}>
          <For each={factCatalog.filter((entry) => entry.fact === group && (props.only?.(entry) ?? true))}>
            {(entry) => (
              <option value={factKey(entry.fact, entry.path)} selected={props.selected === entry}>
                {label(entry.label)}
              </option>
            )}
          </For>
        </optgroup>
      )}
    </For>
  );
}

const numeric = (kind: string) => kind === "money" || kind === "count";
const comparable = (a: FactEntry, b: FactEntry) =>
  numeric(a.type.kind) ? numeric(b.type.kind) : a.type.kind === b.type.kind;

/** The value beside the operator, as the fact's type wants it. */
function LeafValue(props: {
  leaf: LeafCondition;
  entry: FactEntry | undefined;
  error: string | undefined;
  onChange: (value: unknown) => void;
}) {
  const { t } = useI18n();
  const label = () => t("cond.value");
  const reference = () => (isFactReference(props.leaf.value) ? props.leaf.value : undefined);
  return (
    <Switch>
      <Match when={!props.entry}>
        <input type="text" aria-label={label()} disabled placeholder={t("cond.noValue")} class="value-placeholder" />
      </Match>
      <Match when={reference()}>
        {(ref) => (
          <span class="typed-input">
            <select
              aria-label={t("cond.compareWith")}
              aria-invalid={props.error ? "true" : undefined}
              onChange={(e) => {
                const other = findFactByKey(e.currentTarget.value);
                if (other) props.onChange({ fact: other.fact, path: other.path });
              }}
            >
              <Show when={!findFact(ref().fact, ref().path)}>
                <option selected>{factKey(ref().fact, ref().path)}</option>
              </Show>
              <FactOptions
                selected={findFact(ref().fact, ref().path)}
                only={(entry) => comparable(props.entry!, entry)}
              />
            </select>
            <Button
              class="btn-small"
              variant="ghost"
              onClick={() => props.onChange(initialValue(props.entry!.type, props.leaf.operator))}
            >
              {t("cond.useFixedValue")}
            </Button>
          </span>
        )}
      </Match>
      <Match when={props.entry!.type.kind === "enum" && isListOperator(props.leaf.operator)}>
        <EnumChecks
          label={label()}
          error={props.error}
          value={props.leaf.value}
          options={enumValues(props.entry)}
          onChange={props.onChange}
        />
      </Match>
      <Match when={props.entry!.type.kind === "enum"}>
        <EnumSelect
          label={label()}
          error={props.error}
          value={props.leaf.value}
          options={enumValues(props.entry)}
          onChange={props.onChange}
        />
      </Match>
      <Match when={props.entry!.type.kind === "boolean"}>
        <BooleanSelect label={label()} error={props.error} value={props.leaf.value} onChange={props.onChange} />
      </Match>
      <Match when={props.entry!.type.kind === "money"}>
        <MoneyInput label={label()} error={props.error} value={props.leaf.value} onChange={props.onChange} />
      </Match>
      <Match when={props.entry!.type.kind === "count"}>
        <CountInput label={label()} error={props.error} value={props.leaf.value} onChange={props.onChange} />
      </Match>
      <Match when={props.entry!.type.kind === "duration"}>
        <CountedDurationInput label={label()} error={props.error} value={props.leaf.value} onChange={props.onChange} />
      </Match>
    </Switch>
  );
}

function enumValues(entry: FactEntry | undefined): readonly string[] {
  return entry?.type.kind === "enum" ? entry.type.values : [];
}

/**
 * One condition: 事实 (a fact of the catalog, by its Chinese name), 条件 (the operators that fit
 * the fact's type, in words) and 值 (an input of the fact's type).
 */
export function ConditionLeaf(props: {
  leaf: LeafCondition;
  path: string;
  onChange: (next: LeafCondition) => void;
  onRemove?: () => void;
  errors: ErrorsAt;
}) {
  const { t } = useI18n();
  const entry = () => findFact(String(props.leaf.fact ?? ""), props.leaf.path);
  const key = () => factKey(String(props.leaf.fact ?? ""), props.leaf.path);
  const operators = () => operatorsFor(entry()?.type);
  const at = (field?: string) => props.errors.at(field ? `${props.path}.${field}` : props.path);
  const messages = () => {
    const parts = [...at("fact"), ...at("path"), ...at("operator"), ...at("value")];
    // a condition without a fact fails on every part; one sentence says what to do
    if (key() === "" && parts.length > 0) return [...at(), t("cond.factMissing")];
    return [...at(), ...parts];
  };
  return (
    <div class="cond-leaf" data-path={props.path} classList={{ invalid: messages().length > 0 }}>
      <div class="cond-row">
        <select
          class="fact-picker"
          aria-label={t("cond.fact")}
          aria-invalid={at("fact").length + at("path").length > 0 ? "true" : undefined}
          onChange={(e) => {
            const picked = findFactByKey(e.currentTarget.value);
            if (picked) props.onChange(withFact(props.leaf, picked));
          }}
        >
          <Show when={!entry()}>
            <option value={key()} selected disabled={key() === ""}>
              {key() === "" ? t("cond.pickFact") : t("cond.unknownFact", { name: key() })}
            </option>
          </Show>
          <FactOptions selected={entry()} />
        </select>
        <select
          class="operator-picker"
          aria-label={t("cond.operator")}
          disabled={!entry()}
          aria-invalid={at("operator").length > 0 ? "true" : undefined}
          onChange={(e) => props.onChange(withOperator(props.leaf, e.currentTarget.value))}
        >
          <Show when={!operators().includes(props.leaf.operator)}>
            <option value={props.leaf.operator} selected>
              {props.leaf.operator || "—"}
            </option>
          </Show>
          <For each={operators()}>
            {(operator) => (
              <option value={operator} selected={operator === props.leaf.operator}>
                {t(`op.${operator}` as MessageKey)}
              </option>
            )}
          </For>
        </select>
        <LeafValue
          leaf={props.leaf}
          entry={entry()}
          error={at("value")[0]}
          onChange={(value) => props.onChange({ ...props.leaf, value })}
        />
        <Show when={props.onRemove}>
          <Button class="btn-small cond-remove" variant="ghost" onClick={() => props.onRemove?.()}>
            {t("cond.remove")}
          </Button>
        </Show>
      </div>
      <Show when={messages().length > 0}>
        <ul class="field-errors">
          <For each={messages()}>{(message) => <li class="field-error">{message}</li>}</For>
        </ul>
      </Show>
    </div>
  );
}
