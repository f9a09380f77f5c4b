import { createEffect, createSignal, createUniqueId, on, Show } from "solid-js";
import {
  endOfDay,
  formatDate,
  instantOf,
  isStartOfDay,
  parseDate,
  previousDay,
  startOfDay,
  toZonedIso,
  wallTimeAt,
  windowPhase,
  type WindowPhase,
} from "../../../shared/business-time.ts";
import { businessNow, businessZone, formatBusinessTime, zoneName } from "../../business-zone.ts";
import { useI18n, type I18n, type MessageKey } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { DateTimeInput, DayInput } from "../../ui/datetime-input.tsx";

/** A rule's validity window as stored: either end may be open. */
export type RuleWindow = { validFrom?: string; validUntil?: string };

const phaseKeys: Record<WindowPhase, MessageKey> = {
  upcoming: "rule.phase.upcoming",
  current: "rule.phase.current",
  over: "rule.phase.over",
};
const phaseBadges: Record<WindowPhase, string> = { upcoming: "badge-warn", current: "badge-ok", over: "badge-muted" };

/** The window's day in the business zone when the instant is a day's start there (whole-day windows read as days). */
function dayAt(iso: string): string | undefined {
  const wall = wallTimeAt(new Date(iso), businessZone());
  return isStartOfDay(wall) ? formatDate(wall) : undefined;
}
/** The last day included by an end at a day's start: 11-21 00:00 ends 11-20. */
function lastDayBefore(iso: string): string | undefined {
  const wall = wallTimeAt(new Date(iso), businessZone());
  return isStartOfDay(wall) ? formatDate(previousDay(wall)) : undefined;
}

/**
 * The window in words, in the business zone: whole days as days ("2026-11-11 至 2026-11-20（含）"), other times to the
 * minute ("2026-11-11 10:00 至 2026-11-20 18:00（不含）"); `exact` is always the precise instants, for a tooltip.
 */
export function windowWords(window: RuleWindow, i18n: Pick<I18n, "t" | "lang">): { text: string; exact: string } {
  const { t } = i18n;
  const { validFrom: from, validUntil: until } = window;
  const fromText = from ? formatBusinessTime(from) : undefined;
  const untilText = until ? formatBusinessTime(until) : undefined;
  const exact =
    fromText && untilText
      ? t("rule.windowRange", { from: fromText, until: untilText })
      : fromText
        ? t("rule.windowFrom", { from: fromText })
        : t("rule.windowUntil", { until: untilText ?? "" });
  const fromDay = from ? dayAt(from) : undefined;
  const lastDay = until ? lastDayBefore(until) : undefined;
  const wholeDays = (!from || fromDay) && (!until || lastDay);
  let text = exact;
  if (wholeDays && from && until) text = t("rule.windowDaysText", { from: fromDay!, to: lastDay! });
  else if (wholeDays && from) text = t("rule.windowFrom", { from: fromDay! });
  else if (wholeDays && until) text = t("rule.windowUntilDay", { to: lastDay! });
  return { text, exact: t("rule.windowExact", { zone: zoneName(i18n.lang()), range: exact }) };
}

/** On a card: the window in words and whether it is upcoming (未开始), current (生效中) or over (已结束) now. */
export function RuleWindowBadge(props: { window: RuleWindow }) {
  const i18n = useI18n();
  const { t } = i18n;
  const phase = () =>
    windowPhase({ from: props.window.validFrom, until: props.window.validUntil }, businessNow().getTime());
  const words = () => windowWords(props.window, i18n);
  return (
    <Show when={props.window.validFrom || props.window.validUntil}>
      <p class="rule-window" title={words().exact}>
        <span class={`badge ${phaseBadges[phase()]}`} data-testid="rule-phase">
          {t(phaseKeys[phase()])}
        </span>{" "}
        <span class="rule-window-words">{t("rule.windowLabel", { window: words().text })}</span>
      </p>
    </Show>
  );
}

/**
 * Setting a rule's window in the business zone: the exact start and end (the end excluded), or whole days, "11-11 to
 * 11-20 (included)", which sets 11-11 00:00 and 11-21 00:00; and clearing it.
 */
