import { createEffect, createMemo, createSignal, createUniqueId, For, on, onCleanup, Show, untrack } from "solid-js";
import {
  endOfDay,
  formatDate,
  formatWallTime,
  instantOf,
  isStartOfDay,
  parseDate,
  parseWallTime,
  previousDay,
  toZonedIso,
  wallTimeAt,
  type CalendarDate,
  type WallTime,
  type WallTimeProblem,
} from "../../shared/business-time.ts";
import { businessNow, businessZone, zoneDetail, zoneName } from "../business-zone.ts";
import { useI18n, type MessageKey } from "../i18n/index.tsx";
import "./datetime-input.css";

/** The reason each unreadable text is refused, said at the field. */
export const wallTimeProblemKeys: Record<WallTimeProblem, MessageKey> = {
  format: "datetime.format",
  date: "datetime.noSuchDay",
  time: "datetime.noSuchTime",
  skipped: "datetime.skipped",
};

/** An instant as the field shows it: the business zone's wall clock, `2026-11-11 00:00` ("" when absent). */
export function instantToText(iso: string | undefined, zone: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const wall = wallTimeAt(date, zone);
  return formatWallTime(wall, { seconds: wall.second !== 0 });
}

/** Typed text read in the business zone: empty, an instant (`2026-11-11T00:00:00+08:00`), or why it is none. */
export function readDateTime(
  text: string,
  zone: string,
): { empty: true } | { empty: false; iso: string } | { empty: false; problem: WallTimeProblem } {
  if (text.trim() === "") return { empty: true };
  const parsed = parseWallTime(text, zone);
  if (!parsed.ok) return { empty: false, problem: parsed.problem };
  return { empty: false, iso: toZonedIso(instantOf(parsed.wall, zone)!, zone) };
}

type Props = {
  id?: string;
  /** The moment as an ISO timestamp; undefined when empty. */
  value: string | undefined;
  /** Called with the moment as ISO 8601 in the business zone (`2026-11-11T00:00:00+08:00`), or undefined when emptied. */
  onChange: (iso: string | undefined) => void;
  /**
   * Told whether the text is a time (or empty). While it is not, nothing is passed on, so the value kept is not the one
   * shown: a form must not submit until it is valid again.
   */
  onValidity?: (valid: boolean) => void;
  /** The end of a range: a day picked in the calendar means to the end of that day, the next day's 00:00. */
  end?: boolean;
  class?: string;
  disabled?: boolean;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean | "true" | "false";
  "aria-label"?: string;
};

/**
 * The admin's own date-time field: `YYYY-MM-DD HH:mm` typed (full-width digits too) or picked from a calendar, always
 * in the business time zone, named beside it (北京时间), whatever the browser's zone and locale. Text that is no time
 * shows its reason at the field, makes the input invalid (a form will not submit it) and is not passed on.
 */
