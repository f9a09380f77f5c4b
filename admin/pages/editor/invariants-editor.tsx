import { createSignal, For, Show } from "solid-js";
import { produce, reconcile } from "solid-js/store";
import { expectableFields, type ExpectableType } from "../../../shared/invariant-fields.ts";
import type { RuleSetKind } from "../../../shared/kinds/index.ts";
import { Invariant, type InvariantExpectation, type TopLevelCondition } from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { fieldProblemText, type ShownProblem } from "../../ui/problem-text.ts";
import type { RuleSetState } from "../rule-set/rule-set-context.tsx";
import { ConditionBuilder } from "./condition-builder.tsx";
import { ExpectationRow, expectation, startingValue } from "./invariant-expectation.tsx";
import { invariantWords } from "./invariant-words.ts";
import { blankCondition } from "./values.ts";
import "./invariants.css";

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
