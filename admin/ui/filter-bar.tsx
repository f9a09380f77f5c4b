import { createSignal, Show, type JSX } from "solid-js";
import { zoneDetail, zoneName } from "../business-zone.ts";
import { useI18n } from "../i18n/index.tsx";
import { Button } from "./button.tsx";
import { DateTimeInput } from "./datetime-input.tsx";
import "./log-list.css";

/** A labelled control of a filter bar; `id` ties the label to the control for screen readers and tests. */
export function FilterField(props: { id: string; label: string; children: JSX.Element; wide?: boolean }) {
  return (
    <div class="filter-field" classList={{ "filter-field-wide": props.wide }}>
      <label for={props.id}>{props.label}</label>
      {props.children}
    </div>
  );
}

type Range = { from?: string; to?: string };

/**
 * The search form above a log: the screen's own fields, a time range in the business time zone, "查询" and "清除条件".
 * Enter in any field searches. A range whose start is after its end, or a time that is none, is flagged and not sent;
 * picking an end day in the calendar means to the end of that day (the next day's 00:00).
 */
export function FilterBar(props: {
  idPrefix: string;
  range: Range;
  onRange: (range: Range) => void;
  onSearch: () => void;
  onClear: () => void;
  children: JSX.Element;
  actions?: JSX.Element;
}) {
  const { t, lang } = useI18n();
  const [fromValid, setFromValid] = createSignal(true);
  const [toValid, setToValid] = createSignal(true);
  const backwards = () =>
    props.range.from !== undefined &&
    props.range.to !== undefined &&
    new Date(props.range.from) > new Date(props.range.to);
  return (
    <search aria-label={t("logs.filters")}>
      <form
        class="card filter-bar"
        onSubmit={(event) => {
          event.preventDefault();
          if (!backwards() && fromValid() && toValid()) props.onSearch();
        }}
      >
        <div class="filter-grid">
          {props.children}
          <FilterField id={`${props.idPrefix}-from`} label={t("logs.filter.from")}>
            <DateTimeInput
              id={`${props.idPrefix}-from`}
              value={props.range.from}
              aria-invalid={backwards() ? "true" : undefined}
              aria-describedby={`${props.idPrefix}-range`}
              onChange={(from) => props.onRange({ ...props.range, from })}
              onValidity={setFromValid}
            />
          </FilterField>
          <FilterField id={`${props.idPrefix}-to`} label={t("logs.filter.to")}>
            <DateTimeInput
              id={`${props.idPrefix}-to`}
              value={props.range.to}
              aria-invalid={backwards() ? "true" : undefined}
              aria-describedby={`${props.idPrefix}-range`}
              onChange={(to) => props.onRange({ ...props.range, to })}
              onValidity={setToValid}
              end
            />
          </FilterField>
        </div>
        <div class="row filter-actions">
          <Button type="submit" variant="primary" disabled={backwards() || !fromValid() || !toValid()}>
            {t("logs.filter.search")}
          </Button>
          <Button variant="ghost" onClick={() => props.onClear()}>
            {t("logs.filter.clear")}
          </Button>
          <span
            id={`${props.idPrefix}-range`}
            class={backwards() ? "field-error" : "hint filter-tz"}
            role={backwards() ? "alert" : undefined}
          >
            <Show
              when={backwards()}
              fallback={t("logs.filter.timeZone", { zone: zoneName(lang()), detail: zoneDetail() })}
            >
              {t("logs.filter.rangeInvalid")}
            </Show>
          </span>
          <span class="spacer" />
          {props.actions}
        </div>
      </form>
    </search>
  );
}