export function DateTimeInput(props: Props) {
  const { t, lang } = useI18n();
  const errorId = createUniqueId();
  const calendarId = createUniqueId();
  const [text, setText] = createSignal(instantToText(props.value, businessZone()));
  const [focused, setFocused] = createSignal(false);
  const [open, setOpen] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let wrapper: HTMLDivElement | undefined;
  let toggle: HTMLButtonElement | undefined;

  const read = createMemo(() => readDateTime(text(), businessZone()));
  const problem = () => {
    const r = read();
    return "problem" in r ? r.problem : undefined;
  };
  const problemText = () => {
    const p = problem();
    return p ? t(wallTimeProblemKeys[p], { zone: zoneName(lang()) }) : undefined;
  };
  // the reason shows once the text is complete or the field is left, not at every key of a time being typed
  const shownProblem = () => (problem() && (!focused() || text().trim().length >= 16) ? problemText() : undefined);

  // a moment set from outside (a loaded case, a shortcut, the settings' zone) replaces the text; the user's typing does not
  createEffect(
    on(
      [() => props.value, businessZone],
      ([iso, zone]) => {
        const current = untrack(read);
        const same = "iso" in current && iso !== undefined && Date.parse(current.iso) === Date.parse(iso);
        if (!same && !(current.empty && iso === undefined)) setText(instantToText(iso, zone));
      },
      { defer: true },
    ),
  );
  createEffect(on(problem, (p) => props.onValidity?.(p === undefined)));
  createEffect(() => input?.setCustomValidity(problemText() ?? ""));
  // a field taken away no longer holds anything back
  onCleanup(() => props.onValidity?.(true));

  const commit = (next: string) => {
    setText(next);
    const r = read();
    if (r.empty) props.onChange(undefined);
    else if ("iso" in r) props.onChange(r.iso);
  };

  const describedBy = () =>
    [props["aria-describedby"], shownProblem() ? errorId : undefined, `${errorId}-zone`].filter(Boolean).join(" ");
  const invalid = () =>
    shownProblem() !== undefined || props["aria-invalid"] === true || props["aria-invalid"] === "true";
  const shownWall = (): WallTime | undefined => {
    const r = read();
    return "iso" in r ? wallTimeAt(new Date(r.iso), businessZone()) : undefined;
  };
  // an end at a day's 00:00 reads as the whole day before, included: 2026-11-21 00:00 is "to the end of 11-20"
  const wholeDayEnd = () => {
    const wall = shownWall();
    return props.end && wall && isStartOfDay(wall) ? formatDate(previousDay(wall)) : undefined;
  };

  // the calendar marks the day the field holds; an end at 00:00 marks the day it ends
  const selectedDay = (): CalendarDate | undefined => {
    const wall = shownWall();
    if (!wall) return undefined;
    return wholeDayEnd() ? previousDay(wall) : wall;
  };
  const closeCalendar = (refocus: boolean) => {
    setOpen(false);
    if (refocus) toggle?.focus();
  };
  dismissPopup(open, closeCalendar, () => wrapper);

  const pick = (day: CalendarDate, toEndOfDay: boolean) => {
    const wall = shownWall();
    const next = toEndOfDay
      ? endOfDay(day)
      : { ...day, hour: wall?.hour ?? 0, minute: wall?.minute ?? 0, second: wall?.second ?? 0 };
    const zone = businessZone();
    // a picked day whose kept time the zone skips starts at the day's 00:00 instead
    const at = instantOf(next, zone) ?? instantOf({ ...day, hour: 0, minute: 0, second: 0 }, zone)!;
    commit(instantToText(at.toISOString(), zone));
    closeCalendar(true);
  };

  return (
    <div ref={wrapper} class={`datetime-input ${props.class ?? ""}`}>
      <div class="datetime-row">
        <input
          ref={input}
          id={props.id}
          type="text"
          class="mono datetime-text"
          inputmode="numeric"
          autocomplete="off"
          spellcheck={false}
          placeholder={t("datetime.placeholder")}
          disabled={props.disabled}
          aria-label={props["aria-label"]}
          aria-invalid={invalid() ? "true" : undefined}
          aria-describedby={describedBy()}
          value={text()}
          onInput={(event) => commit(event.currentTarget.value)}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onInvalid={() => setFocused(false)}
        />
        <button
          ref={toggle}
          type="button"
          class="btn btn-small btn-secondary datetime-pick"
          aria-label={t("datetime.pick")}
          title={t("datetime.pick")}
          aria-expanded={open()}
          aria-controls={calendarId}
          disabled={props.disabled}
          onClick={() => setOpen(!open())}
        >
          <CalendarIcon />
        </button>
        <span class="datetime-zone" id={`${errorId}-zone`} title={t("datetime.zoneTitle", { detail: zoneDetail() })}>
          {zoneName(lang())}
        </span>
      </div>
      <Show when={open()}>
        <Calendar id={calendarId} selected={selectedDay()} end={props.end === true} onPick={pick} />
      </Show>
      <Show when={shownProblem()}>
        <span class="field-error datetime-error" id={errorId} role="alert">
          {shownProblem()}
        </span>
      </Show>
      <Show when={!shownProblem() && wholeDayEnd()}>
        <span class="datetime-note">{t("datetime.wholeDay", { date: wholeDayEnd()! })}</span>
      </Show>
    </div>
  );
}

/**
 * Closes an open popup when the mouse goes down outside `container`, and on Escape inside it, giving the focus back
 * (`close(true)`). Escape is taken before a surrounding dialog sees it, so that it closes the calendar, not the dialog.
 */
