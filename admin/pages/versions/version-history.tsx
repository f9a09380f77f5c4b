import { For, Show } from "solid-js";
import type { VersionSummary } from "../../../shared/api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { Button } from "../../ui/button.tsx";

/**
 * Every published version, newest first: who published it and when, the note, which one decides
 * now, which were rollbacks. Each row can show its own changes, and any but the active one can
 * be rolled back to.
 */
export function VersionHistory(props: {
  versions: VersionSummary[];
  onShowChanges: (previous: number, version: number) => void;
  onRollback: (version: VersionSummary) => void;
}) {
  const { t, formatDateTime } = useI18n();
  return (
    <table class="data version-table">
      <thead>
        <tr>
          <th scope="col">{t("versions.col.version")}</th>
          <th scope="col">{t("versions.col.publishedBy")}</th>
          <th scope="col">{t("versions.col.publishedAt")}</th>
          <th scope="col">{t("versions.col.note")}</th>
          <th scope="col">
            <span class="visually-hidden">{t("versions.col.actions")}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        <For each={props.versions}>
          {(version, index) => {
            // the list is newest first: the version before this one is the next row
            const previous = () => props.versions[index() + 1];
            return (
              <tr aria-label={`v${version.version}`} classList={{ "version-active": version.active }}>
                <th scope="row" class="version-cell">
                  <span class="version-number">v{version.version}</span>
                  <Show when={version.active}>
                    <span class="badge badge-ok">{t("versions.active")}</span>
                  </Show>
                  <Show when={version.rolledBackFrom !== null}>
                    <span class="badge badge-warn">
                      {t("versions.rolledBackFrom", { version: version.rolledBackFrom! })}
                    </span>
                  </Show>
                </th>
                <td class="version-publisher" title={version.publishedBy}>
                  {actorName(version.publishedBy, t)}
                </td>
                <td class="version-published-at">
                  <time datetime={version.publishedAt}>{formatDateTime(version.publishedAt)}</time>
                </td>
                <td class="version-note">
                  <Show when={version.note} fallback={<span class="muted">{t("versions.noNote")}</span>}>
                    {version.note}
                  </Show>
                </td>
                <td class="version-actions">
                  <Show when={previous()}>
                    {(before) => (
                      <Button
                        class="btn-small"
                        variant="ghost"
                        title={t("versions.showChangesOf", { version: version.version, previous: before().version })}
                        onClick={() => props.onShowChanges(before().version, version.version)}
                      >
                        {t("versions.showChanges")}
                      </Button>
                    )}
                  </Show>
                  <Show when={!version.active}>
                    <Button class="btn-small" onClick={() => props.onRollback(version)}>
                      {t("versions.rollback")}
                    </Button>
                  </Show>
                </td>
              </tr>
            );
          }}
        </For>
      </tbody>
    </table>
  );
}
