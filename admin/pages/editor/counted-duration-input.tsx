import { createSignal, createUniqueId, For, Show } from "solid-js";
import { formatDuration, parseDuration, type DurationUnit } from "../../../shared/duration.ts";
import { BusinessHours, countings, DEFAULT_BUSINESS_HOURS, type Counting } from "../../../shared/periods.ts";
import { countedValue, countingName } from "../../counting-words.ts";
import { useI18n, type MessageKey } from "../../i18n/index.tsx";
import { convertDuration, DurationInput } from "./typed-inputs.tsx";

/** Calendar and working days are counted in whole days: their length is a number of days. */
const byWholeDays = (counting: Counting) => counting === "calendar_days" || counting === "working_days";
const daysOnly: readonly DurationUnit[] = ["days"];

/**
 * A duration in a rule (a condition's window, a timer's length) and how it is counted, in plain words: 按实际经过时间 /
 * 按自然日，次日起算，遇节假日顺延 / 按工作日 / 按工作时间 09:00–18:00. Elapsed time stays the plain ISO string a rule
 * always held, so a rule nobody touched saves as it was; another counting writes the object form
 * `{ duration, counting, hours? }`. An object form already in the rule keeps its shape while only its length changes.
 */
export function CountedDurationInput(props: {
  label: string;
  value: unknown;
  error?: string | undefined;
  onChange: (value: unknown) => void;
}) {
  const { t, lang } = useI18n();
  const hintId = createUniqueId();
  const [note, setNote] = createSignal<{ text: string; refused: boolean }>();
  const counted = () => countedValue(props.value);
  const counting = (): Counting => counted()?.counting ?? "elapsed";
  const duration = (): unknown => counted()?.duration ?? props.value;
  const hours = () => counted()?.hours ?? DEFAULT_BUSINESS_HOURS;
  const hoursProblem = () => (BusinessHours.safeParse(hours()).success ? undefined : t("count.hoursInvalid"));

  /** The value with a new length, in the shape it already has. */
  const withDuration = (next: string) => {
    const object = counted();
    return object ? { ...(props.value as object), duration: next } : next;
  };

  const choose = (select: HTMLSelectElement, next: Counting) => {
    let length = duration();
    setNote(undefined);
    const parts = typeof length === "string" ? parseDuration(length) : undefined;
    if (byWholeDays(next) && parts && parts.unit !== "days") {
      const days = convertDuration(parts.amount, parts.unit, "days");
      const from = `${parts.amount} ${t(`unit.${parts.unit}`)}`;
      const name = countingName(next, lang());
      if (days === undefined) {
        // a switch never rounds a length: the person changes the number, then the counting
        select.value = counting();
        setNote({ text: t("count.wholeDaysRefused", { from, counting: name }), refused: true });
        return;
      }
      length = formatDuration({ amount: days, unit: "days" });
      setNote({ text: t("count.toDays", { counting: name, from, to: `${days} ${t("unit.days")}` }), refused: false });
    }
    // business hours start at the default 09:00–18:00: `hours` is written once the person changes them
    props.onChange(next === "elapsed" ? length : { duration: length, counting: next });
  };

  const setHours = (patch: Partial<BusinessHours>) =>
    props.onChange({ duration: duration(), counting: "business_hours", hours: { ...hours(), ...patch } });

  return (
    <span class="counted-duration">
      <DurationInput
        label={props.label}
        value={duration()}
        error={props.error}
        units={byWholeDays(counting()) ? daysOnly : undefined}
        onChange={(next) => {
          setNote(undefined);
          props.onChange(withDuration(next));
        }}
      />
      <select
        class="counting-picker"
        aria-label={t("count.counting")}
        aria-describedby={hintId}
        onChange={(e) => choose(e.currentTarget, e.currentTarget.value as Counting)}
      >
        <For each={countings}>
          {(way) => (
            <option value={way} selected={way === counting()}>
              {countingName(way, lang(), hours())}
            </option>
          )}
        </For>
      </select>
      <Show when={counting() === "business_hours"}>
        <span class="business-hours">
          <input
            type="time"
            class="hours-input"
            aria-label={t("count.from")}
            aria-invalid={hoursProblem() ? "true" : undefined}
            value={hours().from}
            onChange={(e) => setHours({ from: e.currentTarget.value })}
          />
          <span aria-hidden="true">–</span>
          <input
            type="time"
            class="hours-input"
            aria-label={t("count.until")}
            aria-invalid={hoursProblem() ? "true" : undefined}
            value={hours().until}
            onChange={(e) => setHours({ until: e.currentTarget.value })}
          />
        </span>
      </Show>
      <Show when={hoursProblem()}>{(problem) => <span class="field-error">{problem()}</span>}</Show>
      <Show when={note()}>
        {(shown) => (
          <span
            class={shown().refused ? "field-error" : "hint duration-note"}
            role={shown().refused ? "alert" : "status"}
          >
            {shown().text}
          </span>
        )}
      </Show>
      <span id={hintId} class="hint counting-hint">
        {t(`count.hint.${counting()}` as MessageKey, hours())}
      </span>
    </span>
  );
}
