import stringify from "safe-stable-stringify";
import { For, Match, Show, Switch, type JSX } from "solid-js";
import { z } from "zod";
import { ruleSetKinds, type RuleSetKind } from "../../../shared/kinds/index.ts";
import { displayYuan } from "../../../shared/money.ts";
import { countedDurationWords, countedValue, deadlineWords, timerDuration } from "../../counting-words.ts";
import { useI18n } from "../../i18n/index.tsx";
import type { JsonSchema } from "./case-schema.ts";

export type DecisionFieldKind = "boolean" | "enum" | "money" | "json";
export type DecisionField = { field: string; kind: DecisionFieldKind; values?: readonly string[] };

const fieldsByKind = new Map<RuleSetKind, DecisionField[]>();

/** A rule set's decision fields in the schema's order, with the input each takes as an expectation. */
export function decisionFields(kind: RuleSetKind): DecisionField[] {
  const known = fieldsByKind.get(kind);
  if (known) return known;
  const schema = z.toJSONSchema(ruleSetKinds[kind].decision, { unrepresentable: "any" }) as JsonSchema;
  const fields = Object.entries(schema.properties ?? {}).map(([field, property]): DecisionField => {
    if (property.enum) return { field, kind: "enum", values: property.enum };
    if (property.type === "boolean") return { field, kind: "boolean" };
    if (property.type === "integer" && field.endsWith("Fen")) return { field, kind: "money" };
    return { field, kind: "json" };
  });
  fieldsByKind.set(kind, fields);
  return fields;
}

/** A reason is shown as its code and its message (in the rule author's words, Chinese in the shipped rules). */
type Reason = { code?: unknown; message?: unknown };
type Timer = {
  key?: unknown;
  duration?: unknown;
  counting?: unknown;
  hours?: unknown;
  onExpiry?: unknown;
  from?: unknown;
  deadline?: unknown;
  calendarYearsUnknown?: unknown;
};

/** The years a timer's count found no holiday arrangement for: their weekends alone were rest days. */
const yearsUnknown = (timer: Timer): number[] =>
  Array.isArray(timer.calendarYearsUnknown) ? timer.calendarYearsUnknown.filter((y) => typeof y === "number") : [];

/** A timer of a decision: its length and how it was counted, what happens then, and its deadline in the business zone. */
function TimerItem(props: { timer: Timer }) {
  const i18n = useI18n();
  const { t } = i18n;
  const duration = () => timerDuration(props.timer);
  return (
    <li class="decision-timer" data-counting={countedValue(duration())?.counting ?? "elapsed"}>
      <strong>{i18n.timer(String(props.timer.key))}</strong> · {countedDurationWords(duration(), i18n.lang())} ·{" "}
      {t("decision.timer.then", { action: i18n.timer(String(props.timer.onExpiry)) })}
      <div class="muted">
        {t("decision.timer.from", { from: i18n.value(String(props.timer.from)) })}
        <Show when={typeof props.timer.deadline === "string"}>
          {" "}
          ·{" "}
          {t("decision.timer.deadline", {
            deadline: deadlineWords(String(props.timer.deadline), countedValue(duration())?.counting, i18n.lang()),
          })}
        </Show>
        <Show when={yearsUnknown(props.timer).length > 0}>
          <div class="decision-timer-calendar" role="note">
            {t("count.yearsUnknown", { years: yearsUnknown(props.timer).join(i18n.lang() === "zh" ? "、" : ", ") })}
          </div>
        </Show>
      </div>
    </li>
  );
}

