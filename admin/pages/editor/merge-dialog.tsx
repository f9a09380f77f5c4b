import { createEffect, createSignal, For, Show } from "solid-js";
import type { DraftConflict } from "../../../shared/api.ts";
import type { Invariant, Rule, TopLevelCondition } from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { conditionWords, outcomeWords, ruleWords } from "../../rule-summary.ts";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import type { MergeConflict } from "./draft-saver.ts";
import { invariantLines } from "./invariant-words.ts";
import { type Choice, conflictSubject } from "./merge-choices.ts";
import "./merge.css";

/** One version of a conflicting unit as lines of plain words; an empty list when that side removed it. */
function linesOf(conflict: DraftConflict, side: "theirs" | "mine", i18n: ReturnType<typeof useI18n>): string[] {
  const { t } = i18n;
  const value = conflict[side];
  if (value === null || value === undefined) return [];
  if ("rule" in conflict) {
    const rule = value as Rule;
    return [
      rule.title ? `${rule.title}（${rule.name}）` : rule.name,
      rule.description || t("merge.noDescription"),
      ruleWords(rule, i18n),
      [t("merge.priority", { priority: rule.priority }), rule.enabled ? "" : t("merge.disabled")]
        .filter(Boolean)
        .join(" · "),
    ];
  }
  if ("default" in conflict) return [outcomeWords({ [conflict.default]: value }, i18n)];
  if ("invariant" in conflict) return invariantLines(value as Invariant, i18n);
  if ("decidedByRules" in conflict) return [(value as string[]).map((field) => i18n.field(field)).join("、")];
  return [conditionWords(value as TopLevelCondition, i18n)];
}

/**
 * Both people changed the same rules (or defaults, or shared conditions) differently: each is shown side by
 * side in plain words, what they saved and what I have, and the person chooses per conflict whose to keep.
 * Nothing is saved until every conflict has a choice; closing keeps my changes in the editor, unsaved.
 */
export function MergeDialog(props: {
  conflict: MergeConflict | undefined;
  names: (actors: readonly string[]) => string;
  onResolve: (choices: readonly Choice[]) => Promise<boolean>;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [choices, setChoices] = createSignal<(Choice | undefined)[]>([]);
  const [busy, setBusy] = createSignal(false);
  // a new list of conflicts (after another save) starts with no choice made
  createEffect(() => setChoices(props.conflict ? props.conflict.conflicts.map(() => undefined) : []));
  const who = () => props.names(props.conflict?.mergedWith ?? []);
  const pending = () => choices().filter((choice) => choice === undefined).length;
  const choose = (i: number, choice: Choice) => setChoices((list) => list.map((c, j) => (j === i ? choice : c)));

  const subjectText = (conflict: DraftConflict) => {
    const { kind, name } = conflictSubject(conflict);
    if (kind === "rule") return t("merge.rule", { name: (conflict.theirs as Rule | null)?.title ?? name });
    if (kind === "default") return t("merge.default", { field: i18n.field(name) });
    if (kind === "invariant")
      return t("invariants.merge", { name: (conflict.theirs as Invariant | null)?.title ?? name });
    if (kind === "decidedByRules") return t("invariants.mergeDecided");
    return t("merge.condition", { name });
  };
  const removedText = (conflict: DraftConflict) => {
    const { kind } = conflictSubject(conflict);
    if (kind === "invariant" || kind === "decidedByRules") return t("invariants.mergeRemoved");
    return t(
      kind === "rule" ? "merge.ruleRemoved" : kind === "default" ? "merge.defaultRemoved" : "merge.conditionRemoved",
    );
  };

  const save = async () => {
    const chosen = choices();
    if (chosen.some((choice) => choice === undefined)) return;
    setBusy(true);
    try {
      await props.onResolve(chosen as Choice[]);
    } finally {
      setBusy(false);
    }
  };

  const Side = (side: { conflict: DraftConflict; index: number; which: "theirs" | "mine" }) => {
    const lines = () => linesOf(side.conflict, side.which, i18n);
    const other = () => linesOf(side.conflict, side.which === "mine" ? "theirs" : "mine", i18n);
    const choice: Choice = side.which;
    return (
      <div class="merge-side" classList={{ chosen: choices()[side.index] === choice }} data-side={side.which}>
        <h4>{side.which === "theirs" ? t("merge.theirs", { who: who() }) : t("merge.mine")}</h4>
        <Show when={lines().length > 0} fallback={<p class="merge-removed">{removedText(side.conflict)}</p>}>
          <ul class="merge-lines">
            <For each={lines()}>
              {(line, i) => (
                <li classList={{ "merge-differs": line !== other()[i()] }}>
                  {line}
                  <Show when={line !== other()[i()]}>
                    <span class="visually-hidden">（{t("merge.differs")}）</span>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <label class="merge-pick">
          <input
            type="radio"
            name={`merge-choice-${side.index}`}
            value={choice}
            checked={choices()[side.index] === choice}
            onChange={() => choose(side.index, choice)}
          />{" "}
          {side.which === "theirs" ? t("merge.takeTheirs") : t("merge.keepMine")}
        </label>
      </div>
    );
  };

  return (
    <Dialog
      open={props.conflict !== undefined}
      wide
      title={t("merge.title", { who: who() })}
      onClose={props.onClose}
      actions={
        <>
          <Show when={pending() > 0}>
            <span class="muted merge-pending">{t("merge.pending", { count: pending() })}</span>
          </Show>
          <Button onClick={props.onClose} disabled={busy()}>
            {t("merge.later")}
          </Button>
          <Button variant="primary" busy={busy()} disabled={pending() > 0} onClick={save}>
            {t("merge.save")}
          </Button>
        </>
      }
    >
      <p>
        {t("merge.lead", {
          who: who(),
          current: props.conflict?.currentRevision ?? "",
          count: props.conflict?.conflicts.length ?? 0,
        })}
      </p>
      <For each={props.conflict?.conflicts ?? []}>
        {(conflict, i) => (
          <fieldset class="merge-conflict" data-subject={conflictSubject(conflict).name}>
            <legend>{subjectText(conflict)}</legend>
            <div class="merge-sides">
              <Side conflict={conflict} index={i()} which="theirs" />
              <Side conflict={conflict} index={i()} which="mine" />
            </div>
          </fieldset>
        )}
      </For>
      <p class="hint">{t("merge.laterHint")}</p>
    </Dialog>
  );
}
