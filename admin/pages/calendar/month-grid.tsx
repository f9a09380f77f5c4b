import { For, Show } from "solid-js";
import { type CalendarDate, formatDate } from "../../../shared/business-time.ts";
import { useI18n } from "../../i18n/index.tsx";
import { dayState, type Marks, monthCells } from "./calendar-model.ts";

/**
 * The twelve months of a year, Monday first: working days plain, weekends grey, holidays red with their name, adjusted
 * working days (调休上班) highlighted. Each day is a button when the year may be edited.
 */
export function YearGrid(props: {
  year: number;
  marks: Marks;
  today: string;
  selected: string | undefined;
  editable: boolean;
  onDay: (date: CalendarDate) => void;
}) {
  const { t } = useI18n();
  const weekdays = () => t("calendar.weekdays").split(",");
  const stateText = (date: CalendarDate) => t(`calendar.state.${dayState(date, props.marks)}`);
  return (
    <div class="calendar-year" data-year={props.year}>
      <For each={Array.from({ length: 12 }, (_, i) => i + 1)}>
        {(month) => (
          <section class="calendar-month" aria-label={t("calendar.month", { month })}>
            <h3>{t("calendar.month", { month })}</h3>
            <div class="calendar-days">
              <For each={weekdays()}>
                {(name) => (
                  <span class="calendar-weekday" aria-hidden="true">
                    {name}
                  </span>
                )}
              </For>
              <For each={monthCells(props.year, month)}>
                {(date) => (
                  <Show when={date} fallback={<span class="calendar-pad" />}>
                    {(day) => {
                      const iso = () => formatDate(day());
                      const mark = () => props.marks[iso()];
                      return (
                        <button
                          type="button"
                          class={`calendar-day day-${dayState(day(), props.marks)}`}
                          classList={{ today: iso() === props.today, selected: iso() === props.selected }}
                          data-date={iso()}
                          aria-label={t("calendar.dayLabel", { date: iso(), state: stateText(day()) })}
                          aria-pressed={iso() === props.selected}
                          title={mark()?.name ?? stateText(day())}
                          disabled={!props.editable}
                          onClick={() => props.onDay(day())}
                        >
                          <span class="calendar-day-number">{day().day}</span>
                          <Show when={mark()}>
                            {(m) => (
                              <span class="calendar-day-badge">
                                {t(m().kind === "holiday" ? "calendar.badge.holiday" : "calendar.badge.workday")}
                              </span>
                            )}
                          </Show>
                          <Show when={mark()}>{(m) => <span class="calendar-day-name">{m().name}</span>}</Show>
                        </button>
                      );
                    }}
                  </Show>
                )}
              </For>
            </div>
          </section>
        )}
      </For>
    </div>
  );
}

/** The four states' colours, named. */
export function CalendarLegend() {
  const { t } = useI18n();
  return (
    <ul class="calendar-legend" aria-label={t("calendar.legend")}>
      <For each={["work", "rest", "holiday", "workday"] as const}>
        {(state) => (
          <li>
            <span class={`calendar-swatch day-${state}`} aria-hidden="true" />
            {t(`calendar.state.${state}`)}
          </li>
        )}
      </For>
    </ul>
  );
}
