import { Show, type JSX } from "solid-js";
import { useI18n } from "../i18n/index.tsx";
import { Button } from "./button.tsx";
import { DateTimeInput, localOffset } from "./datetime-input.tsx";
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
 * The search form above a log: the screen's own fields, a time range, "查询" and "清除条件".
 * Enter in any field searches. A range whose start is after its end is flagged and not sent.
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
  const { t } = useI18n();
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
          if (!backwards()) props.onSearch();
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
            />
          </FilterField>
          <FilterField id={`${props.idPrefix}-to`} label={t("logs.filter.to")}>
            <DateTimeInput
              id={`${props.idPrefix}-to`}
              value={props.range.to}
              aria-invalid={backwards() ? "true" : undefined}
              aria-describedby={`${props.idPrefix}-range`}
              onChange={(to) => props.onRange({ ...props.range, to })}
            />
          </FilterField>
        </div>
        <div class="row filter-actions">
          <Button type="submit" variant="primary" disabled={backwards()}>
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
            <Show when={backwards()} fallback={t("logs.filter.timeZone", { offset: localOffset() })}>
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
