import { For, Match, Switch } from "solid-js";
import { useI18n } from "../../i18n/index.tsx";
import { invariantWords } from "../editor/invariant-words.ts";
import { BeforeAfter, DiffTag } from "./condition-diff-view.tsx";
import type { InvariantDiff } from "./invariant-diff.ts";

/** The invariants a version adds, removes or changes, each by its title, in words; a change as before → after. */
export function InvariantChanges(props: { diffs: readonly InvariantDiff[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <section class="vd-section">
      <h3>{t("invariants.title")}</h3>
      <ul class="vd-rules">
        <For each={props.diffs}>
          {(diff) => (
            <li class={`vd-rule vd-rule-${diff.status}`} data-invariant={diff.name}>
              <div class="vd-rule-head">
                <DiffTag kind={diff.status} />
                <strong>{(diff.status === "removed" ? diff.before.title : diff.after.title) || diff.name}</strong>
              </div>
              <Switch>
                <Match when={diff.status === "added" && diff}>{(d) => <p>{invariantWords(d().after, i18n)}</p>}</Match>
                <Match when={diff.status === "removed" && diff}>
                  {(d) => (
                    <p>
                      <del>{invariantWords(d().before, i18n)}</del>
                    </p>
                  )}
                </Match>
                <Match when={diff.status === "changed" && diff}>
                  {(d) => (
                    <p>
                      <BeforeAfter before={invariantWords(d().before, i18n)} after={invariantWords(d().after, i18n)} />
                    </p>
                  )}
                </Match>
              </Switch>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
