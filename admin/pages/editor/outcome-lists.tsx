import { createSignal, For, Show } from "solid-js";
import { timerLabels } from "../../../shared/labels.ts";
import { timerStarts, type Reason, type TimerSpec } from "../../../shared/outputs.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { CountedDurationInput } from "./counted-duration-input.tsx";
import type { ErrorsAt } from "./problems.ts";
import { EnumSelect } from "./typed-inputs.tsx";

/** The list fields of an outcome: reasons ({code, message} rows) and timers. */

// not snake_case, so never a code of its own
const CUSTOM = "*custom";

function RowErrors(props: { messages: string[] }) {
  return (
    <Show when={props.messages.length > 0}>
      <ul class="field-errors">
        <For each={props.messages}>{(message) => <li class="field-error">{message}</li>}</For>
      </ul>
    </Show>
  );
}

function rowsOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Reasons: the code callers branch on and the sentence a person reads. */
export function ReasonsEditor(props: {
  value: unknown;
  onChange: (next: Reason[]) => void;
  path: string;
  errors: ErrorsAt;
}) {
  const { t, field } = useI18n();
  const rows = () => rowsOf<Reason>(props.value);
  const update = (index: number, patch: Partial<Reason>) =>
    props.onChange(rows().map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <div class="outcome-list">
      <ol class="outcome-rows">
        <For each={rows()}>
          {(row, index) => {
            const at = (sub: string) => props.errors.at(`${props.path}.${index()}.${sub}`);
            return (
              <li class="outcome-row">
                <fieldset aria-label={t("outcome.reason", { n: index() + 1 })}>
                  <div class="row">
                    <input
                      class="mono reason-code"
                      aria-label={field("code")}
                      placeholder={t("outcome.codePlaceholder")}
                      aria-invalid={at("code").length > 0 ? "true" : undefined}
                      value={row.code ?? ""}
                      onInput={(e) => update(index(), { code: e.currentTarget.value })}
                    />
                    <input
                      class="reason-message"
                      aria-label={field("message")}
                      aria-invalid={at("message").length > 0 ? "true" : undefined}
                      value={row.message ?? ""}
                      onInput={(e) => update(index(), { message: e.currentTarget.value })}
                    />
                    <Button
                      class="btn-small"
                      variant="ghost"
                      onClick={() => props.onChange(rows().filter((_, i) => i !== index()))}
                    >
                      {t("outcome.removeReason")}
                    </Button>
                  </div>
                  <RowErrors messages={props.errors.under(`${props.path}.${index()}`)} />
                </fieldset>
              </li>
            );
          }}
        </For>
      </ol>
      <Button class="btn-small" onClick={() => props.onChange([...rows(), { code: "", message: "" }])}>
        + {t("outcome.addReason")}
      </Button>
    </div>
  );
}

/** A snake_case code picked from the known ones by its label, or typed when it is new. */
function CodePicker(props: {
  label: string;
  value: unknown;
  options: readonly string[];
  invalid: boolean;
  onChange: (code: string) => void;
}) {
  const { t, timer } = useI18n();
  const current = () => (typeof props.value === "string" ? props.value : "");
  const [customChosen, setCustomChosen] = createSignal(false);
  const custom = () => customChosen() || (current() !== "" && !props.options.includes(current()));
  return (
    <span class="typed-input">
      <select
        aria-label={props.label}
        aria-invalid={props.invalid ? "true" : undefined}
        onChange={(e) => {
          const chosen = e.currentTarget.value;
          setCustomChosen(chosen === CUSTOM);
          if (chosen !== CUSTOM) props.onChange(chosen);
        }}
      >
        <Show when={current() === "" && !custom()}>
          <option value="" selected disabled>
            —
          </option>
        </Show>
        <For each={props.options}>
          {(code) => (
            <option value={code} selected={!custom() && code === current()}>
              {timer(code)}
            </option>
          )}
        </For>
        <option value={CUSTOM} selected={custom()}>
          {t("outcome.custom")}
        </option>
      </select>
      <Show when={custom()}>
        <input
          class="mono code-input"
          aria-label={t("outcome.customCode", { label: props.label })}
          value={current()}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      </Show>
    </span>
  );
}

