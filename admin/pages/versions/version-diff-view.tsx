import { For, Match, Show, Switch } from "solid-js";
import type { Rule } from "../../../shared/rules.ts";
import { useI18n, type MessageKey } from "../../i18n/index.tsx";
import { conditionWords, outcomeWords } from "../../rule-summary.ts";
import { BeforeAfter, ConditionDiffTree, DiffTag } from "./condition-diff-view.tsx";
import { InvariantChanges } from "./invariant-diff-view.tsx";
import type { Change, FieldChange, RuleDiff, VersionDiff } from "./version-diff.ts";

type ChangedRule = Extract<RuleDiff, { before: Rule }>;

/**
 * A structured diff (version-diff.ts) in a policy manager's words: a count per kind of change,
 * the defaults and shared conditions that changed, then each added, removed, changed or moved
 * rule; unchanged rules folded away.
 */
export function VersionDiffView(props: { diff: VersionDiff }) {
  const { t } = useI18n();
  const visible = () => props.diff.rules.filter((rule) => rule.status !== "unchanged");
  const unchanged = () => props.diff.rules.filter((rule) => rule.status === "unchanged");
  const counts: { status: RuleDiff["status"]; key: MessageKey }[] = [
    { status: "added", key: "versions.diff.added" },
    { status: "removed", key: "versions.diff.removed" },
    { status: "changed", key: "versions.diff.changed" },
    { status: "moved", key: "versions.diff.moved" },
    { status: "unchanged", key: "versions.diff.unchanged" },
  ];
  return (
    <div class="version-diff">
      <ul class="vd-summary" aria-label={t("versions.diff.summary")}>
        <For each={counts}>
          {(count) => (
            <li
              class={`vd-count vd-count-${count.status}`}
              classList={{ "vd-count-zero": props.diff.counts[count.status] === 0 }}
            >
              {t(count.key)} <strong>{props.diff.counts[count.status]}</strong>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.diff.identical}>
        <p class="vd-identical">{t("versions.diff.identical")}</p>
      </Show>
      <Show when={props.diff.defaults.length > 0}>
        <section class="vd-section">
          <h3>{t("versions.diff.defaults")}</h3>
          <p class="hint">{t("versions.diff.defaultsHint")}</p>
          <FieldChanges changes={props.diff.defaults} />
        </section>
      </Show>
      <Show when={props.diff.conditions.length > 0}>
        <section class="vd-section">
          <h3>{t("versions.diff.sharedConditions")}</h3>
          <ul class="vd-rules">
            <For each={props.diff.conditions}>
              {(shared) => (
                <li class={`vd-rule vd-rule-${shared.status}`}>
                  <div class="vd-rule-head">
                    <DiffTag kind={shared.status} />
                    <code class="vd-rule-name">{shared.name}</code>
                  </div>
                  <ConditionDiffTree
                    diff={
                      shared.status === "changed" ? shared.diff : { kind: shared.status, condition: shared.condition }
                    }
                  />
                </li>
              )}
            </For>
          </ul>
        </section>
      </Show>
      <Show when={props.diff.invariants.length > 0}>
        <InvariantChanges diffs={props.diff.invariants} />
      </Show>
      <Show when={visible().length > 0}>
        <section class="vd-section">
          <h3>{t("versions.diff.rules")}</h3>
          <ul class="vd-rules">
            <For each={visible()}>{(rule) => <RuleDiffItem diff={rule} />}</For>
          </ul>
        </section>
      </Show>
      <Show when={unchanged().length > 0}>
        <details class="vd-unchanged">
          <summary>{t("versions.diff.showUnchanged", { count: unchanged().length })}</summary>
          <ul>
            <For each={unchanged()}>
              {(rule) => (
                <li>
                  <code>{rule.name}</code>
                </li>
              )}
            </For>
          </ul>
        </details>
      </Show>
    </div>
  );
}

function RuleDiffItem(props: { diff: RuleDiff }) {
  const tag = () => (props.diff.status === "unchanged" ? "changed" : props.diff.status);
  const description = () => ("rule" in props.diff ? props.diff.rule.description : props.diff.after.description);
  return (
    <li class={`vd-rule vd-rule-${props.diff.status}`} data-rule={props.diff.name} data-status={props.diff.status}>
      <div class="vd-rule-head">
        <DiffTag kind={tag()} />
        <Show when={props.diff.status === "changed" && "moved" in props.diff && props.diff.moved}>
          <DiffTag kind="moved" />
        </Show>
        <code class="vd-rule-name">{props.diff.name}</code>
      </div>
      <Show when={description()}>
        <p class="vd-rule-description">{description()}</p>
      </Show>
      <Switch>
        <Match when={"rule" in props.diff && props.diff}>
          {(diff) => <WholeRule rule={diff().rule} removed={diff().status === "removed"} />}
        </Match>
        <Match when={"before" in props.diff && props.diff}>
          {(diff) => <RuleChanges diff={diff() as ChangedRule} />}
        </Match>
      </Switch>
    </li>
  );
}

/** An added or removed rule, whole: when …, then …. */
function WholeRule(props: { rule: Rule; removed: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const Text = (text: { children: string }) =>
    props.removed ? <del>{text.children}</del> : <ins>{text.children}</ins>;
  return (
    <dl class="vd-props">
      <dt>{t("versions.diff.conditions")}</dt>
      <dd>
        <Text>{conditionWords(props.rule.conditions, i18n)}</Text>
      </dd>
      <dt>{t("versions.diff.outcome")}</dt>
      <dd>
        <Text>{outcomeWords(props.rule.event.params, i18n) || t("versions.diff.empty")}</Text>
      </dd>
      <dt>{t("versions.diff.priority")}</dt>
      <dd>
        {props.rule.priority}
        <Show when={!props.rule.enabled}>
          {" · "}
          <span class="badge badge-muted">{t("versions.diff.disabled")}</span>
        </Show>
      </dd>
    </dl>
  );
}

/** What changed inside a rule kept on both sides: its properties, its conditions, its outcome. */
function RuleChanges(props: { diff: ChangedRule }) {
  const i18n = useI18n();
  const { t } = i18n;
  const yesNo = (v: boolean) => t(v ? "versions.diff.yes" : "versions.diff.no");
  const position = (n: number) => t("versions.diff.position", { n });
  const Row = (row: { label: MessageKey; change: Change<string> | undefined }) => (
    <Show when={row.change}>
      {(change) => (
        <>
          <dt>{t(row.label)}</dt>
          <dd>
            <BeforeAfter
              before={change().before || t("versions.diff.empty")}
              after={change().after || t("versions.diff.empty")}
            />
          </dd>
        </>
      )}
    </Show>
  );
  const text = <T,>(change: Change<T> | undefined, show: (v: T) => string) =>
    change && { before: show(change.before), after: show(change.after) };
  return (
    <dl class="vd-props">
      <Row
        label="versions.diff.order"
        change={text(props.diff.moved && { before: props.diff.moved.from, after: props.diff.moved.to }, position)}
      />
      <Row label="versions.diff.priority" change={text(props.diff.priority, String)} />
      <Row label="versions.diff.enabled" change={text(props.diff.enabled, yesNo)} />
      <Row label="versions.diff.description" change={props.diff.description} />
      <Row label="versions.diff.eventType" change={props.diff.eventType} />
      <dt>{t("versions.diff.conditions")}</dt>
      <dd>
        <Show
          when={props.diff.conditions}
          fallback={<Unchanged text={conditionWords(props.diff.after.conditions, i18n)} />}
        >
          {(conditions) => <ConditionDiffTree diff={conditions()} />}
        </Show>
      </dd>
      <dt>{t("versions.diff.outcome")}</dt>
      <dd>
        <Show
          when={props.diff.outcome.length > 0}
          fallback={<Unchanged text={outcomeWords(props.diff.after.event.params, i18n) || t("versions.diff.empty")} />}
        >
          <FieldChanges changes={props.diff.outcome} />
        </Show>
      </dd>
    </dl>
  );
}

function Unchanged(props: { text: string }) {
  const { t } = useI18n();
  return (
    <span class="vd-unchanged-part">
      {props.text} <span class="muted">{t("versions.diff.unchangedPart")}</span>
    </span>
  );
}

/** Decision fields one by one — "退货运费: 买家承担 → 卖家承担" — with their value labels. */
export function FieldChanges(props: { changes: FieldChange[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  // outcomeWords knows how each field's value reads (labels, 是/否, timers); keep only the value part
  const valueText = (field: string, value: unknown) => {
    const words = outcomeWords({ [field]: value }, i18n);
    const prefix = `${i18n.field(field)}: `;
    return words.startsWith(prefix) ? words.slice(prefix.length) : words;
  };
  return (
    <ul class="vd-field-changes">
      <For each={props.changes}>
        {(change) => (
          <li class={`vd-field-change vd-field-change-${change.change}`}>
            <DiffTag kind={change.change} /> <span class="vd-field-name">{i18n.field(change.field)}</span>:{" "}
            <BeforeAfter
              before={change.change === "added" ? t("versions.diff.unset") : valueText(change.field, change.before)}
              after={change.change === "removed" ? t("versions.diff.unset") : valueText(change.field, change.after)}
            />
          </li>
        )}
      </For>
    </ul>
  );
}
