import { createMemo, createSignal, For, Show } from "solid-js";
import type { TraceEntry, TraceNode } from "../../../server/engine/compile.ts";
import { elapsedWords } from "../../../shared/duration.ts";
import { findFact } from "../../../shared/fact-catalog.ts";
import { useI18n, type I18n } from "../../i18n/index.tsx";
import { factLabel, operatorWord, valueWords } from "../../rule-summary.ts";
import { Button } from "../../ui/button.tsx";

export type { TraceEntry };

/** What a condition saw, as the fact's type reads: labels, yuan, durations; "no value" when absent. */
function seenWords(node: Extract<TraceNode, { fact: string }>, i18n: I18n): string {
  const entry = findFact(node.fact, node.path);
  if (node.factValue === undefined) return i18n.t("trace.noValue");
  if (entry?.type.kind === "duration" && typeof node.factValue === "number")
    return elapsedWords(node.factValue, i18n.lang());
  return valueWords(entry, node.factValue, i18n);
}

function Mark(props: { result: boolean }) {
  const { t } = useI18n();
  return (
    <span
      class={`trace-mark ${props.result ? "trace-true" : "trace-false"}`}
      role="img"
      aria-label={props.result ? t("trace.true") : t("trace.false")}
    >
      {props.result ? "✓" : "✗"}
    </span>
  );
}

/**
 * Where the trace shows each shared condition in full: the rule whose conditions hold its node
 * (a trace shows one once and refers to it after, see TraceNode). No recursion: traces may be deep.
 */
function sharedShownIn(trace: readonly TraceEntry[]): Map<string, string> {
  const shownIn = new Map<string, string>();
  for (const entry of trace) {
    const pending: TraceNode[] = [entry.conditions];
    while (pending.length > 0) {
      const node = pending.pop()!;
      if ("ref" in node) continue;
      if (node.condition !== undefined && !shownIn.has(node.condition)) shownIn.set(node.condition, entry.rule);
      if ("all" in node) pending.push(...node.all);
      else if ("any" in node) pending.push(...node.any);
      else if ("not" in node) pending.push(node.not);
    }
  }
  return shownIn;
}

