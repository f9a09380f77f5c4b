import { createSignal, For, Match, Show, Switch, untrack } from "solid-js";
import { fieldProblemText, type ShownProblem } from "../../ui/problem-text.ts";
import type { RuleSetKind } from "../../../shared/outputs.ts";
import { useI18n } from "../../i18n/index.tsx";
import { JsonTextarea } from "../../ui/json-textarea.tsx";
import { MoneyInput } from "../../ui/money-input.tsx";
import { decisionFields, type DecisionField } from "../simulator/decision-view.tsx";

type Expect = Record<string, unknown>;

/** The value a newly checked field starts from: the first choice, 否, ¥0, an empty list. */
function startValue(field: DecisionField): unknown {
  if (field.kind === "boolean") return false;
  if (field.kind === "enum") return field.values?.[0];
  if (field.kind === "money") return 0;
  return [];
}

/**
 * Which decision fields a test case checks, and the value each must have: a typed input per field
 * (labelled choices, 是/否, yuan), JSON for lists (reasons, timers). Unchecked fields may be anything.
 */
export function ExpectEditor(props: {
  kind?: RuleSetKind;
  value: Expect;
  onChange: (next: Expect) => void;
  errors?: readonly ShownProblem[];
  onValidity?: (valid: boolean) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [invalid, setInvalid] = createSignal<ReadonlySet<string>>(new Set());
  const markValid = (field: string, valid: boolean) => {
    const current = untrack(invalid);
    if (current.has(field) !== valid) return;
    const next = new Set(current);
    if (valid) next.delete(field);
    else next.add(field);
    setInvalid(next);
    props.onValidity?.(next.size === 0);
  };
  const fields = (): DecisionField[] => {
    const known = props.kind ? decisionFields(props.kind) : [];
    const extra = Object.keys(props.value).filter((f) => !known.some((k) => k.field === f));
    return [...known, ...extra.map((field): DecisionField => ({ field, kind: "json" }))];
  };
  const set = (field: string, value: unknown) => props.onChange({ ...props.value, [field]: value });
  const toggle = (field: DecisionField, on: boolean) => {
    const next = { ...props.value };
    if (on) next[field.field] = startValue(field);
    else {
      delete next[field.field];
      markValid(field.field, true);
    }
    props.onChange(next);
  };
  const errorsOf = (field: string) =>
    (props.errors ?? [])
      .filter((e) => e.path === field || e.path.startsWith(`${field}.`))
      .map((e) => fieldProblemText(e, t));
  const id = (field: string) => `expect-${field}`;
  // problems with the expectation as a whole ("checks no field"), at the top of the editor
  const wholeErrors = () => (props.errors ?? []).filter((e) => e.path === "").map((e) => fieldProblemText(e, t));
  const WholeErrors = () => (
    <Show when={wholeErrors().length > 0}>
      <p class="field-error expect-error" role="alert">
        {wholeErrors().join("；")}
      </p>
    </Show>
  );

  return (
    <Show
      when={props.kind}
      fallback={
        <>
          <WholeErrors />
          <JsonTextarea
            aria-label={t("tests.expect")}
            rows={10}
            value={props.value}
            onChange={(v) => props.onChange((v ?? {}) as Expect)}
            onValidity={(ok) => markValid("*", ok)}
          />
        </>
      }
    >
      <fieldset class="expect-editor" aria-label={t("tests.expect")}>
        <WholeErrors />
        <For each={fields()}>
          {(field) => {
            const checked = () => Object.hasOwn(props.value, field.field);
            const label = () => i18n.field(field.field);
            return (
              <div class="expect-row" classList={{ "expect-on": checked() }} data-field={field.field}>
                <label class="case-check expect-check">
                  <input type="checkbox" checked={checked()} onChange={(e) => toggle(field, e.currentTarget.checked)} />
                  <span>{t("tests.check", { field: label() })}</span>
                </label>
                <div class="expect-input">
                  <Show when={checked()} fallback={<span class="muted">{t("tests.notChecked")}</span>}>
                    <Switch>
                      <Match when={field.kind === "boolean"}>
                        <select
                          id={id(field.field)}
                          aria-label={t("tests.expectedValue", { field: label() })}
                          onChange={(e) => set(field.field, e.currentTarget.value === "true")}
                        >
                          <option value="true" selected={props.value[field.field] === true}>
                            {t("decision.yes")}
                          </option>
                          <option value="false" selected={props.value[field.field] === false}>
                            {t("decision.no")}
                          </option>
                        </select>
                      </Match>
                      <Match when={field.kind === "enum"}>
                        <select
                          id={id(field.field)}
                          aria-label={t("tests.expectedValue", { field: label() })}
                          onChange={(e) => set(field.field, e.currentTarget.value)}
                        >
                          <For each={field.values}>
                            {(option) => (
                              <option value={option} selected={props.value[field.field] === option}>
                                {i18n.value(option)}
                              </option>
                            )}
                          </For>
                        </select>
                      </Match>
                      <Match when={field.kind === "money"}>
                        <MoneyInput
                          id={id(field.field)}
                          aria-label={t("tests.expectedValue", { field: label() })}
                          value={
                            typeof props.value[field.field] === "number"
                              ? (props.value[field.field] as number)
                              : undefined
                          }
                          onChange={(fen) => set(field.field, fen)}
                          onValidity={(ok) => markValid(field.field, ok)}
                        />
                      </Match>
                      <Match when={field.kind === "json"}>
                        <JsonTextarea
                          id={id(field.field)}
                          aria-label={t("tests.expectedValue", { field: label() })}
                          rows={6}
                          value={props.value[field.field]}
                          onChange={(v) => set(field.field, v)}
                          onValidity={(ok) => markValid(field.field, ok)}
                        />
                        <span class="hint">
                          {field.field === "timers" ? t("tests.timersHint") : t("tests.jsonHint")}
                        </span>
                      </Match>
                    </Switch>
                  </Show>
                  <Show when={errorsOf(field.field).length > 0}>
                    <p class="field-error">{errorsOf(field.field).join("；")}</p>
                  </Show>
                </div>
              </div>
            );
          }}
        </For>
      </fieldset>
    </Show>
  );
}