function dismissPopup(
  open: () => boolean,
  close: (refocus: boolean) => void,
  container: () => HTMLElement | undefined,
) {
  const onDown = (event: MouseEvent) => {
    const element = container();
    if (element && !element.contains(event.target as Node)) close(false);
  };
  const onKey = (event: KeyboardEvent) => {
    const element = container();
    if (event.key !== "Escape" || !element?.contains(event.target as Node)) return;
    event.stopPropagation();
    event.preventDefault();
    close(true);
  };
  const detach = () => {
    document.removeEventListener("mousedown", onDown);
    document.removeEventListener("keydown", onKey, true);
  };
  createEffect(() => {
    if (!open()) return detach();
    document.addEventListener("mousedown", onDown);
    document.addEventListener("keydown", onKey, true);
  });
  onCleanup(detach);
}

type DayProps = {
  id?: string;
  /** The day as `2026-11-11`; undefined when empty. */
  value: string | undefined;
  onChange: (day: string | undefined) => void;
  /** Told whether the text is a day (or empty); while it is not, nothing is passed on. */
  onValidity?: (valid: boolean) => void;
  "aria-describedby"?: string;
  "aria-label"?: string;
};

/** A calendar day, `YYYY-MM-DD`, typed (full-width digits too) or picked from a calendar; no time, no zone. */
export function DayInput(props: DayProps) {
  const { t } = useI18n();
  const errorId = createUniqueId();
  const calendarId = createUniqueId();
  const [text, setText] = createSignal(props.value ?? "");
  const [focused, setFocused] = createSignal(false);
  const [open, setOpen] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let wrapper: HTMLDivElement | undefined;
  let toggle: HTMLButtonElement | undefined;
  const read = createMemo(() => (text().trim() === "" ? undefined : parseDate(text())));
  const problemText = () => {
    const r = read();
    if (!r || r.ok) return undefined;
    return t(r.problem === "format" ? "datetime.dateFormat" : "datetime.noSuchDay");
  };
  const shownProblem = () => (problemText() && (!focused() || text().trim().length >= 10) ? problemText() : undefined);
  createEffect(
    on(
      () => props.value,
      (day) => {
        const r = untrack(read);
        const current = r?.ok ? formatDate(r.date) : undefined;
        if (current !== day) setText(day ?? "");
      },
      { defer: true },
    ),
  );
  createEffect(on(problemText, (p) => props.onValidity?.(p === undefined)));
  createEffect(() => input?.setCustomValidity(problemText() ?? ""));
  onCleanup(() => props.onValidity?.(true));
  dismissPopup(
    open,
    (refocus) => {
      setOpen(false);
      if (refocus) toggle?.focus();
    },
    () => wrapper,
  );
  const commit = (next: string) => {
    setText(next);
    const r = read();
    if (r === undefined) props.onChange(undefined);
    else if (r.ok) props.onChange(formatDate(r.date));
  };
  const selectedDate = (): CalendarDate | undefined => {
    const r = read();
    return r?.ok ? r.date : undefined;
  };
  const describedBy = () => [props["aria-describedby"], shownProblem() ? errorId : undefined].filter(Boolean).join(" ");
  return (
    <div ref={wrapper} class="datetime-input day-input">
      <div class="datetime-row">
        <input
          ref={input}
          id={props.id}
          type="text"
          class="mono day-text"
          inputmode="numeric"
          autocomplete="off"
          spellcheck={false}
          placeholder={t("datetime.datePlaceholder")}
          aria-label={props["aria-label"]}
          aria-invalid={shownProblem() ? "true" : undefined}
          aria-describedby={describedBy() || undefined}
          value={text()}
          onInput={(event) => commit(event.currentTarget.value)}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onInvalid={() => setFocused(false)}
        />
        <button
          ref={toggle}
          type="button"
          class="btn btn-small btn-secondary datetime-pick"
          aria-label={t("datetime.pick")}
          title={t("datetime.pick")}
          aria-expanded={open()}
          aria-controls={calendarId}
          onClick={() => setOpen(!open())}
        >
          <CalendarIcon />
        </button>
      </div>
      <Show when={open()}>
        <Calendar
          id={calendarId}
          selected={selectedDate()}
          end={false}
          onPick={(day) => {
            commit(formatDate(day));
            setOpen(false);
            toggle?.focus();
          }}
        />
      </Show>
      <Show when={shownProblem()}>
        <span class="field-error datetime-error" id={errorId} role="alert">
          {shownProblem()}
        </span>
      </Show>
    </div>
  );
}

