import { useBeforeLeave } from "@solidjs/router";
import { createMemo, createSignal, lazy, onCleanup, onMount, Show, Suspense } from "solid-js";
import { reconcile } from "solid-js/store";
import { z } from "zod";
import { ruleSetKinds } from "../../../shared/outputs.ts";
import type { RuleInput } from "../../../shared/rules.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Loading } from "../../ui/states.tsx";
import { holdUnsaved } from "../../unsaved.ts";
import { useRuleSet } from "../rule-set/rule-set-context.tsx";
import { draftText, readDraftText, type DraftTextProblem } from "./draft-json.ts";
import { DraftPresence } from "./draft-presence.tsx";
import { DefaultsEditor } from "./defaults-editor.tsx";
import { createDraftSaver } from "./draft-saver.ts";
import { ConflictDialog, DiscardDialog } from "./editor-dialogs.tsx";
import { EditorToolbar, ProblemSummary, type EditorMode } from "./editor-toolbar.tsx";
import { MergeDialog } from "./merge-dialog.tsx";
import type { RuleSetFrame } from "./rule-card.tsx";
import { RuleList } from "./rule-list.tsx";
import { InvariantsEditor } from "./invariants-editor.tsx";
import { SharedConditionsEditor } from "./shared-conditions-editor.tsx";
import { evaluationOrder } from "./rule-order.ts";
import "./editor.css";

// CodeMirror is loaded when the JSON tab first opens, not with every page of the admin
const JsonView = lazy(() => import("./json-view.tsx"));

/** Timer keys and expiry actions the rule set already uses, in the order they first appear. */
function knownTimerCodes(rules: readonly RuleInput[], defaults: Record<string, unknown>) {
  const keys = new Set<string>();
  const actions = new Set<string>();
  const collect = (timers: unknown) => {
    if (!Array.isArray(timers)) return;
    for (const timer of timers as { key?: unknown; onExpiry?: unknown }[]) {
      if (typeof timer?.key === "string" && timer.key) keys.add(timer.key);
      if (typeof timer?.onExpiry === "string" && timer.onExpiry) actions.add(timer.onExpiry);
    }
  };
  collect(defaults.timers);
  for (const rule of rules) collect(rule.event?.params?.timers);
  return { keys: keys.size > 0 ? [...keys] : undefined, actions: actions.size > 0 ? [...actions] : undefined };
}

/**
 * The rule editor (tab "规则"): the draft's rules in evaluation order, edited in the visual
 * editor or as JSON, both views on the one working copy, saved as the draft.
 */
