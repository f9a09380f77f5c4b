import { createUniqueId, For, Show } from "solid-js";
import type { z } from "zod";
import type { Condition, RuleInput, TopLevelCondition } from "../../../shared/rules.ts";
import { readWholeNumber } from "../../../shared/numerals.ts";
import { useI18n } from "../../i18n/index.tsx";
import { conditionWords, outcomeWords } from "../../rule-summary.ts";
import { Button } from "../../ui/button.tsx";
import { ConditionBuilder } from "./condition-builder.tsx";
import { OutcomeEditor, outcomeFields } from "./outcome-editor.tsx";
import { errorsOf, shownAtField, type RuleProblem } from "./problems.ts";
import { priorityOf } from "./rule-order.ts";
import { fieldProblemText } from "../../ui/problem-text.ts";
import { RuleWindowBadge, RuleWindowEditor, type RuleWindow } from "./rule-window.tsx";

/** What the rule set lends every card: its output schema, defaults, shared conditions, known timers. */
export type RuleSetFrame = {
  schema: z.ZodType;
  defaults: Record<string, unknown>;
  shared: Record<string, unknown>;
  timerKeys?: readonly string[];
  expiryActions?: readonly string[];
  /** Told whether a field's text means a value (a rule's start or end time): the draft is not saved until all do. */
  fieldValidity?: (key: string, valid: boolean) => void;
};

export type RuleActions = {
  rename: (name: string) => void;
  retitle: (title: string | undefined) => void;
  describe: (description: string) => void;
  /** A priority committed (Enter, leaving the field): the card moves to its place. */
  prioritize: (priority: number) => void;
  /** A priority being typed: the draft holds it at once (unsaved), the card stays where it is until committed. */
  typePriority: (priority: number) => void;
  setWindow: (window: RuleWindow) => void;
  enable: (enabled: boolean) => void;
  setConditions: (next: TopLevelCondition) => void;
  setParams: (next: Record<string, unknown>) => void;
  move: (direction: -1 | 1) => void;
  duplicate: () => void;
  remove: () => void;
};

export type RuleCardProps = {
  rule: RuleInput;
  /** 1-based place in evaluation order. */
  position: number;
  first: boolean;
  last: boolean;
  expanded: boolean;
  onToggle: () => void;
  problems: readonly RuleProblem[];
  frame: RuleSetFrame;
  actions: RuleActions;
  /** Sentences saying in which test cases the rule changes nothing because earlier rules set its fields. */
  overridden?: readonly string[] | undefined;
  /** What the analysis of every possible case says about this rule (never applies, overridden, conflicts). */
  findings?: readonly string[] | undefined;
};

/** Whether a condition still waits for its fact: its words would read "null". */
function hasBlankCondition(condition: Condition): boolean {
  if ("all" in condition) return condition.all.some(hasBlankCondition);
  if ("any" in condition) return condition.any.some(hasBlankCondition);
  if ("not" in condition) return hasBlankCondition(condition.not);
  if ("condition" in condition) return false;
  return !condition.fact;
}

/** Whether a rule has no condition at all: an empty top-level group always holds, so it applies to every refund. */
function appliesToAll(conditions: TopLevelCondition): boolean {
  return ("all" in conditions && conditions.all.length === 0) || ("any" in conditions && conditions.any.length === 0);
}

/**
 * One rule: its place in the evaluation order and priority, its title (the name is its id), its validity window and
 * whether it is in effect now, what it says in plain language, its description and switch; opened, the form with the
 * window, the condition builder and the outcome editor.
 */
