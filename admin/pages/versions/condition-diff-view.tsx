import { For, Match, Show, Switch } from "solid-js";
import type { Condition } from "../../../shared/rules.ts";
import { useI18n, type MessageKey } from "../../i18n/index.tsx";
import { conditionWords } from "../../rule-summary.ts";
import type { ConditionDiff, GroupKind } from "./version-diff.ts";

/** The small word beside a changed line: 新增 / 删除 / 修改 / 顺序变化. */
export function DiffTag(props: { kind: "added" | "removed" | "changed" | "moved" }) {
  const { t } = useI18n();
  const keys: Record<typeof props.kind, MessageKey> = {
    added: "versions.diff.added",
    removed: "versions.diff.removed",
    changed: "versions.diff.changed",
    moved: "versions.diff.moved",
  };
  return <span class={`vd-tag vd-tag-${props.kind}`}>{t(keys[props.kind])}</span>;
}

/** "old → new", the old struck through; screen readers hear both. */
export function BeforeAfter(props: { before: string; after: string }) {
  return (
    <span class="vd-before-after">
      <del>{props.before}</del>
      <span aria-hidden="true"> → </span>
      <ins>{props.after}</ins>
    </span>
  );
}

/**
 * A rule's (or shared condition's) condition tree with both versions merged, in plain language:
 * groups as "以下全部满足 / 以下任一满足", leaves as "退款原因 = 七天无理由", each added, removed or
 * changed leaf tagged; unchanged leaves stay, muted, so the change reads in its context.
 */
export function ConditionDiffTree(props: { diff: ConditionDiff }) {
  return (
    <ul class="vd-tree">
      <ConditionDiffNode diff={props.diff} />
    </ul>
  );
}

function ConditionDiffNode(props: { diff: ConditionDiff }) {
  const i18n = useI18n();
  const { t } = i18n;
  const words = (condition: Condition) => conditionWords(condition, i18n, true);
  const groupWord = (kind: GroupKind) => t(kind === "all" ? "versions.diff.all" : "versions.diff.any");
  return (
    <Switch>
      <Match when={props.diff.kind === "same" && props.diff}>
        {(diff) => <li class="vd-cond vd-cond-same">{words(diff().condition)}</li>}
      </Match>
      <Match when={props.diff.kind === "added" && props.diff}>
        {(diff) => (
          <li class="vd-cond vd-cond-added">
            <DiffTag kind="added" /> <ins>{words(diff().condition)}</ins>
          </li>
        )}
      </Match>
      <Match when={props.diff.kind === "removed" && props.diff}>
        {(diff) => (
          <li class="vd-cond vd-cond-removed">
            <DiffTag kind="removed" /> <del>{words(diff().condition)}</del>
          </li>
        )}
      </Match>
      <Match when={props.diff.kind === "changed" && props.diff}>
        {(diff) => (
          <li class="vd-cond vd-cond-changed">
            <DiffTag kind="changed" /> <BeforeAfter before={words(diff().before)} after={words(diff().after)} />
          </li>
        )}
      </Match>
      <Match when={props.diff.kind === "group" && props.diff}>
        {(diff) => (
          <li class="vd-group">
            <span class="vd-group-head">
              <Show when={diff().before !== diff().after} fallback={groupWord(diff().after)}>
                <DiffTag kind="changed" />{" "}
                <BeforeAfter before={groupWord(diff().before)} after={groupWord(diff().after)} />
              </Show>
            </span>
            <ul class="vd-tree">
              <For each={diff().children}>{(child) => <ConditionDiffNode diff={child} />}</For>
            </ul>
          </li>
        )}
      </Match>
      <Match when={props.diff.kind === "not" && props.diff}>
        {(diff) => (
          <li class="vd-group">
            <span class="vd-group-head">{t("versions.diff.not")}</span>
            <ul class="vd-tree">
              <ConditionDiffNode diff={diff().child} />
            </ul>
          </li>
        )}
      </Match>
    </Switch>
  );
}
