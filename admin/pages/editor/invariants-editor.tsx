import { createSignal, For, Show } from "solid-js";
import { produce, reconcile } from "solid-js/store";
import { factCatalog } from "../../../shared/fact-catalog.ts";
import { factKey, isFactReference } from "../../../shared/fact-ref.ts";
import { expectableFields, invariantOperatorsByKind, type ExpectableType } from "../../../shared/invariant-fields.ts";
import type { RuleSetKind } from "../../../shared/kinds/index.ts";
import {
  Invariant,
  type InvariantExpectation,
  type InvariantOperator,
  type TopLevelCondition,
} from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { fieldProblemText, type ShownProblem } from "../../ui/problem-text.ts";
import type { RuleSetState } from "../rule-set/rule-set-context.tsx";
import { ConditionBuilder } from "./condition-builder.tsx";
import { comparisonOf, invariantWords } from "./invariant-words.ts";
import { BooleanSelect, EnumChecks, EnumSelect, MoneyInput } from "./typed-inputs.tsx";
import { blankCondition } from "./values.ts";
import "./invariants.css";

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

/** A name no invariant of `taken` has: invariant-1, invariant-2, … */
export function freeName(taken: readonly string[]): string {
  for (let n = taken.length + 1; ; n++) if (!taken.includes(`invariant-${n}`)) return `invariant-${n}`;
}

/**
 * The "不变式" card: each invariant in words with its title first ("退款原因 是以下之一 质量问题… → 退货运费 必须为
 * 卖家承担"), edited in the condition builder with typed inputs for each expected field (等于、不等于、属于、不属于、
 * 不超过、不少于, a money field compared with an amount or a fact of the case), added and deleted; saved with the draft.
 */