export function RuleWindowEditor(props: {
  window: RuleWindow;
  onChange: (window: RuleWindow) => void;
  errors: (path: string) => string[];
  /** Told whether each time field's text is a time: the editor does not save while one is not. */
  validity?: (key: string, valid: boolean) => void;
}) {
  const { t } = useI18n();
  const id = createUniqueId();
  const [firstDay, setFirstDay] = createSignal(props.window.validFrom ? dayAt(props.window.validFrom) : undefined);
  const [lastDay, setLastDay] = createSignal(
    props.window.validUntil ? lastDayBefore(props.window.validUntil) : undefined,
  );
  const [dayProblem, setDayProblem] = createSignal<string>();
  // the whole days follow the window whenever it is whole days (set here, typed above, cleared)
  createEffect(
    on(
      () => [props.window.validFrom, props.window.validUntil] as const,
      ([from, until]) => {
        setFirstDay(from ? dayAt(from) : undefined);
        setLastDay(until ? lastDayBefore(until) : undefined);
      },
      { defer: true },
    ),
  );
  const backwards = () =>
    props.window.validFrom !== undefined &&
    props.window.validUntil !== undefined &&
    Date.parse(props.window.validUntil) <= Date.parse(props.window.validFrom);
  const serverErrors = (field: "validFrom" | "validUntil") => props.errors(field);

  const applyDays = () => {
    const first = parseDate(firstDay() ?? "");
    const last = parseDate(lastDay() ?? "");
    if (!first.ok || !last.ok) {
      setDayProblem(t("rule.windowDaysMissing"));
      return;
    }
    const zone = businessZone();
    const start = instantOf(startOfDay(first.date), zone);
    const end = instantOf(endOfDay(last.date), zone);
    if (!start || !end || end <= start) {
      setDayProblem(t("rule.windowDaysBackwards"));
      return;
    }
    setDayProblem(undefined);
    props.onChange({ validFrom: toZonedIso(start, zone), validUntil: toZonedIso(end, zone) });
  };

  return (
    <div class="rule-window-editor">
      <p class="hint">{t("rule.windowHint")}</p>
      <div class="rule-window-exact">
        <div class="field">
          <label for={`${id}-from`}>{t("rule.validFrom")}</label>
          <DateTimeInput
            id={`${id}-from`}
            value={props.window.validFrom}
            aria-invalid={serverErrors("validFrom").length > 0 ? "true" : undefined}
            onChange={(validFrom) => props.onChange({ ...props.window, validFrom })}
            onValidity={(valid) => props.validity?.(`${id}-from`, valid)}
          />
          {serverErrors("validFrom").map((message) => (
            <span class="field-error">{message}</span>
          ))}
        </div>
        <div class="field">
          <label for={`${id}-until`}>{t("rule.validUntil")}</label>
          <DateTimeInput
            id={`${id}-until`}
            end
            value={props.window.validUntil}
            aria-invalid={backwards() || serverErrors("validUntil").length > 0 ? "true" : undefined}
            onChange={(validUntil) => props.onChange({ ...props.window, validUntil })}
            onValidity={(valid) => props.validity?.(`${id}-until`, valid)}
          />
          <Show when={backwards()}>
            <span class="field-error" role="alert">
              {t("rule.windowBackwards")}
            </span>
          </Show>
          {serverErrors("validUntil").map((message) => (
            <span class="field-error">{message}</span>
          ))}
        </div>
        <Button
          class="btn-small rule-window-clear"
          variant="ghost"
          disabled={!props.window.validFrom && !props.window.validUntil}
          onClick={() => props.onChange({})}
        >
          {t("rule.windowClear")}
        </Button>
      </div>
      <fieldset class="rule-window-days" aria-describedby={`${id}-days-hint`}>
        <legend>{t("rule.windowDays")}</legend>
        <div class="rule-window-days-row">
          <label for={`${id}-first`}>{t("rule.windowDaysFrom")}</label>
          <DayInput id={`${id}-first`} value={firstDay()} onChange={setFirstDay} />
          <label for={`${id}-last`}>{t("rule.windowDaysTo")}</label>
          <DayInput id={`${id}-last`} value={lastDay()} onChange={setLastDay} />
          <Button class="btn-small" onClick={applyDays}>
            {t("rule.windowDaysApply")}
          </Button>
        </div>
        <span class="hint" id={`${id}-days-hint`}>
          {t("rule.windowDaysHint")}
        </span>
        <Show when={dayProblem()}>
          <span class="field-error" role="alert">
            {dayProblem()}
          </span>
        </Show>
      </fieldset>
    </div>
  );
}
