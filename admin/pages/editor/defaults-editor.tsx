import { For, Show } from "solid-js";
import { reconcile } from "solid-js/store";
import { z } from "zod";
import { useI18n } from "../../i18n/index.tsx";
import type { RuleSetState } from "../rule-set/rule-set-context.tsx";
import { OutcomeEditor } from "./outcome-editor.tsx";
import type { ErrorsAt } from "./problems.ts";

/** The fields a defaults schema requires: a decision needs them when no rule sets them, so none can be removed. */
export function requiredDefaults(schema: z.ZodType): string[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, declared]) => !(declared instanceof z.ZodOptional || declared instanceof z.ZodDefault))
    .map(([name]) => name);
}

/** The plain fields of a defaults schema (not the lists rules add to): those a rule set may ask rules to decide. */
export function decidableFields(schema: z.ZodType): string[] {
  if (!(schema instanceof z.ZodObject)) return [];
  const unwrap = (declared: z.ZodType): z.ZodType =>
    declared instanceof z.ZodOptional || declared instanceof z.ZodDefault
      ? unwrap(declared.def.innerType as z.ZodType)
      : declared;
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, declared]) => !(unwrap(declared) instanceof z.ZodArray))
    .map(([name]) => name);
}

/**
 * The "默认结果" card: the decision's fields when no fired rule sets them, edited field by field with a rule
 * outcome's typed inputs, and which fields a rule must decide for every case (the analysis reports a gap where none
 * does). Changes go to the working copy and are saved with the draft.
 */
export function DefaultsEditor(props: {
  state: Pick<RuleSetState, "working" | "setWorking">;
  /** The kind's defaults schema: `ruleSetKinds[kind].defaults`. */
  schema: z.ZodType;
  errors?: ErrorsAt;
  timerKeys?: readonly string[];
  expiryActions?: readonly string[];
}) {
  const { t, field } = useI18n();
  const decided = () => new Set(props.state.working.decidedByRules ?? []);
  const toggle = (name: string, on: boolean) => {
    const next = decidableFields(props.schema).filter((f) => (f === name ? on : decided().has(f)));
    props.state.setWorking("decidedByRules", next);
  };
  return (
    <section class="card defaults-card" aria-labelledby="defaults-heading">
      <h2 id="defaults-heading">{t("editor.defaults")}</h2>
      <p class="hint">{t("editor.defaultsHint")}</p>
      <OutcomeEditor
        schema={props.schema}
        params={props.state.working.defaults}
        required={requiredDefaults(props.schema)}
        path="defaults"
        errors={props.errors}
        timerKeys={props.timerKeys}
        expiryActions={props.expiryActions}
        onChange={(next) => props.state.setWorking("defaults", reconcile(next))}
      />
      <Show when={decidableFields(props.schema).length > 0}>
        <fieldset class="decided-by-rules">
          <legend>{t("editor.decidedByRules")}</legend>
          <p class="hint">{t("editor.decidedByRulesHint")}</p>
          <For each={decidableFields(props.schema)}>
            {(name) => (
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={decided().has(name)}
                  onChange={(event) => toggle(name, event.currentTarget.checked)}
                />{" "}
                {field(name)}
              </label>
            )}
          </For>
        </fieldset>
      </Show>
    </section>
  );
}
