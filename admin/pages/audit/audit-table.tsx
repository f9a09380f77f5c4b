import { createSignal, For, Show } from "solid-js";
import type { AuditEntry } from "../../../shared/logs.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { LogTime } from "../../ui/log-time.tsx";
import { actionSentence, actorName, originOf, targetName } from "./audit-wording.ts";

/**
 * Audit entries, newest first: when, who, what happened in a sentence, to what, from where. Each
 * row unfolds the entry as recorded (the JSON the export holds), for the cases a sentence leaves out.
 */
export function AuditTable(props: { entries: AuditEntry[] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [open, setOpen] = createSignal<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <div class="log-table-wrap">
      <table class="data log-table audit-table">
        <thead>
          <tr>
            <th scope="col" class="audit-col-time">
              {t("logs.col.time")}
            </th>
            <th scope="col" class="audit-col-actor">
              {t("audit.col.actor")}
            </th>
            <th scope="col">{t("audit.col.action")}</th>
            <th scope="col" class="audit-col-target">
              {t("audit.col.target")}
            </th>
            <th scope="col" class="audit-col-from">
              {t("audit.col.from")}
            </th>
            <th scope="col" class="audit-col-detail">
              <span class="visually-hidden">{t("audit.col.detail")}</span>
            </th>
          </tr>
        </thead>
        <For each={props.entries}>
          {(entry) => {
            const isOpen = () => open().has(entry.id);
            const detailId = `audit-detail-${entry.id}`;
            return (
              // one tbody per entry keeps the entry and its unfolded detail together
              <tbody class="audit-entry" classList={{ "audit-entry-open": isOpen() }}>
                <tr data-id={entry.id} data-action={entry.action}>
                  <td>
                    <LogTime at={entry.at} />
                  </td>
                  <td class="audit-actor" title={entry.actor}>
                    {actorName(entry.actor, i18n)}
                  </td>
                  <td class="audit-sentence">{actionSentence(entry, i18n)}</td>
                  <td class="audit-target" title={`${entry.entity}:${entry.entityKey}`}>
                    {targetName(entry, i18n)}
                  </td>
                  <td class="audit-from mono">{originOf(entry) ?? <span class="muted">{t("audit.fromNone")}</span>}</td>
                  <td class="audit-toggle">
                    <Button
                      class="btn-small"
                      variant="ghost"
                      aria-expanded={isOpen()}
                      aria-controls={detailId}
                      onClick={() => toggle(entry.id)}
                    >
                      {isOpen() ? t("audit.hideDetail") : t("audit.showDetail")}
                    </Button>
                  </td>
                </tr>
                <Show when={isOpen()}>
                  <tr class="audit-detail-row" id={detailId}>
                    <td colSpan={6}>
                      {/* biome-ignore lint/a11y/useSemanticElements: the <pre> itself scrolls, so it is the region a keyboard user focuses; a <section> around it would not scroll */}
                      <pre
                        class="log-raw"
                        role="region"
                        aria-label={t("audit.detailOf", { time: entry.at })}
                        tabindex="0"
                      >
                        {JSON.stringify(entry, null, 2)}
                      </pre>
                    </td>
                  </tr>
                </Show>
              </tbody>
            );
          }}
        </For>
      </table>
    </div>
  );
}
