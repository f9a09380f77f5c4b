import { Show } from "solid-js";
import { factCatalog } from "../../../shared/fact-catalog.ts";
import { factKey, isFactReference } from "../../../shared/fact-ref.ts";
import { type ExpectableType, invariantOperatorsByKind } from "../../../shared/invariant-fields.ts";
import type { InvariantExpectation, InvariantOperator } from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { comparisonOf } from "./invariant-words.ts";
import { BooleanSelect, EnumChecks, EnumSelect, MoneyInput } from "./typed-inputs.tsx";

/** Facts a money field may be compared with: the catalog's money and count facts, by their `fact.path` key. */
const amountFacts = factCatalog.filter((entry) => entry.type.kind === "money" || entry.type.kind === "count");

/** The value an expectation starts with for a field and operator: its first enum value, yes, zero fen, or a list. */
export function startingValue(type: ExpectableType, operator: InvariantOperator): unknown {
  const list = operator === "in" || operator === "notIn";
  if (type.kind === "enum") return list ? [type.values[0]] : type.values[0];
  if (type.kind === "boolean") return true;
  return 0;
}

/** An expectation as stored: `equal` with a constant is the plain value, as the shipped invariants write it. */
export function expectation(operator: InvariantOperator, value: unknown): InvariantExpectation {
  if (operator === "equal" && !isFactReference(value)) return value as InvariantExpectation;
  return { operator, value } as InvariantExpectation;
}

/** One expected field: which field, the comparison, and its value in the field's typed input. */
export function ExpectationRow(props: {
  field: string;
  value: InvariantExpectation;
  fields: ReadonlyMap<string, ExpectableType>;
  choosable: readonly string[];
  onField: (field: string) => void;
  onChange: (next: InvariantExpectation) => void;
  onRemove: () => void;
  removable: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const type = () => props.fields.get(props.field)!;
  const comparison = () => comparisonOf(props.value);
  const fieldLabel = () => i18n.field(props.field);
  const setOperator = (operator: InvariantOperator) => {
    const wasList = comparison().operator === "in" || comparison().operator === "notIn";
    const isList = operator === "in" || operator === "notIn";
    const value = wasList === isList ? comparison().value : startingValue(type(), operator);
    props.onChange(expectation(operator, value));
  };
  const setValue = (value: unknown) => props.onChange(expectation(comparison().operator, value));
  const byFact = () => isFactReference(comparison().value);

  return (
    <div class="invariant-expect" data-expect={props.field}>
      <EnumSelect
        label={t("invariants.field")}
        value={props.field}
        options={props.choosable}
        describe={(field) => i18n.field(field)}
        onChange={props.onField}
      />
      <EnumSelect
        label={t("invariants.operator")}
        value={comparison().operator}
        options={invariantOperatorsByKind[type().kind]}
        describe={(operator) => t(`invariants.op.${operator as InvariantOperator}`)}
        onChange={(operator) => setOperator(operator as InvariantOperator)}
      />
      <Show when={type().kind === "money"}>
        <EnumSelect
          label={t("invariants.valueKind")}
          value={byFact() ? "fact" : "constant"}
          options={["constant", "fact"]}
          describe={(kind) => t(kind === "fact" ? "invariants.valueKind.fact" : "invariants.valueKind.constant")}
          onChange={(kind) => setValue(kind === "fact" ? { fact: "amount", path: "capFen" } : 0)}
        />
      </Show>
      <ValueInput type={type()} comparison={comparison()} label={fieldLabel()} onChange={setValue} />
      <Show when={props.removable}>
        <Button variant="secondary" onClick={props.onRemove}>
          {t("invariants.removeExpectation")}
        </Button>
      </Show>
    </div>
  );
}

function ValueInput(props: {
  type: ExpectableType;
  comparison: { operator: InvariantOperator; value: unknown };
  label: string;
  onChange: (value: unknown) => void;
}) {
  const i18n = useI18n();
  const list = () => props.comparison.operator === "in" || props.comparison.operator === "notIn";
  const type = props.type;
  if (type.kind === "enum")
    return (
      <Show
        when={list()}
        fallback={
          <EnumSelect
            label={props.label}
            value={props.comparison.value}
            options={type.values}
            onChange={props.onChange}
          />
        }
      >
        <EnumChecks
          label={props.label}
          value={props.comparison.value}
          options={type.values}
          onChange={props.onChange}
        />
      </Show>
    );
  if (type.kind === "boolean")
    return <BooleanSelect label={props.label} value={props.comparison.value} onChange={props.onChange} />;
  return (
    <Show
      when={isFactReference(props.comparison.value) ? props.comparison.value : undefined}
      fallback={<MoneyInput label={props.label} value={props.comparison.value} onChange={props.onChange} />}
    >
      {(reference) => (
        <EnumSelect
          label={props.label}
          value={factKey(reference().fact, reference().path)}
          options={amountFacts.map((entry) => factKey(entry.fact, entry.path))}
          describe={(key) => i18n.label(amountFacts.find((e) => factKey(e.fact, e.path) === key)!.label)}
          onChange={(key) => {
            const entry = amountFacts.find((e) => factKey(e.fact, e.path) === key)!;
            props.onChange({ fact: entry.fact, path: entry.path });
          }}
        />
      )}
    </Show>
  );
}
