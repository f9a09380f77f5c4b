import { Show } from "solid-js";
import { type CalendarDate, formatDate } from "../../../shared/business-time.ts";
import { useI18n } from "../../i18n/index.tsx";
import { dayState, type Marks } from "./calendar-model.ts";

/** The day last clicked: what it is now, and the name of a holiday or adjusted working day (at most 40 characters). */
export function DayEditor(props: { date: CalendarDate | undefined; marks: Marks; onName: (name: string) => void }) {
  const { t } = useI18n();
  return (
    <div class="calendar-day-editor" aria-live="polite">
      <span class="field-label">{t("calendar.selected")}</span>
      <Show when={props.date} fallback={<p class="muted">{t("calendar.selectedNone")}</p>}>
        {(date) => {
          const mark = () => props.marks[formatDate(date())];
          return (
            <>
              <p>
                <strong>{formatDate(date())}</strong> · {t(`calendar.state.${dayState(date(), props.marks)}`)}
              </p>
              <Show when={mark()}>
                {(m) => (
                  <label class="field">
                    <span>{t("calendar.dayName")}</span>
                    <input
                      value={m().name}
                      maxLength={40}
                      placeholder={t("calendar.dayNamePlaceholder")}
                      onChange={(e) => {
                        const name = e.currentTarget.value.trim();
                        if (name !== "") props.onName(name);
                      }}
                    />
                  </label>
                )}
              </Show>
            </>
          );
        }}
      </Show>
    </div>
  );
}
