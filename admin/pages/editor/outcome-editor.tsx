import { For, Match, Show, Switch } from "solid-js";
import { z } from "zod";
import { Reason, TimerSpec } from "../../../shared/outputs.ts";
import { TemplateKey } from "../../../shared/reply-templates.ts";
import { useI18n } from "../../i18n/index.tsx";
import { freshTimer, ReasonsEditor, TimersEditor } from "./outcome-lists.tsx";
import { noErrors, type ErrorsAt } from "./problems.ts";
import { displayYuan } from "../../../shared/money.ts";
import { TemplateSelect } from "./template-select.tsx";
import { BooleanSelect, EnumChecks, EnumSelect, MoneyInput } from "./typed-inputs.tsx";

/** One field a rule's event may set, as the rule set's params schema declares it. */
export type OutcomeField =
  | { name: string; kind: "enum" | "codes"; options: readonly string[] }
  | { name: string; kind: "boolean" | "money" | "template" | "reasons" | "timers" | "json" };

/**
 * The fields of a params schema (`ruleSetKinds[kind].params`), in its order. The editor is
 * driven by the schema rather than by a list of its own, so a field added to the output contract
 * shows up here without a change.
 */
export function outcomeFields(schema: z.ZodType): OutcomeField[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, declared]): OutcomeField => {
    let inner: z.ZodType = declared;
    while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
    if (inner instanceof z.ZodEnum) return { name, kind: "enum", options: inner.options as string[] };
    if (inner instanceof z.ZodBoolean) return { name, kind: "boolean" };
    // a reply template, chosen among those published
    if (inner === TemplateKey) return { name, kind: "template" };
    // whole fen, as the case's amounts are named
    if (inner instanceof z.ZodNumber && name.endsWith("Fen")) return { name, kind: "money" };
    // a list of codes (service-playbook's actions), kept in the codes' own order
    if (inner instanceof z.ZodArray && inner.element instanceof z.ZodEnum)
      return { name, kind: "codes", options: inner.element.options as string[] };
    if (inner instanceof z.ZodArray && inner.element === Reason) return { name, kind: "reasons" };
    if (inner instanceof z.ZodArray && inner.element === TimerSpec) return { name, kind: "timers" };
    return { name, kind: "json" };
  });
}

export type OutcomeEditorProps = {
  /** What one rule's event may set: `ruleSetKinds[kind].params`. */
  schema: z.ZodType;
  params: Record<string, unknown>;
  onChange: (next: Record<string, unknown>) => void;
  /** The rule set's defaults, shown beside a field the rule leaves unset. */
  defaults?: Record<string, unknown>;
  /** Path of the params in the rule, for the server's problems: "event.params". */
  path?: string;
  errors?: ErrorsAt;
  timerKeys?: readonly string[];
  expiryActions?: readonly string[];
  /** Fields that must stay set (a kind's required defaults): their "set" box cannot be cleared. */
  required?: readonly string[];
};

function startingValue(field: OutcomeField, props: OutcomeEditorProps): unknown {
  switch (field.kind) {
    case "enum":
      return field.options[0];
    case "boolean":
      return true;
    case "money":
      return 0;
    case "template":
      return props.defaults?.[field.name] ?? "";
    case "codes":
      return [];
    case "reasons":
      return [{ code: "", message: "" }];
    case "timers":
      return [freshTimer([], props.timerKeys, props.expiryActions)];
    case "json":
      return null;
  }
}

/**
 * What a rule decides: for each field of the rule set's output, "set this field" and its value.
 * A field the rule leaves unset is decided by a later rule or the rule set's default.
 */