function CalendarIcon() {
  return (
    <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor">
      <rect x="2" y="3" width="12" height="11" rx="1.5" stroke-width="1.4" />
      <path d="M2 6.5h12M5 1.5v3M11 1.5v3" stroke-width="1.4" stroke-linecap="round" />
    </svg>
  );
}

const sameDay = (a: CalendarDate | undefined, b: CalendarDate) =>
  a !== undefined && a.year === b.year && a.month === b.month && a.day === b.day;

/**
 * A month of days, Monday first, in the business zone: today is marked, the field's day selected. For the end of a
 * range, "to the end of the picked day" is on by default, so picking 11-20 stores 11-21 00:00.
 */
function Calendar(props: {
  id: string;
  selected: CalendarDate | undefined;
  end: boolean;
  onPick: (day: CalendarDate, toEndOfDay: boolean) => void;
}) {
  const { t, lang } = useI18n();
  const today = () => wallTimeAt(businessNow(), businessZone());
  const start = untrack(() => props.selected ?? today());
  const [month, setMonth] = createSignal({ year: start.year, month: start.month });
  const [toEnd, setToEnd] = createSignal(props.end);
  const shift = (delta: number) =>
    setMonth((m) => {
      const index = m.year * 12 + (m.month - 1) + delta;
      return { year: Math.floor(index / 12), month: (index % 12) + 1 };
    });
  const weeks = createMemo(() => {
    const { year, month: m } = month();
    const first = new Date(0);
    first.setUTCFullYear(year, m - 1, 1);
    const lead = (first.getUTCDay() + 6) % 7;
    const days: (CalendarDate | undefined)[] = Array.from({ length: lead }, () => undefined);
    const last = new Date(0);
    last.setUTCFullYear(year, m, 0);
    for (let day = 1; day <= last.getUTCDate(); day++) days.push({ year, month: m, day });
    while (days.length % 7 !== 0) days.push(undefined);
    return Array.from({ length: days.length / 7 }, (_, i) => days.slice(i * 7, i * 7 + 7));
  });
  const title = () => {
    const { year, month: m } = month();
    const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(
      Date.UTC(2000, m - 1, 1),
    );
    return t("datetime.month", { year, month: m, monthName });
  };
  const titleId = `${props.id}-title`;
  return (
    <fieldset class="datetime-calendar" id={props.id} aria-labelledby={titleId}>
      <div class="datetime-calendar-head">
        <button
          type="button"
          class="btn btn-small btn-ghost"
          aria-label={t("datetime.prevMonth")}
          onClick={() => shift(-1)}
        >
          ‹
        </button>
        <strong id={titleId} aria-live="polite">
          {title()}
        </strong>
        <button
          type="button"
          class="btn btn-small btn-ghost"
          aria-label={t("datetime.nextMonth")}
          onClick={() => shift(1)}
        >
          ›
        </button>
      </div>
      <table class="datetime-days">
        <thead>
          <tr>
            <For each={t("datetime.weekdays").split(",")}>{(day) => <th scope="col">{day}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={weeks()}>
            {(week) => (
              <tr>
                <For each={week}>
                  {(day) => (
                    <td>
                      <Show when={day}>
                        {(d) => (
                          <button
                            type="button"
                            class="datetime-day"
                            classList={{ today: sameDay(today(), d()) }}
                            aria-label={formatDate(d())}
                            aria-pressed={sameDay(props.selected, d())}
                            aria-current={sameDay(today(), d()) ? "date" : undefined}
                            onClick={() => props.onPick(d(), toEnd())}
                          >
                            {d().day}
                          </button>
                        )}
                      </Show>
                    </td>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <div class="datetime-calendar-foot">
        <Show when={props.end}>
          <label class="datetime-end-of-day">
            <input type="checkbox" checked={toEnd()} onChange={(e) => setToEnd(e.currentTarget.checked)} />
            <span>{t("datetime.endOfDay")}</span>
          </label>
        </Show>
        <button
          type="button"
          class="btn btn-small btn-ghost"
          lang={lang() === "zh" ? "zh-CN" : "en"}
          onClick={() => props.onPick(today(), toEnd())}
        >
          {t("datetime.today")}
        </button>
      </div>
    </fieldset>
  );
}