export function RuleCard(props: RuleCardProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const bodyId = createUniqueId();
  const nameId = createUniqueId();
  let upButton: HTMLButtonElement | undefined;
  let downButton: HTMLButtonElement | undefined;

  const errors = () => errorsOf(props.problems, (problem) => fieldProblemText(problem, t));
  const fieldNames = () => outcomeFields(props.frame.schema).map((field) => field.name);
  const unplaced = () => props.problems.filter((problem) => !shownAtField(problem.path, props.rule, fieldNames()));
  const summary = () => {
    const params = props.rule.event.params ?? {};
    const when = hasBlankCondition(props.rule.conditions as Condition)
      ? t("rule.incomplete")
      : conditionWords(props.rule.conditions as TopLevelCondition, i18n);
    const then = Object.keys(params).length > 0 ? outcomeWords(params, i18n) : t("rule.noOutcome");
    return `${when} → ${then}`;
  };
  const move = (direction: -1 | 1) => {
    props.actions.move(direction);
    // the card's node moves in the page, which takes the focus away: give it back
    requestAnimationFrame(() => {
      const target = direction < 0 ? (props.first ? downButton : upButton) : props.last ? upButton : downButton;
      target?.focus();
    });
  };
  const fieldErrors = (path: string) => errors().at(path);

  return (
    <article
      class="card rule-card"
      aria-label={props.rule.title ? `${props.rule.title}（${props.rule.name}）` : props.rule.name}
      data-rule={props.rule.name}
      classList={{ "rule-disabled": props.rule.enabled === false, "rule-invalid": props.problems.length > 0 }}
    >
      <header class="rule-head">
        <span class="rule-position">{t("rule.position", { position: props.position })}</span>
        <span class="badge rule-priority">{t("rule.priorityBadge", { priority: priorityOf(props.rule) })}</span>
        <Show when={props.rule.title} fallback={<h3 class="rule-name mono">{props.rule.name}</h3>}>
          <h3 class="rule-title">{props.rule.title}</h3>
          <span class="rule-name mono muted">{props.rule.name}</span>
        </Show>
        <Show when={appliesToAll(props.rule.conditions as TopLevelCondition)}>
          <span class="badge badge-danger" title={t("rule.appliesToAllHint")}>
            {t("rule.appliesToAll")}
          </span>
        </Show>
        <Show when={props.rule.enabled === false}>
          <span class="badge badge-warn">{t("rule.disabled")}</span>
        </Show>
        <Show when={props.problems.length > 0}>
          <span class="badge badge-danger">{t("problems.count", { count: props.problems.length })}</span>
        </Show>
        <span class="spacer" />
        <label class="switch">
          <input
            type="checkbox"
            // biome-ignore lint/a11y/useAriaPropsForRole: a checkbox's own checked state is its aria-checked (ARIA in HTML forbids aria-checked on input type=checkbox)
            role="switch"
            checked={props.rule.enabled !== false}
            onChange={(e) => props.actions.enable(e.currentTarget.checked)}
          />
          <span>{t("rule.enabled")}</span>
        </label>
        <div class="rule-tools">
          <Button ref={upButton} class="btn-small" variant="ghost" disabled={props.first} onClick={() => move(-1)}>
            <span aria-hidden="true">↑</span> {t("rule.moveUp")}
          </Button>
          <Button ref={downButton} class="btn-small" variant="ghost" disabled={props.last} onClick={() => move(1)}>
            <span aria-hidden="true">↓</span> {t("rule.moveDown")}
          </Button>
          <Button class="btn-small" variant="ghost" onClick={() => props.actions.duplicate()}>
            {t("rule.duplicate")}
          </Button>
          <Button class="btn-small" variant="danger" onClick={() => props.actions.remove()}>
            {t("rule.delete")}
          </Button>
          <Button
            class="btn-small"
            aria-expanded={props.expanded}
            aria-controls={bodyId}
            onClick={() => props.onToggle()}
          >
            {props.expanded ? t("rule.collapse") : t("rule.edit")}
          </Button>
        </div>
      </header>
      <Show when={(props.findings ?? []).length > 0}>
        <ul class="rule-overridden" data-testid="rule-findings">
          <For each={props.findings}>{(finding) => <li class="badge badge-warn">⚠ {finding}</li>}</For>
        </ul>
      </Show>
      <Show when={(props.overridden ?? []).length > 0}>
        <ul class="rule-overridden" data-testid="rule-overridden">
          <For each={props.overridden}>{(warning) => <li class="badge badge-warn">⚠ {warning}</li>}</For>
        </ul>
      </Show>
      <RuleWindowBadge window={props.rule} />
      <p class="rule-summary">{summary()}</p>
      <p class="rule-description muted">{props.rule.description || t("rule.noDescription")}</p>
      <Show when={unplaced().length > 0}>
        <fieldset class="rule-problems" aria-label={t("rule.otherProblems")}>
          <ul class="field-errors">
            <For each={unplaced()}>
              {(problem) => (
                <li class="field-error">
                  <code>{problem.path || "—"}</code> {fieldProblemText(problem, t)}
                </li>
              )}
            </For>
          </ul>
        </fieldset>
      </Show>
      <Show when={props.expanded}>
        <div class="rule-body" id={bodyId}>
          <div class="rule-meta">
            <div class="field rule-name-field">
              <label for={nameId}>{t("rule.name")}</label>
              <input
                id={nameId}
                class="mono"
                value={props.rule.name}
                aria-invalid={fieldErrors("name").length > 0 ? "true" : undefined}
                aria-describedby={`${nameId}-hint`}
                onInput={(e) => props.actions.rename(e.currentTarget.value)}
              />
              <span id={`${nameId}-hint`} class="hint">
                {t("rule.nameHint")}
              </span>
              <For each={fieldErrors("name")}>{(message) => <span class="field-error">{message}</span>}</For>
            </div>
            <div class="field rule-title-field">
              <label for={`${nameId}-title`}>{t("rule.title")}</label>
              <input
                id={`${nameId}-title`}
                value={props.rule.title ?? ""}
                maxLength={200}
                aria-invalid={fieldErrors("title").length > 0 ? "true" : undefined}
                aria-describedby={`${nameId}-title-hint`}
                onInput={(e) =>
                  props.actions.retitle(e.currentTarget.value.trim() === "" ? undefined : e.currentTarget.value)
                }
              />
              <span id={`${nameId}-title-hint`} class="hint">
                {t("rule.titleHint")}
              </span>
              <For each={fieldErrors("title")}>{(message) => <span class="field-error">{message}</span>}</For>
            </div>
            <div class="field rule-priority-field">
              <label for={`${nameId}-priority`}>{t("rule.priority")}</label>
              <input
                id={`${nameId}-priority`}
                type="text"
                inputmode="numeric"
                autocomplete="off"
                value={priorityOf(props.rule)}
                aria-invalid={fieldErrors("priority").length > 0 ? "true" : undefined}
                aria-describedby={`${nameId}-priority-hint`}
                // held by the draft at every key (unsaved at once); the card moves to its new place on change (blur, Enter)
                onInput={(e) => {
                  const next = readWholeNumber(e.currentTarget.value, { min: 1, max: 1_000_000 }).value;
                  if (next !== undefined) props.actions.typePriority(next);
                }}
                onChange={(e) => {
                  // full-width digits read as ASCII; anything else shows the priority the draft holds again
                  const next = readWholeNumber(e.currentTarget.value, { min: 1, max: 1_000_000 }).value;
                  e.currentTarget.value = String(next ?? priorityOf(props.rule));
                  props.actions.prioritize(next ?? priorityOf(props.rule));
                }}
              />
              <span id={`${nameId}-priority-hint`} class="hint">
                {t("rule.priorityHint")}
              </span>
              <For each={fieldErrors("priority")}>{(message) => <span class="field-error">{message}</span>}</For>
            </div>
            <div class="field rule-description-field">
              <label for={`${nameId}-description`}>{t("rule.description")}</label>
              <textarea
                id={`${nameId}-description`}
                rows="2"
                value={props.rule.description ?? ""}
                aria-invalid={fieldErrors("description").length > 0 ? "true" : undefined}
                onInput={(e) => props.actions.describe(e.currentTarget.value)}
              />
              <For each={fieldErrors("description")}>{(message) => <span class="field-error">{message}</span>}</For>
            </div>
          </div>
          <section class="rule-section" aria-label={t("rule.window")}>
            <h4>{t("rule.window")}</h4>
            <RuleWindowEditor
              window={props.rule}
              onChange={props.actions.setWindow}
              errors={fieldErrors}
              validity={props.frame.fieldValidity}
            />
          </section>
          <section class="rule-section" aria-label={t("rule.when")}>
            <h4>{t("rule.when")}</h4>
            <ConditionBuilder
              condition={props.rule.conditions as TopLevelCondition}
              shared={props.frame.shared}
              errors={errors()}
              onChange={props.actions.setConditions}
            />
          </section>
          <section class="rule-section" aria-label={t("rule.then")}>
            <h4>{t("rule.then")}</h4>
            <OutcomeEditor
              schema={props.frame.schema}
              params={props.rule.event.params ?? {}}
              defaults={props.frame.defaults}
              errors={errors()}
              timerKeys={props.frame.timerKeys}
              expiryActions={props.frame.expiryActions}
              onChange={props.actions.setParams}
            />
          </section>
        </div>
      </Show>
    </article>
  );
}
