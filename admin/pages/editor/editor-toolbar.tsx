import { For, Show } from "solid-js";
import type { RuleInput } from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import type { DraftProblems } from "./problems.ts";
import { fieldProblemText } from "../../ui/problem-text.ts";

export type EditorMode = "visual" | "json";

/**
 * The bar that stays in view over a long list: which editor, whether there are unsaved changes,
 * Discard and Save (Ctrl/Cmd+S saves too).
 */
export function EditorToolbar(props: {
  mode: EditorMode;
  onMode: (mode: EditorMode) => void;
  dirty: boolean;
  revision: number;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { t } = useI18n();
  return (
    <div class="editor-toolbar">
      <fieldset class="mode-switch" aria-label={t("editor.views")}>
        <button
          type="button"
          class="mode-button"
          aria-pressed={props.mode === "visual"}
          onClick={() => props.onMode("visual")}
        >
          {t("editor.visual")}
        </button>
        <button
          type="button"
          class="mode-button"
          aria-pressed={props.mode === "json"}
          onClick={() => props.onMode("json")}
        >
          {t("editor.json")}
        </button>
      </fieldset>
      <span class="spacer" />
      <span class="save-state" role="status" aria-live="polite">
        <Show when={props.dirty} fallback={<span class="badge badge-muted">{t("editor.clean")}</span>}>
          <span class="badge badge-warn" data-testid="unsaved">
            <span class="dot" aria-hidden="true" /> {t("editor.dirty")}
          </span>
        </Show>
      </span>
      <span class="muted revision">{t("editor.revision", { revision: props.revision })}</span>
      <Button variant="ghost" disabled={!props.dirty || props.saving} onClick={() => props.onDiscard()}>
        {t("editor.discard")}
      </Button>
      <Button
        variant="primary"
        busy={props.saving}
        aria-keyshortcuts="Control+S Meta+S"
        title={t("editor.shortcut")}
        onClick={() => props.onSave()}
      >
        {t("editor.save")}
      </Button>
    </div>
  );
}

/**
 * What stopped the last save: each rule with problems (a button takes you to it; its fields show
 * the messages) and the problems that belong to no rule, with their paths.
 */
export function ProblemSummary(props: {
  problems: DraftProblems;
  ordered: readonly RuleInput[];
  failure: string | undefined;
  onShow: (rule: RuleInput) => void;
}) {
  const { t } = useI18n();
  const count = () =>
    props.problems.general.length + [...props.problems.byRule.values()].reduce((sum, list) => sum + list.length, 0);
  const rules = () => props.ordered.filter((rule) => props.problems.byRule.has(rule));
  return (
    <>
      <Show when={props.failure}>
        <div class="card problem-summary" role="alert">
          <p class="form-error">{t("editor.saveFailed", { message: props.failure! })}</p>
        </div>
      </Show>
      <Show when={count() > 0}>
        <div class="card problem-summary" role="alert">
          <h2>{t("problems.title", { count: count() })}</h2>
          <ul>
            <For each={rules()}>
              {(rule) => (
                <li>
                  {t("problems.inRule", { name: rule.name, count: props.problems.byRule.get(rule)?.length ?? 0 })}{" "}
                  <Button class="btn-small" variant="ghost" onClick={() => props.onShow(rule)}>
                    {t("problems.show")}
                  </Button>
                </li>
              )}
            </For>
            <For each={props.problems.general}>
              {(problem) => (
                <li class="field-error">
                  <code>{problem.path}</code> {fieldProblemText(problem, t)}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
    </>
  );
}