const allTimerCodes = Object.keys(timerLabels);

/** A new timer row: the first known timer the list does not run yet, 7 days, counted from the state's start. */
export function freshTimer(
  rows: readonly { key: string }[],
  timerKeys: readonly string[] = allTimerCodes,
  expiryActions: readonly string[] = allTimerCodes,
): TimerSpec {
  return {
    key: timerKeys.find((k) => !rows.some((row) => row.key === k)) ?? timerKeys[0] ?? "",
    duration: "P7D",
    onExpiry: expiryActions[0] ?? "",
    from: timerStarts[0],
  };
}

/** A timer as the editor holds it: its length may be the object form, which says how it is counted. */
type TimerRow = Omit<TimerSpec, "duration"> & { duration: unknown };

/** Timers: which clock, how long (and how counted), what happens when it runs out, and from when it counts. */
export function TimersEditor(props: {
  value: unknown;
  onChange: (next: TimerRow[]) => void;
  path: string;
  errors: ErrorsAt;
  timerKeys?: readonly string[];
  expiryActions?: readonly string[];
}) {
  const { t, field, value: valueLabel } = useI18n();
  const rows = () => rowsOf<TimerRow>(props.value);
  const keys = () => props.timerKeys ?? allTimerCodes;
  const actions = () => props.expiryActions ?? allTimerCodes;
  const update = (index: number, patch: Partial<TimerRow>) =>
    props.onChange(rows().map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <div class="outcome-list">
      <ol class="outcome-rows">
        <For each={rows()}>
          {(row, index) => {
            const at = (sub: string) => props.errors.at(`${props.path}.${index()}.${sub}`);
            return (
              <li class="outcome-row timer-row">
                <fieldset aria-label={t("outcome.timer", { n: index() + 1 })}>
                  <div class="timer-grid">
                    <div class="mini-field">
                      <span aria-hidden="true">{field("key")}</span>
                      <CodePicker
                        label={field("key")}
                        value={row.key}
                        options={keys()}
                        invalid={at("key").length > 0}
                        onChange={(key) => update(index(), { key })}
                      />
                    </div>
                    <div class="mini-field timer-duration">
                      <span aria-hidden="true">{field("duration")}</span>
                      <CountedDurationInput
                        label={field("duration")}
                        value={row.duration}
                        error={at("duration")[0]}
                        onChange={(duration) => update(index(), { duration })}
                      />
                    </div>
                    <div class="mini-field">
                      <span aria-hidden="true">{field("onExpiry")}</span>
                      <CodePicker
                        label={field("onExpiry")}
                        value={row.onExpiry}
                        options={actions()}
                        invalid={at("onExpiry").length > 0}
                        onChange={(onExpiry) => update(index(), { onExpiry })}
                      />
                    </div>
                    <div class="mini-field">
                      <span aria-hidden="true">{field("from")}</span>
                      <EnumSelect
                        label={field("from")}
                        value={row.from}
                        options={timerStarts}
                        describe={valueLabel}
                        error={at("from")[0]}
                        onChange={(from) => update(index(), { from: from as TimerSpec["from"] })}
                      />
                    </div>
                    <Button
                      class="btn-small timer-remove"
                      variant="ghost"
                      onClick={() => props.onChange(rows().filter((_, i) => i !== index()))}
                    >
                      {t("outcome.removeTimer")}
                    </Button>
                  </div>
                  <RowErrors messages={props.errors.under(`${props.path}.${index()}`)} />
                </fieldset>
              </li>
            );
          }}
        </For>
      </ol>
      <Button class="btn-small" onClick={() => props.onChange([...rows(), freshTimer(rows(), keys(), actions())])}>
        + {t("outcome.addTimer")}
      </Button>
    </div>
  );
}