/** One condition of a rule with what it saw and whether it held; groups list their children, a reference to a shared condition shown elsewhere its result. */
function ConditionNode(props: { node: TraceNode; shownIn: ReadonlyMap<string, string> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const node = props.node;
  if ("ref" in node) {
    const rule = props.shownIn.get(node.condition);
    return (
      <div class="trace-line trace-ref" data-condition={node.condition}>
        <Mark result={node.result} />{" "}
        {t("trace.sharedRef", { name: node.condition, result: node.result ? t("trace.true") : t("trace.false") })}
        <Show when={rule}>{(name) => <span class="muted"> {t("trace.sharedShownIn", { rule: name() })}</span>}</Show>
      </div>
    );
  }
  const shared = () =>
    node.condition ? <span class="badge badge-muted">{t("trace.shared", { name: node.condition })}</span> : null;
  if ("all" in node || "any" in node) {
    const children = "all" in node ? node.all : node.any;
    return (
      <div class="trace-group">
        <div class="trace-line">
          <Mark result={node.result} /> {"all" in node ? t("trace.all") : t("trace.any")} {shared()}
        </div>
        <ul class="trace-children">
          <For each={children}>
            {(child) => (
              <li>
                <ConditionNode node={child} shownIn={props.shownIn} />
              </li>
            )}
          </For>
        </ul>
      </div>
    );
  }
  if ("not" in node) {
    return (
      <div class="trace-group">
        <div class="trace-line">
          <Mark result={node.result} /> {t("trace.not")} {shared()}
        </div>
        <ul class="trace-children">
          <li>
            <ConditionNode node={node.not} shownIn={props.shownIn} />
          </li>
        </ul>
      </div>
    );
  }
  const entry = findFact(node.fact, node.path);
  return (
    <div class="trace-line trace-leaf" classList={{ "trace-leaf-false": !node.result }}>
      <Mark result={node.result} /> <span class="trace-fact">{factLabel(entry, node.fact, node.path, i18n)}</span>{" "}
      <span class="trace-op">{operatorWord(node.operator, i18n)}</span>{" "}
      <span class="trace-expected">{valueWords(entry, node.value, i18n)}</span>
      <Show when={node.valueSeen !== undefined}>
        <span class="muted"> ({valueWords(entry, node.valueSeen, i18n)})</span>
      </Show>{" "}
      <span class="trace-seen">{t("trace.seen", { value: seenWords(node, i18n) })}</span> {shared()}
    </div>
  );
}

/** What became of a fired rule's fields: those earlier rules had set, and whether that was every one (overridden). */
function RuleEffect(props: { entry: TraceEntry; titleOf: (rule: string) => string }) {
  const i18n = useI18n();
  const taken = () => Object.entries(props.entry.takenBy ?? {});
  return (
    <Show when={taken().length > 0}>
      <div class="trace-effect" classList={{ "trace-effect-overridden": props.entry.overridden === true }}>
        <Show when={props.entry.overridden}>
          <p class="trace-note">{i18n.t("trace.overriddenNote")}</p>
        </Show>
        <ul class="trace-taken">
          <For each={taken()}>
            {([field, rule]) => (
              <li>{i18n.t("trace.takenBy", { field: i18n.field(field), rule: props.titleOf(rule) })}</li>
            )}
          </For>
        </ul>
      </div>
    </Show>
  );
}

/**
 * How a decision came about: each rule, whether it fired, and each of its conditions with the value
 * it saw. Fired rules come first and open; the others are folded but one click away. A rule is shown
 * by its title when it has one; a rule outside its validity window says so, and a fired rule whose
 * fields earlier rules had set says which, marked overridden when that was every field.
 */
export function TraceView(props: { trace: readonly TraceEntry[]; describe?: (rule: string) => string | undefined }) {
  const { t } = useI18n();
  const ordered = createMemo(() => [...props.trace.filter((e) => e.fired), ...props.trace.filter((e) => !e.fired)]);
  const shownIn = createMemo(() => sharedShownIn(props.trace));
  const titles = createMemo(() => new Map(props.trace.map((e) => [e.rule, e.title ?? e.rule])));
  const titleOf = (rule: string) => titles().get(rule) ?? rule;
  const [open, setOpen] = createSignal<ReadonlySet<string>>(
    new Set(props.trace.filter((e) => e.fired).map((e) => e.rule)),
  );
  const setRule = (rule: string, isOpen: boolean) =>
    setOpen((current) => {
      if (current.has(rule) === isOpen) return current;
      const next = new Set(current);
      if (isOpen) next.add(rule);
      else next.delete(rule);
      return next;
    });
  return (
    <div class="trace-view">
      <div class="row trace-bar">
        <span class="muted">
          {t("trace.count", { fired: props.trace.filter((e) => e.fired).length, total: props.trace.length })}
        </span>
        <span class="spacer" />
        <Button class="btn-small" variant="ghost" onClick={() => setOpen(new Set(props.trace.map((e) => e.rule)))}>
          {t("trace.expandAll")}
        </Button>
        <Button class="btn-small" variant="ghost" onClick={() => setOpen(new Set<string>())}>
          {t("trace.collapseAll")}
        </Button>
      </div>
      <Show when={props.trace.length > 0} fallback={<p class="muted">{t("trace.noRules")}</p>}>
        <ol class="trace-rules">
          <For each={ordered()}>
            {(entry) => (
              <li>
                <details
                  class="trace-rule"
                  classList={{ "trace-fired": entry.fired }}
                  data-rule={entry.rule}
                  data-fired={String(entry.fired)}
                  open={open().has(entry.rule)}
                  onToggle={(e) => setRule(entry.rule, e.currentTarget.open)}
                >
                  <summary>
                    <Mark result={entry.fired} />{" "}
                    <Show when={entry.title}>{(title) => <span class="trace-rule-title">{title()}</span>}</Show>{" "}
                    <code class="trace-rule-name">{entry.rule}</code>
                    <span class={`badge ${entry.fired ? "badge-ok" : "badge-muted"}`}>
                      {entry.fired ? t("trace.fired") : t("trace.notFired")}
                    </span>
                    <Show when={entry.window}>
                      {(window) => (
                        <span class="badge badge-warn" data-window={window()}>
                          {window() === "upcoming" ? t("trace.window.upcoming") : t("trace.window.over")}
                        </span>
                      )}
                    </Show>
                    <Show when={entry.overridden}>
                      <span class="badge badge-warn" data-overridden="true">
                        {t("trace.overridden")}
                      </span>
                    </Show>
                    <span class="muted trace-priority">{t("trace.priority", { priority: entry.priority })}</span>
                  </summary>
                  <Show when={props.describe?.(entry.rule)}>
                    {(description) => <p class="muted trace-description">{description()}</p>}
                  </Show>
                  <Show when={entry.window}>
                    <p class="trace-note">{t("trace.window.note")}</p>
                  </Show>
                  <RuleEffect entry={entry} titleOf={titleOf} />
                  <ConditionNode node={entry.conditions} shownIn={shownIn()} />
                </details>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </div>
  );
}
