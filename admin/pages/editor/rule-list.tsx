import { createEffect, createMemo, createSignal, For, on, Show, type Accessor, type Setter } from "solid-js";
import { produce, reconcile } from "solid-js/store";
import type { RuleInput, TopLevelCondition } from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { Empty } from "../../ui/states.tsx";
import type { RuleSetState } from "../rule-set/rule-set-context.tsx";
import type { DraftProblems } from "./problems.ts";
import { RuleCard, type RuleActions, type RuleSetFrame } from "./rule-card.tsx";
import { AddRuleDialog } from "./add-rule.tsx";
import { badgeSentences } from "../rule-set/analysis-findings.tsx";
import { createAnalysisWatch } from "./analysis-watch.ts";
import { createOverrideWatch, type OverrideWarning, warningSentence } from "./override-watch.ts";
import { applyMove, duplicateOf, evaluationOrder, newRule, planMove, priorityOf } from "./rule-order.ts";
import type { PlacementPlan } from "./rule-placement.ts";

/**
 * The rules in evaluation order, each a card, with adding, duplicating, deleting (after a
 * confirmation) and moving. Every change goes to the working copy; nothing is saved here.
 */
export function RuleList(props: {
  state: RuleSetState;
  frame: RuleSetFrame;
  problems: DraftProblems;
  /** Which cards are open; kept by the page, so that a trip to the JSON view closes none. */
  expanded: Accessor<ReadonlySet<RuleInput>>;
  setExpanded: Setter<ReadonlySet<RuleInput>>;
}) {
  const i18n = useI18n();
  const { t, field: fieldName } = i18n;
  const working = props.state.working;
  const setWorking = props.state.setWorking;
  // while a priority is typed the cards keep their places: the draft holds the number, the card moves when it is committed
  const [typing, setTyping] = createSignal(false);
  const ordered = createMemo<RuleInput[]>((shown) => {
    const fresh = evaluationOrder(working.rules);
    if (!typing() || shown === undefined) return fresh;
    return shown.length === fresh.length && shown.every((rule) => fresh.includes(rule)) ? shown : fresh;
  });
  const expanded = props.expanded;
  const [doomed, setDoomed] = createSignal<RuleInput>();
  const [announcement, setAnnouncement] = createSignal("");
  let addButton: HTMLButtonElement | undefined;
  const watch = createOverrideWatch(props.state);
  const analysed = createAnalysisWatch(props.state);
  const [checked, setChecked] = createSignal("");
  const warningText = (warning: OverrideWarning) => warningSentence(t, fieldName, warning);
  const checkNow = async () => {
    setChecked("");
    await watch.checkNow();
    const count = watch.found().size;
    setChecked(count === 0 ? t("place.checkedNone") : t("place.checkedSome", { count }));
  };

  const expand = (rule: RuleInput, open = true) =>
    props.setExpanded((all) => {
      const next = new Set(all);
      if (open) next.add(rule);
      else next.delete(rule);
      return next;
    });
  // a rule the server found problems in opens, so that its fields show them
  createEffect(
    on(
      () => props.problems,
      (problems) => {
        for (const rule of problems.byRule.keys()) expand(rule);
      },
      { defer: true },
    ),
  );

  const indexOf = (rule: RuleInput) => working.rules.indexOf(rule);
  const actionsFor = (rule: RuleInput): RuleActions => ({
    rename: (name) => {
      const index = indexOf(rule);
      // the event's type follows the name while it is the name, as in the shipped rules
      if (rule.event.type === rule.name) setWorking("rules", index, "event", "type", name);
      setWorking("rules", index, "name", name);
    },
    retitle: (title) => setWorking("rules", indexOf(rule), "title", title),
    describe: (description) => setWorking("rules", indexOf(rule), "description", description),
    prioritize: (priority) => {
      setWorking("rules", indexOf(rule), "priority", priority);
      setTyping(false);
    },
    typePriority: (priority) => {
      setTyping(true);
      setWorking("rules", indexOf(rule), "priority", priority);
    },
    setWindow: (window) => {
      const index = indexOf(rule);
      setWorking("rules", index, "validFrom", window.validFrom);
      setWorking("rules", index, "validUntil", window.validUntil);
    },
    enable: (enabled) => setWorking("rules", indexOf(rule), "enabled", enabled),
    setConditions: (next: TopLevelCondition) => setWorking("rules", indexOf(rule), "conditions", reconcile(next)),
    setParams: (next) => setWorking("rules", indexOf(rule), "event", "params", reconcile(next)),
    move: (direction) => {
      const move = planMove(working.rules, rule, direction);
      if (!move) return;
      setWorking(produce((draft) => applyMove(draft.rules, move)));
      const position = ordered().indexOf(rule) + 1;
      setAnnouncement(t("editor.moved", { name: rule.name, position, priority: priorityOf(rule) }));
    },
    duplicate: () => {
      const copy = duplicateOf(rule, working.rules);
      const index = indexOf(rule);
      setWorking("rules", (rules) => [...rules.slice(0, index + 1), copy, ...rules.slice(index + 1)]);
      expand(working.rules[index + 1]!);
    },
    remove: () => setDoomed(() => rule),
  });

  const [placing, setPlacing] = createSignal(false);
  // the rule chosen in the dialog at first: the last card opened, else the last rule
  const lastOpened = () => [...expanded()].reverse().find((rule) => working.rules.includes(rule));
  const add = (plan: PlacementPlan) => {
    setPlacing(false);
    const rule = { ...newRule(working.rules), priority: plan.priority };
    const renumbered = plan.renumber.map((change) => ({ index: indexOf(change.rule), to: change.to }));
    setWorking(
      produce((draft) => {
        for (const change of renumbered) draft.rules[change.index]!.priority = change.to;
        draft.rules.splice(plan.index, 0, rule);
      }),
    );
    const added = working.rules[plan.index]!;
    setAnnouncement(t("editor.moved", { name: added.name, position: plan.position + 1, priority: plan.priority }));
    expand(added);
    requestAnimationFrame(() =>
      document
        .querySelector<HTMLElement>(`article[data-rule="${CSS.escape(added.name)}"] .rule-name-field input`)
        ?.focus(),
    );
  };

  const confirmDelete = () => {
    const rule = doomed();
    setDoomed(undefined);
    if (!rule) return;
    // by index: the setter hands over the raw array, whose items are not the store's proxies
    const index = indexOf(rule);
    setWorking("rules", (rules) => rules.filter((_, i) => i !== index));
    expand(rule, false);
    addButton?.focus();
  };

  return (
    <section class="rule-list" aria-labelledby="rules-heading">
      <div class="rule-list-head">
        <h2 id="rules-heading">{t("editor.rules")}</h2>
        <span class="spacer" />
        <Button variant="secondary" busy={watch.checking()} onClick={() => void checkNow()}>
          {t("place.check")}
        </Button>
        <Button ref={addButton} variant="secondary" onClick={() => setPlacing(true)}>
          + {t("editor.addRule")}
        </Button>
      </div>
      <p class="hint order-hint">{t("editor.orderHint")}</p>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement()}
      </p>
      <p class="hint" role="status" data-testid="override-check">
        {watch.checking() ? t("place.checking") : checked()}
      </p>
      <Show when={ordered().length > 0} fallback={<Empty>{t("editor.noRules")}</Empty>}>
        <ol class="rule-cards">
          <For each={ordered()}>
            {(rule, position) => (
              <li>
                <RuleCard
                  rule={rule}
                  position={position() + 1}
                  first={position() === 0}
                  last={position() === ordered().length - 1}
                  expanded={expanded().has(rule)}
                  onToggle={() => expand(rule, !expanded().has(rule))}
                  problems={props.problems.byRule.get(rule) ?? []}
                  frame={props.frame}
                  actions={actionsFor(rule)}
                  overridden={(watch.found().get(rule.name) ?? []).map(warningText)}
                  findings={badgeSentences(i18n, working.rules, analysed.about(rule.name), rule.name)}
                />
              </li>
            )}
          </For>
        </ol>
      </Show>
      <AddRuleDialog
        open={placing()}
        rules={working.rules}
        anchor={lastOpened()}
        onClose={() => setPlacing(false)}
        onAdd={add}
      />
      <Dialog
        open={doomed() !== undefined}
        title={t("rule.deleteTitle")}
        onClose={() => setDoomed(undefined)}
        actions={
          <ConfirmActions
            onCancel={() => setDoomed(undefined)}
            onConfirm={confirmDelete}
            confirmLabel={t("rule.delete")}
            variant="danger"
          />
        }
      >
        <p>{t("rule.deleteBody", { name: doomed()?.name ?? "" })}</p>
      </Dialog>
    </section>
  );
}