/** One decision value as a person reads it: labels for codes, 是/否, yuan, timers with their deadline. */
export function DecisionValue(props: { field: string; value: unknown }) {
  const i18n = useI18n();
  const { t } = i18n;
  const text = (): string => {
    const value = props.value;
    if (value === undefined) return t("decision.absent");
    if (typeof value === "boolean") return value ? t("decision.yes") : t("decision.no");
    if (typeof value === "number" && props.field.endsWith("Fen")) return displayYuan(value);
    if (typeof value === "string") return i18n.value(value);
    // a list of codes (service-playbook's actions) in words, in its order
    if (Array.isArray(value) && value.every((v) => typeof v === "string"))
      return value.length === 0 ? t("decision.none") : value.map((v) => i18n.value(v)).join(" → ");
    return JSON.stringify(value);
  };
  return (
    <Switch fallback={<span class="decision-value">{text()}</span>}>
      <Match when={props.field === "reasons" && Array.isArray(props.value)}>
        <Show
          when={(props.value as Reason[]).length > 0}
          fallback={<span class="decision-value muted">{t("decision.none")}</span>}
        >
          <ul class="decision-list">
            <For each={props.value as Reason[]}>
              {(reason) => (
                <li class="decision-reason" data-code={String(reason.code ?? "")}>
                  <code class="reason-code">{String(reason.code ?? "")}</code>{" "}
                  <span class="reason-message">
                    {typeof reason.message === "string" && reason.message.trim() !== ""
                      ? reason.message
                      : t("decision.reason.noMessage")}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Match>
      <Match when={props.field === "timers" && Array.isArray(props.value)}>
        <Show
          when={(props.value as Timer[]).length > 0}
          fallback={<span class="decision-value muted">{t("decision.none")}</span>}
        >
          <ul class="decision-list">
            <For each={props.value as Timer[]}>{(timer) => <TimerItem timer={timer} />}</For>
          </ul>
        </Show>
      </Match>
    </Switch>
  );
}

/** Where a field's value came from: a rule (by its title when `titleOf` knows one), the default, or the computation. */
export function FieldSource(props: { source: string; titleOf?: (rule: string) => string | undefined }) {
  const { t } = useI18n();
  return (
    <span class="field-source muted" data-source={props.source}>
      {props.source === "default"
        ? t("provenance.default")
        : props.source === "computed"
          ? t("provenance.computed")
          : t("provenance.rule", { rule: props.titleOf?.(props.source) ?? props.source })}
    </span>
  );
}

/**
 * A decision, field by field. Given `other` (the decision it is compared with), the fields whose
 * value differs are marked, so a draft's change of behaviour stands out; given `provenance`, each
 * field says which rule set it, or that it is the default or computed.
 */
export function DecisionView(props: {
  kind?: RuleSetKind;
  decision: Record<string, unknown>;
  other?: Record<string, unknown>;
  provenance?: Record<string, string>;
  titleOf?: (rule: string) => string | undefined;
  heading: JSX.Element;
  footer?: JSX.Element;
}) {
  const i18n = useI18n();
  const fields = () => {
    const known = props.kind ? decisionFields(props.kind).map((f) => f.field) : [];
    // a field some answers leave out (replacementShippingPayer but for an exchange) is shown where either side has it
    const either = (f: string) =>
      Object.hasOwn(props.decision, f) || (props.other !== undefined && Object.hasOwn(props.other, f));
    return [...known.filter(either), ...Object.keys(props.decision).filter((f) => !known.includes(f))];
  };
  const differs = (field: string) =>
    props.other !== undefined && stringify(props.other[field]) !== stringify(props.decision[field]);
  return (
    <section class="card decision-view">
      <h3>{props.heading}</h3>
      <dl class="decision-fields">
        <For each={fields()}>
          {(field) => (
            <div class="decision-field" classList={{ differs: differs(field) }} data-field={field}>
              <dt>
                {i18n.field(field)}
                <Show when={differs(field)}>
                  <span class="badge badge-warn">{i18n.t("decision.differs")}</span>
                </Show>
              </dt>
              <dd>
                <DecisionValue field={field} value={props.decision[field]} />
                <Show when={props.provenance?.[field]}>
                  {(source) => <FieldSource source={source()} titleOf={props.titleOf} />}
                </Show>
              </dd>
            </div>
          )}
        </For>
      </dl>
      {props.footer}
    </section>
  );
}

/** The rules that fired, in the order they fired; none means the defaults decided. */
export function FiredRules(props: { rules: readonly string[] }) {
  const { t } = useI18n();
  return (
    <div class="fired-rules">
      <span class="muted">{t("decision.firedRules")}</span>{" "}
      <Show when={props.rules.length > 0} fallback={<span class="muted">{t("decision.noneFired")}</span>}>
        <For each={props.rules}>{(rule) => <code class="rule-chip">{rule}</code>}</For>
      </Show>
    </div>
  );
}
