import { createEffect, createSignal, createUniqueId, For, on, Show, type JSX } from "solid-js";
import { durationUnits, formatDuration, parseDuration, type DurationUnit } from "../../../shared/duration.ts";
import { formatYuan, parseYuan } from "../../../shared/money.ts";
import { useI18n } from "../../i18n/index.tsx";
import { parseCount } from "./values.ts";

/**
 * The inputs of one typed value. Each shows the value as a person reads it and hands back what
 * the rule stores. Text that is not a valid value yet is handed back as it was typed, so that the
 * working copy never silently keeps an older value: the field is marked and the server names it.
 */

type Base = { label: string; error?: string | undefined };

/**
 * Keeps what the person typed while it still means the stored value ("12.3" stays "12.3", not
 * "12.30"), and shows the stored value afresh when it changes from outside (JSON view, reload).
 */
function useTypedText<T>(
  value: () => unknown,
  show: (value: unknown) => T,
  emits: (local: T) => unknown,
  same = (a: unknown, b: unknown) => a === b,
) {
  const [local, setLocal] = createSignal<T>(show(value()));
  createEffect(
    on(value, (next) => {
      if (!same(emits(local()), next)) setLocal(() => show(next));
    }),
  );
  return [local, setLocal] as const;
}

function Problem(props: { id: string; text: string | undefined }) {
  return (
    <Show when={props.text}>
      <span id={props.id} class="field-error">
        {props.text}
      </span>
    </Show>
  );
}

/**
 * A number typed as text: shown with `format`, read back with `parse`; text that does not parse is passed on as it is
 * (the server names it) and marked here with `invalid`.
 */
function ParsedInput(
  props: Base & {
    value: unknown;
    onChange: (value: unknown) => void;
    format: (value: number) => string;
    parse: (text: string) => number | undefined;
    invalid: string;
    input: JSX.InputHTMLAttributes<HTMLInputElement>;
    before?: JSX.Element;
    after?: JSX.Element;
  },
) {
  const id = createUniqueId();
  const show = (v: unknown) => (typeof v === "number" ? props.format(v) : typeof v === "string" ? v : "");
  const emits = (text: string) => props.parse(text) ?? text;
  const [text, setText] = useTypedText(() => props.value, show, emits);
  const problem = () => (props.parse(text()) === undefined ? props.invalid : undefined);
  return (
    <span class="typed-input">
      {props.before}
      <input
        {...props.input}
        aria-label={props.label}
        aria-invalid={problem() || props.error ? "true" : undefined}
        aria-describedby={problem() ? id : undefined}
        value={text()}
        onInput={(e) => {
          setText(e.currentTarget.value);
          props.onChange(emits(e.currentTarget.value));
        }}
      />
      {props.after}
      <Problem id={id} text={problem()} />
    </span>
  );
}

/** Fen from typed yuan; empty text is no amount either here, since a condition compares with one. */
const amountOf = (text: string) => parseYuan(text) ?? undefined;

/** Money shown in yuan ("12.34"), stored in fen (1234). */
export function MoneyInput(props: Base & { value: unknown; onChange: (value: unknown) => void }) {
  const { t } = useI18n();
  return (
    <ParsedInput
      {...props}
      format={formatYuan}
      parse={amountOf}
      invalid={t("cond.moneyInvalid")}
      input={{ type: "text", inputmode: "decimal", class: "money-input" }}
      before={
        <span class="affix" aria-hidden="true">
          ¥
        </span>
      }
      after={<span class="affix">{t("cond.yuan")}</span>}
    />
  );
}

/** A whole number. */
export function CountInput(props: Base & { value: unknown; onChange: (value: unknown) => void }) {
  const { t } = useI18n();
  return (
    <ParsedInput
      {...props}
      format={String}
      parse={parseCount}
      invalid={t("cond.countInvalid")}
      // text, not a number field: a browser's number field drops "３" or "1e" and reports it as empty
      input={{ type: "text", inputmode: "numeric", autocomplete: "off", class: "count-input" }}
    />
  );
}

const unitMinutes: Record<DurationUnit, number> = { days: 1440, hours: 60, minutes: 1 };

/**
 * The same length of time in another unit (5 天 → 120 小时), or undefined when it is no whole number there (30 小时 is
 * 1.25 天): a unit switch converts, it never keeps the number and silently changes the length.
 */
export function convertDuration(amount: number, from: DurationUnit, to: DurationUnit): number | undefined {
  const converted = (amount * unitMinutes[from]) / unitMinutes[to];
  return Number.isInteger(converted) ? converted : undefined;
}

/**
 * A duration as a number and a unit (天 / 小时 / 分钟), stored as ISO 8601 (P7D, PT48H). Switching the unit converts the
 * number (5 天 → 120 小时); a number that would not be whole in the new unit keeps its unit and says why. `units` narrows
 * the units offered (days only for a duration counted in whole days); the unit a value is written in always stays shown.
 */
