import { createSignal, createUniqueId, For, Show, untrack } from "solid-js";
import { fieldProblemText, type ShownProblem } from "../../ui/problem-text.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { businessIso, businessNow, zoneDetail, zoneName } from "../../business-zone.ts";
import { JsonTextarea } from "../../ui/json-textarea.tsx";
import { Control, FieldErrors, GroupField, type FormApi } from "./case-fields.tsx";
import { caseSchema, errorsAt, getAt, pathWords, setAt } from "./case-schema.ts";
import "./simulator.css";

type Props = {
  /** The case facts as they will be sent; fields left out keep the schema's defaults. */
  value: unknown;
  onChange: (facts: unknown) => void;
  /** The server's 422 errors, with paths from the facts' root ("order.items.0.priceFen"). */
  errors?: readonly ShownProblem[];
  /** Told whether the JSON being typed parses and every field's text means a value; a case that does not cannot be run or saved. */
  onValidity?: (valid: boolean) => void;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A refund case, filled in through a form drawn from the case schema or typed / pasted as JSON;
 * both edit the same value, so switching keeps everything. Used by the simulator and the test cases.
 */
export function CaseForm(props: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const uid = createUniqueId();
  const [mode, setMode] = createSignal<"form" | "json">("form");
  const [jsonValid, setJsonValid] = createSignal(true);
  // the fields whose text means no value (an amount typed as -10): the case they show is not the one held
  const [invalidFields, setInvalidFields] = createSignal<ReadonlySet<string>>(new Set());
  const form: FormApi = {
    get: (path) => getAt(props.value, path),
    set: (path, next) => props.onChange(setAt(isRecord(props.value) ? props.value : {}, path, next)),
    errors: (key) => errorsAt(props.errors, key, (problem) => fieldProblemText(problem, t)),
    id: (key) => `case-${uid}-${key}`,
    validity: (key, valid) => {
      const current = untrack(invalidFields);
      if (current.has(key) !== valid) return;
      const next = new Set(current);
      if (valid) next.delete(key);
      else next.add(key);
      setInvalidFields(next);
      props.onValidity?.(untrack(jsonValid) && next.size === 0);
    },
  };
  const focusField = (key: string) => {
    setMode("form");
    queueMicrotask(() => document.getElementById(form.id(key))?.focus());
  };
  const sections = Object.entries(caseSchema.properties ?? {}).filter(([key]) => key !== "now");
  const nowSchema = caseSchema.properties?.now ?? {};

  return (
    <div class="case-form">
      <div class="row case-form-bar">
        <fieldset class="segmented" aria-label={t("case.mode")}>
          <button
            type="button"
            class="btn btn-small"
            aria-pressed={mode() === "form"}
            disabled={!jsonValid() || !isRecord(props.value)}
            onClick={() => setMode("form")}
          >
            {t("case.mode.form")}
          </button>
          <button type="button" class="btn btn-small" aria-pressed={mode() === "json"} onClick={() => setMode("json")}>
            {t("case.mode.json")}
          </button>
        </fieldset>
        <span class="muted case-tz">
          {t("datetime.caseZone", { zone: zoneName(i18n.lang()), detail: zoneDetail() })}
        </span>
      </div>

      <Show when={(props.errors?.length ?? 0) > 0}>
        <div class="form-error case-errors" role="alert">
          <p>{t("case.errors", { count: props.errors!.length })}</p>
          <ul>
            <For each={props.errors}>
              {(problem) => (
                <li>
                  <button type="button" class="link-button" onClick={() => focusField(problem.path)}>
                    {pathWords(problem.path, i18n)}
                  </button>
                  : {fieldProblemText(problem, t)}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>

      <Show
        when={mode() === "form"}
        fallback={
          <JsonTextarea
            class="case-json"
            aria-label={t("case.mode.json")}
            rows={24}
            value={props.value}
            onChange={props.onChange}
            onValidity={(valid) => {
              setJsonValid(valid);
              props.onValidity?.(valid && untrack(invalidFields).size === 0);
            }}
          />
        }
      >
        <div class="case-field case-now">
          <label for={form.id("now")}>{t("case.now")}</label>
          <div class="row">
            <Control form={form} path={["now"]} schema={nowSchema} />
            <Button class="btn-small" onClick={() => form.set(["now"], businessIso(businessNow()))}>
              {t("case.now.setNow")}
            </Button>
            <Button class="btn-small" variant="ghost" onClick={() => form.set(["now"], undefined)}>
              {t("case.now.clear")}
            </Button>
          </div>
          <span class="hint">{t("case.now.hint")}</span>
          <FieldErrors form={form} at="now" />
        </div>
        <For each={sections}>{([key, schema]) => <GroupField form={form} path={[key]} schema={schema} />}</For>
        <FieldErrors form={form} at="(body)" />
      </Show>
    </div>
  );
}