export function OutcomeEditor(props: OutcomeEditorProps) {
  const i18n = useI18n();
  const { t, field: fieldLabel } = i18n;
  const fields = () => outcomeFields(props.schema);
  const params = () => props.params ?? {};
  const path = () => props.path ?? "event.params";
  const errors = () => props.errors ?? noErrors;
  // fields the schema does not know (typed in the JSON view) stay visible, so they can be removed
  const extra = () => Object.keys(params()).filter((name) => !fields().some((f) => f.name === name));
  // Object.keys, not Object.hasOwn: a store tracks the keys it lists, not the descriptors it is asked for
  const isSet = (name: string) => Object.keys(params()).includes(name);
  const set = (name: string, value: unknown) => props.onChange({ ...params(), [name]: value });
  const unset = (name: string) =>
    props.onChange(Object.fromEntries(Object.entries(params()).filter(([key]) => key !== name)));
  const defaultWords = (name: string) => {
    const value = props.defaults?.[name];
    if (typeof value === "string") return t("outcome.unset", { value: i18n.value(value) });
    if (typeof value === "boolean") return t("outcome.unset", { value: t(value ? "cond.yes" : "cond.no") });
    if (typeof value === "number" && name.endsWith("Fen")) return t("outcome.unset", { value: displayYuan(value) });
    return t("outcome.unsetNoDefault");
  };

  const Field = (field: OutcomeField) => {
    const fieldPath = () => `${path()}.${field.name}`;
    // list fields show their rows' problems at the rows; the others all here
    const messages = () =>
      field.kind === "reasons" || field.kind === "timers" ? errors().at(fieldPath()) : errors().under(fieldPath());
    const label = () => fieldLabel(field.name);
    return (
      <div
        class="outcome-field"
        data-field={field.name}
        classList={{ "is-set": isSet(field.name), invalid: messages().length > 0 }}
      >
        <label class="outcome-toggle">
          <input
            type="checkbox"
            aria-label={t("outcome.setField", { field: label() })}
            checked={isSet(field.name)}
            disabled={props.required?.includes(field.name) && isSet(field.name)}
            onChange={(e) =>
              e.currentTarget.checked ? set(field.name, startingValue(field, props)) : unset(field.name)
            }
          />
          <span>{label()}</span>
        </label>
        <div class="outcome-value">
          <Show when={isSet(field.name)} fallback={<span class="muted">{defaultWords(field.name)}</span>}>
            <Switch>
              <Match when={field.kind === "enum" && field}>
                {(f) => (
                  <EnumSelect
                    label={label()}
                    value={params()[field.name]}
                    options={f().options}
                    error={messages()[0]}
                    onChange={(v) => set(field.name, v)}
                  />
                )}
              </Match>
              <Match when={field.kind === "boolean"}>
                <BooleanSelect
                  label={label()}
                  value={params()[field.name]}
                  error={messages()[0]}
                  onChange={(v) => set(field.name, v)}
                />
              </Match>
              <Match when={field.kind === "template"}>
                <TemplateSelect
                  label={label()}
                  value={params()[field.name]}
                  error={messages()[0]}
                  onChange={(v) => set(field.name, v)}
                />
              </Match>
              <Match when={field.kind === "money"}>
                <MoneyInput
                  label={label()}
                  value={params()[field.name]}
                  error={messages()[0]}
                  onChange={(v) => set(field.name, v)}
                />
              </Match>
              <Match when={field.kind === "codes" && field}>
                {(f) => (
                  <EnumChecks
                    label={label()}
                    value={params()[field.name]}
                    options={f().options}
                    error={messages()[0]}
                    onChange={(v) => set(field.name, v)}
                  />
                )}
              </Match>
              <Match when={field.kind === "reasons"}>
                <ReasonsEditor
                  value={params()[field.name]}
                  path={fieldPath()}
                  errors={errors()}
                  onChange={(v) => set(field.name, v)}
                />
              </Match>
              <Match when={field.kind === "timers"}>
                <TimersEditor
                  value={params()[field.name]}
                  path={fieldPath()}
                  errors={errors()}
                  timerKeys={props.timerKeys}
                  expiryActions={props.expiryActions}
                  onChange={(v) => set(field.name, v)}
                />
              </Match>
              <Match when={field.kind === "json"}>
                <code class="outcome-raw">
                  <span class="visually-hidden">{t("outcome.rawValue", { field: label() })} </span>
                  {JSON.stringify(params()[field.name])}
                </code>
              </Match>
            </Switch>
          </Show>
          <Show when={messages().length > 0}>
            <ul class="field-errors">
              <For each={messages()}>{(message) => <li class="field-error">{message}</li>}</For>
            </ul>
          </Show>
        </div>
      </div>
    );
  };

  return (
    <div class="outcome-editor">
      <Show when={Object.keys(params()).length === 0}>
        <p class="muted outcome-none">{t("outcome.none")}</p>
      </Show>
      <For each={fields()}>{(field) => Field(field)}</For>
      <For each={extra()}>{(name) => Field({ name, kind: "json" })}</For>
    </div>
  );
}
