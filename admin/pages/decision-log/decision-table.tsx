import { For } from "solid-js";
import type { DecisionLogEntry } from "../../../shared/logs.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { LogTime } from "../../ui/log-time.tsx";
import { outcomeLabel, outcomeTone } from "./outcomes.ts";

/** Logged decisions, newest first; "查看" (or a click on the row) opens one. */
export function DecisionTable(props: { entries: DecisionLogEntry[]; onOpen: (entry: DecisionLogEntry) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <div class="log-table-wrap">
      <table class="data log-table decision-table">
        <thead>
          <tr>
            <th scope="col" class="decision-col-time">
              {t("logs.col.time")}
            </th>
            <th scope="col" class="decision-col-id">
              {t("decisions.col.id")}
            </th>
            <th scope="col">{t("decisions.col.ruleSet")}</th>
            <th scope="col" class="decision-col-version">
              {t("decisions.col.version")}
            </th>
            <th scope="col" class="decision-col-key">
              {t("decisions.col.keyName")}
            </th>
            <th scope="col">{t("decisions.col.outcome")}</th>
            <th scope="col" class="decision-col-open">
              <span class="visually-hidden">{t("decisions.col.open")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.entries}>
            {(entry) => (
              <tr
                data-id={entry.decisionId}
                data-outcome={entry.outcome}
                class="decision-row"
                // the button is the keyboard's way in; the whole row is a bigger target for the mouse
                onClick={(event) => {
                  if (!(event.target as Element).closest("button, a") && !window.getSelection()?.toString())
                    props.onOpen(entry);
                }}
              >
                <td>
                  <LogTime at={entry.at} />
                </td>
                <td class="mono decision-id">{entry.decisionId}</td>
                <td>{i18n.ruleSetName(entry.ruleSet, entry.ruleSet)}</td>
                <td class="mono">v{entry.version}</td>
                <td>{entry.keyName}</td>
                <td>
                  <span class={`badge badge-${outcomeTone(entry.ruleSet, entry.outcome)}`} title={entry.outcome}>
                    {outcomeLabel(entry.ruleSet, entry.outcome, i18n)}
                  </span>
                </td>
                <td class="decision-open">
                  <Button
                    class="btn-small"
                    aria-label={t("decisions.openLabel", { id: entry.decisionId })}
                    onClick={() => props.onOpen(entry)}
                  >
                    {t("decisions.open")}
                  </Button>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