export function DurationInput(
  props: Base & { value: unknown; onChange: (value: string) => void; units?: readonly DurationUnit[] },
) {
  const { t } = useI18n();
  const id = createUniqueId();
  const noteId = createUniqueId();
  const [note, setNote] = createSignal<{ text: string; refused: boolean }>();
  type Local = { amount: string; unit: DurationUnit; raw?: string };
  const show = (v: unknown): Local => {
    const parts = typeof v === "string" ? parseDuration(v) : undefined;
    if (parts) return { amount: String(parts.amount), unit: parts.unit };
    return { amount: "", unit: "days", raw: typeof v === "string" && v !== "" ? v : undefined };
  };
  const emits = (local: Local) => {
    const amount = parseCount(local.amount);
    return amount === undefined ? (local.raw ?? local.amount) : formatDuration({ amount, unit: local.unit });
  };
  const [local, setLocal] = useTypedText(() => props.value, show, emits);
  const update = (next: Local) => {
    setLocal(next);
    props.onChange(String(emits(next)));
  };
  const words = (amount: number, unit: DurationUnit) => `${amount} ${t(`unit.${unit}`)}`;
  const switchUnit = (select: HTMLSelectElement, unit: DurationUnit) => {
    const { amount: text, unit: from } = local();
    const amount = parseCount(text);
    // no number yet: nothing to convert
    if (amount === undefined) {
      setNote(undefined);
      update({ amount: text, unit });
      return;
    }
    const converted = convertDuration(amount, from, unit);
    if (converted === undefined) {
      select.value = from;
      const approx = `${Number(((amount * unitMinutes[from]) / unitMinutes[unit]).toFixed(2))} ${t(`unit.${unit}`)}`;
      setNote({
        text: t("cond.unitRefused", { from: words(amount, from), unit: t(`unit.${unit}`), approx }),
        refused: true,
      });
      return;
    }
    setNote({
      text: t("cond.unitConverted", { from: words(amount, from), to: words(converted, unit) }),
      refused: false,
    });
    update({ amount: String(converted), unit });
  };
  const problem = () => {
    if (local().raw !== undefined && local().amount === "") return t("cond.durationRaw", { value: local().raw! });
    return parseCount(local().amount) === undefined ? t("cond.durationInvalid") : undefined;
  };
  return (
    <span class="typed-input">
      <input
        type="text"
        inputmode="numeric"
        autocomplete="off"
        class="duration-amount"
        aria-label={props.label}
        aria-invalid={problem() || props.error ? "true" : undefined}
        aria-describedby={[problem() ? id : "", note() ? noteId : ""].filter(Boolean).join(" ") || undefined}
        value={local().amount}
        onInput={(e) => {
          setNote(undefined);
          update({ amount: e.currentTarget.value, unit: local().unit });
        }}
      />
      <select
        aria-label={t("cond.unit")}
        aria-describedby={note() ? noteId : undefined}
        onChange={(e) => switchUnit(e.currentTarget, e.currentTarget.value as DurationUnit)}
      >
        <For each={durationUnits.filter((unit) => !props.units || props.units.includes(unit) || unit === local().unit)}>
          {(unit) => (
            <option value={unit} selected={local().unit === unit}>
              {t(`unit.${unit}`)}
            </option>
          )}
        </For>
      </select>
      <Problem id={id} text={problem()} />
      <Show when={note()}>
        {(shown) => (
          <span
            id={noteId}
            class={shown().refused ? "field-error" : "hint duration-note"}
            role={shown().refused ? "alert" : "status"}
          >
            {shown().text}
          </span>
        )}
      </Show>
    </span>
  );
}

/** One value of an enum, each shown by its label. A value outside the list stays visible. */
export function EnumSelect(
  props: Base & {
    value: unknown;
    options: readonly string[];
    onChange: (value: string) => void;
    describe?: (value: string) => string;
  },
) {
  const { value: valueLabel } = useI18n();
  const describe = (v: string) => (props.describe ?? valueLabel)(v);
  const current = () => (typeof props.value === "string" ? props.value : JSON.stringify(props.value ?? ""));
  return (
    <select
      aria-label={props.label}
      aria-invalid={props.error ? "true" : undefined}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      <Show when={!props.options.includes(current())}>
        <option value={current()} selected>
          {current()}
        </option>
      </Show>
      <For each={props.options}>
        {(option) => (
          <option value={option} selected={option === current()}>
            {describe(option)}
          </option>
        )}
      </For>
    </select>
  );
}

/** Several values of an enum (for "是以下之一"), as checkboxes in the enum's order. */
export function EnumChecks(
  props: Base & { value: unknown; options: readonly string[]; onChange: (value: string[]) => void },
) {
  const { value: valueLabel } = useI18n();
  const chosen = () =>
    Array.isArray(props.value) ? (props.value as unknown[]).filter((v): v is string => typeof v === "string") : [];
  const toggle = (option: string, on: boolean) => {
    const next = new Set(chosen());
    if (on) next.add(option);
    else next.delete(option);
    // stored in the enum's own order, so the JSON reads the same however it was clicked
    props.onChange([
      ...props.options.filter((o) => next.has(o)),
      ...[...next].filter((o) => !props.options.includes(o)),
    ]);
  };
  return (
    <fieldset class="enum-checks" classList={{ invalid: !!props.error }}>
      <legend class="visually-hidden">{props.label}</legend>
      <For each={props.options}>
        {(option) => (
          <label class="check">
            <input
              type="checkbox"
              checked={chosen().includes(option)}
              onChange={(e) => toggle(option, e.currentTarget.checked)}
            />
            {valueLabel(option)}
          </label>
        )}
      </For>
    </fieldset>
  );
}

/** 是 / 否. */
export function BooleanSelect(props: Base & { value: unknown; onChange: (value: boolean) => void }) {
  const { t } = useI18n();
  return (
    <select
      aria-label={props.label}
      aria-invalid={props.error ? "true" : undefined}
      onChange={(e) => props.onChange(e.currentTarget.value === "true")}
    >
      <Show when={typeof props.value !== "boolean"}>
        <option value="" selected>
          {JSON.stringify(props.value ?? null)}
        </option>
      </Show>
      <option value="true" selected={props.value === true}>
        {t("cond.yes")}
      </option>
      <option value="false" selected={props.value === false}>
        {t("cond.no")}
      </option>
    </select>
  );
}
