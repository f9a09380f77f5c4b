import { For, Match, Switch } from "solid-js";
import { useI18n } from "../../i18n/index.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { DecisionValue } from "../simulator/decision-view.tsx";
import type { AcceptedChange } from "./test-cases-model.ts";

/**
 * Before "用实际结果更新期望" changes anything: each expectation it rewrites, expected → actual in
 * words (money in yuan), and the rule that gave the new value, so that an answer a rule set by
 * mistake (a new rule overridden by an older one) is seen before it becomes the test's truth.
 */
export function AcceptActualDialog(props: {
  caseName: string;
  changes: readonly AcceptedChange[];
  onConfirm: () => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <Dialog
      open
      title={t("tests.acceptTitle")}
      onClose={props.onClose}
      actions={
        <ConfirmActions onCancel={props.onClose} onConfirm={props.onConfirm} confirmLabel={t("tests.acceptConfirm")} />
      }
    >
      <p>{t("tests.acceptIntro", { name: props.caseName })}</p>
      <ul class="accept-changes" aria-label={t("tests.acceptChanges")}>
        <For each={props.changes}>
          {(change) => (
            <li class="accept-change" data-field={change.field}>
              <p class="accept-change-value">
                <strong>{i18n.field(change.field)}</strong>
                {t("tests.acceptColon")}
                <span class="diff-expected">
                  <DecisionValue field={change.field} value={change.before} />
                </span>
                {" → "}
                <span class="diff-actual">
                  <DecisionValue field={change.field} value={change.after} />
                </span>
              </p>
              <p class="accept-change-source muted">
                <Switch>
                  <Match when={change.source.from === "rules" && change.source}>
                    {(source) => (
                      <>
                        {t("tests.acceptFromRule")}{" "}
                        <For each={source().rules}>
                          {(rule, index) => (
                            <>
                              {index() > 0 ? t("fieldProblem.listSeparator") : ""}
                              <span class="accept-rule">
                                {rule.title ? `${rule.title} ` : ""}
                                <code class="rule-chip">{rule.name}</code>
                              </span>
                            </>
                          )}
                        </For>
                      </>
                    )}
                  </Match>
                  <Match when={change.source.from === "default"}>{t("tests.acceptFromDefault")}</Match>
                  <Match when={change.source.from === "computed"}>{t("tests.acceptFromComputed")}</Match>
                </Switch>
              </p>
            </li>
          )}
        </For>
      </ul>
      <p class="hint">{t("tests.acceptWarning")}</p>
    </Dialog>
  );
}