export function InvariantsEditor(props: {
  state: Pick<RuleSetState, "working" | "setWorking">;
  kind: RuleSetKind;
  /** The last save's problems outside the rules: those at `invariants.N…` are shown at their invariant. */
  problems?: readonly ShownProblem[];
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const working = props.state.working;
  const setWorking = props.state.setWorking;
  const list = () => working.invariants ?? [];
  const fields = () => expectableFields(props.kind);
  const [open, setOpen] = createSignal<number>();

  const update = (index: number, change: (invariant: Invariant) => void) =>
    setWorking(
      "invariants",
      produce((invariants) => {
        if (invariants?.[index]) change(invariants[index]);
      }),
    );
  const add = () => {
    const [field, type] = [...fields()][0] ?? [];
    if (!field || !type) return;
    const invariant: Invariant = {
      name: freeName(list().map((i) => i.name)),
      title: "",
      conditions: { all: [blankCondition()] },
      expect: { [field]: expectation("equal", startingValue(type, "equal")) },
    };
    // the store's proxies cannot be structured-cloned
    setWorking("invariants", [...(JSON.parse(JSON.stringify(list())) as Invariant[]), invariant]);
    setOpen(list().length - 1);
  };
  const remove = (index: number) => {
    setWorking("invariants", reconcile(list().filter((_, i) => i !== index)));
    setOpen(undefined);
  };
  const problemsOf = (index: number) =>
    (props.problems ?? []).filter((p) => p.path === `invariants.${index}` || p.path.startsWith(`invariants.${index}.`));
  const nameProblem = (index: number, name: string) => {
    if (!Invariant.shape.name.safeParse(name).success) return t("invariants.badName");
    if (list().some((other, i) => i !== index && other.name === name)) return t("invariants.nameTaken", { name });
    return undefined;
  };

  return (
    <section class="card invariants-card" aria-labelledby="invariants-heading">
      <div class="rule-list-head">
        <h2 id="invariants-heading">{t("invariants.title")}</h2>
        <span class="spacer" />
        <Show when={fields().size > 0}>
          <Button variant="secondary" onClick={add}>
            + {t("invariants.add")}
          </Button>
        </Show>
      </div>
      <p class="hint">{t("invariants.lead")}</p>
      <Show when={list().length > 0} fallback={<p class="muted">{t("invariants.none")}</p>}>
        <ul class="invariant-list">
          <For each={list()}>
            {(invariant, index) => (
              <li class="invariant-item" data-invariant={invariant.name}>
                <div class="invariant-head">
                  <strong>{invariant.title || invariant.name}</strong>
                  <Show when={invariant.title}>
                    <span class="muted">{invariant.name}</span>
                  </Show>
                  <span class="spacer" />
                  <Button variant="secondary" onClick={() => setOpen(open() === index() ? undefined : index())}>
                    {open() === index() ? t("invariants.done") : t("invariants.edit")}
                  </Button>
                  <Button variant="danger" onClick={() => remove(index())}>
                    {t("invariants.delete")}
                  </Button>
                </div>
                <p class="invariant-words">{invariantWords(invariant, i18n)}</p>
                <For each={problemsOf(index())}>
                  {(problem) => (
                    <p class="field-error" data-path={problem.path}>
                      {fieldProblemText(problem, t)}
                    </p>
                  )}
                </For>
                <Show when={open() === index()}>
                  <InvariantForm
                    invariant={invariant}
                    index={index()}
                    fields={fields()}
                    shared={working.conditions}
                    nameProblem={(name) => nameProblem(index(), name)}
                    update={(change) => update(index(), change)}
                  />
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

function InvariantForm(props: {
  invariant: Invariant;
  index: number;
  fields: ReadonlyMap<string, ExpectableType>;
  shared: Record<string, unknown>;
  nameProblem: (name: string) => string | undefined;
  update: (change: (invariant: Invariant) => void) => void;
}) {
  const { t } = useI18n();
  const [typedName, setTypedName] = createSignal(props.invariant.name);
  const unused = () => [...props.fields.keys()].filter((field) => !(field in props.invariant.expect));
  const setExpectation = (field: string, next: InvariantExpectation) =>
    props.update((invariant) => {
      invariant.expect[field] = next;
    });
  const addExpectation = () => {
    const field = unused()[0];
    const type = field === undefined ? undefined : props.fields.get(field);
    if (field && type) setExpectation(field, expectation("equal", startingValue(type, "equal")));
  };
  const removeExpectation = (field: string) =>
    props.update((invariant) => {
      delete invariant.expect[field];
    });
  const replaceField = (from: string, to: string) => {
    const type = props.fields.get(to);
    if (!type) return;
    // a new object keeps the order of the fields: the replaced one stays where it was
    props.update((invariant) => {
      invariant.expect = Object.fromEntries(
        Object.entries(invariant.expect).map(([field, e]) =>
          field === from ? [to, expectation("equal", startingValue(type, "equal"))] : [field, e],
        ),
      );
    });
  };

  return (
    <div class="invariant-body">
      <label>
        {t("invariants.titleField")}
        <input
          type="text"
          value={props.invariant.title ?? ""}
          onInput={(e) => {
            const title = e.currentTarget.value;
            props.update((invariant) => {
              invariant.title = title;
            });
          }}
        />
      </label>
      <label>
        {t("invariants.name")}
        <input
          type="text"
          value={typedName()}
          aria-invalid={props.nameProblem(typedName()) !== undefined}
          onInput={(e) => setTypedName(e.currentTarget.value.trim())}
          onChange={() => {
            if (props.nameProblem(typedName()) !== undefined) return;
            const name = typedName();
            props.update((invariant) => {
              invariant.name = name;
            });
          }}
        />
      </label>
      <Show when={props.nameProblem(typedName())}>{(problem) => <p class="field-error">{problem()}</p>}</Show>
      <strong>{t("invariants.when")}</strong>
      <ConditionBuilder
        condition={props.invariant.conditions}
        shared={props.shared}
        path={`invariants.${props.index}.conditions`}
        onChange={(next: TopLevelCondition) =>
          props.update((invariant) => {
            invariant.conditions = next;
          })
        }
      />
      <strong>{t("invariants.then")}</strong>
      <For each={Object.keys(props.invariant.expect)}>
        {(field) => (
          <ExpectationRow
            field={field}
            value={props.invariant.expect[field]!}
            fields={props.fields}
            choosable={[field, ...unused()]}
            onField={(to) => replaceField(field, to)}
            onChange={(next) => setExpectation(field, next)}
            onRemove={() => removeExpectation(field)}
            removable={Object.keys(props.invariant.expect).length > 1}
          />
        )}
      </For>
      <Show when={unused().length > 0}>
        <div>
          <Button variant="secondary" onClick={addExpectation}>
            + {t("invariants.addExpectation")}
          </Button>
        </div>
      </Show>
    </div>
  );
}

function ExpectationRow(props: {
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
          label={t("invariants.valueKind.constant")}
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