export function EditorPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const state = useRuleSet();
  const [mode, setMode] = createSignal<EditorMode>("visual");
  const [jsonProblem, setJsonProblem] = createSignal<DraftTextProblem>();
  const [jsonNag, setJsonNag] = createSignal(false);
  const [discarding, setDiscarding] = createSignal(false);
  const [expanded, setExpanded] = createSignal<ReadonlySet<RuleInput>>(new Set());
  const jsonBlocked = () => (mode() === "json" && jsonProblem() ? t("problems.jsonBlocked") : undefined);
  // fields whose text means no value (a start time typed as 2026-13-01): the draft they show is not the one held
  const [unreadable, setUnreadable] = createSignal<ReadonlySet<string>>(new Set());
  const fieldValidity = (key: string, valid: boolean) =>
    setUnreadable((keys) => {
      if (keys.has(key) !== valid) return keys;
      const next = new Set(keys);
      if (valid) next.delete(key);
      else next.add(key);
      return next;
    });
  const saver = createDraftSaver(state, {
    blocked: () => jsonBlocked() ?? (unreadable().size > 0 ? t("problems.fieldsBlocked") : undefined),
  });

  const timerCodes = createMemo(() => knownTimerCodes(state.working.rules, state.working.defaults));
  const schema = () => {
    const kind = state.kind();
    return kind ? ruleSetKinds[kind].params : z.object({});
  };
  const defaultsSchema = () => {
    const kind = state.kind();
    return kind ? ruleSetKinds[kind].defaults : z.object({});
  };
  const frame: RuleSetFrame = {
    get schema() {
      return schema();
    },
    get defaults() {
      return state.working.defaults;
    },
    get shared() {
      return state.working.conditions;
    },
    get timerKeys() {
      return timerCodes().keys;
    },
    get expiryActions() {
      return timerCodes().actions;
    },
    fieldValidity,
  };

  const switchMode = (next: EditorMode) => {
    if (next === mode()) return;
    if (jsonBlocked()) {
      setJsonNag(true);
      return;
    }
    setJsonNag(false);
    setMode(next);
  };

  const applyJson = (text: string) => {
    const read = readDraftText(text);
    if (!read.ok) {
      setJsonProblem(read.problem);
      return;
    }
    setJsonProblem(undefined);
    setJsonNag(false);
    state.setWorking("defaults", reconcile(read.draft.defaults));
    state.setWorking("conditions", reconcile(read.draft.conditions));
    state.setWorking("rules", reconcile(read.draft.rules));
  };

  const discard = () => {
    setDiscarding(false);
    const detail = state.detail();
    if (detail) state.resetFromServer(detail);
    setJsonProblem(undefined);
    setJsonNag(false);
    saver.clearProblems();
    saver.clearFailure();
  };

  const save = () => {
    if (jsonBlocked()) setJsonNag(true);
    void saver.save();
  };

  const onKey = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "s") return;
    event.preventDefault();
    if (saver.conflict() || saver.mergeConflict() || discarding()) return;
    // a priority being typed is committed on change; commit it before saving
    const active = document.activeElement;
    if (active instanceof HTMLInputElement && active.type === "number")
      active.dispatchEvent(new Event("change", { bubbles: true }));
    save();
  };
  onMount(() => window.addEventListener("keydown", onKey));
  onCleanup(() => window.removeEventListener("keydown", onKey));

  useBeforeLeave((event) => {
    if (jsonBlocked() && !window.confirm(t("problems.jsonLeave"))) event.preventDefault();
  });
  holdUnsaved({
    what: () => t("unsaved.json", { name: i18n.ruleSetName(state.key(), state.detail()?.name ?? state.key()) }),
    dirty: () => jsonBlocked() !== undefined,
    discard: () => setJsonProblem(undefined),
  });

  const showRule = (rule: RuleInput) => {
    const card = document.querySelector<HTMLElement>(`article[data-rule="${CSS.escape(rule.name)}"]`);
    card?.scrollIntoView({ block: "start" });
    const target =
      card?.querySelector<HTMLElement>("[aria-invalid='true']") ?? card?.querySelector<HTMLElement>(".rule-body input");
    target?.focus({ preventScroll: true });
  };

  return (
    <div class="editor">
      <EditorToolbar
        mode={mode()}
        onMode={switchMode}
        dirty={state.dirty()}
        revision={state.working.revision}
        saving={saver.saving()}
        onSave={save}
        onDiscard={() => setDiscarding(true)}
      />
      <DraftPresence />
      <ProblemSummary
        problems={saver.problems()}
        ordered={evaluationOrder(state.working.rules)}
        failure={saver.failure()}
        onShow={showRule}
      />
      <Show
        when={mode() === "json"}
        fallback={
          <>
            <RuleList
              state={state}
              frame={frame}
              problems={saver.problems()}
              expanded={expanded}
              setExpanded={setExpanded}
            />
            <DefaultsEditor
              state={state}
              schema={defaultsSchema()}
              timerKeys={timerCodes().keys}
              expiryActions={timerCodes().actions}
            />
            <SharedConditionsEditor state={state} />
            <Show when={state.kind()}>
              {(kind) => <InvariantsEditor state={state} kind={kind()} problems={saver.problems().general} />}
            </Show>
          </>
        }
      >
        <section class="json-pane" aria-label={t("json.label")}>
          <p class="hint" id="json-hint">
            {t("json.hint")}
          </p>
          <Show when={jsonProblem()}>
            {(problem) => (
              <p class="form-error json-problem" role="alert">
                {t(problem().key, problem().vars)}
              </p>
            )}
          </Show>
          <Show when={jsonNag() && jsonProblem()}>
            <p class="form-error" role="alert">
              {t("problems.jsonBlocked")}
            </p>
          </Show>
          <Suspense fallback={<Loading />}>
            <JsonView
              value={draftText(state.working)}
              onText={applyJson}
              label={t("json.label")}
              describedBy="json-hint"
            />
          </Suspense>
        </section>
      </Show>
      <MergeDialog
        conflict={saver.mergeConflict()}
        names={saver.names}
        onResolve={saver.resolve}
        onClose={saver.dismissMerge}
      />
      <ConflictDialog conflict={saver.conflict()} onTakeTheirs={saver.takeTheirs} onClose={saver.dismissConflict} />
      <DiscardDialog
        open={discarding()}
        revision={state.detail()?.draft.revision ?? state.working.revision}
        onConfirm={discard}
        onClose={() => setDiscarding(false)}
      />
    </div>
  );
}
