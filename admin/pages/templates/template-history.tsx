import { createSignal, For, Show } from "solid-js";
import type { TemplateVersion } from "../../../shared/reply-templates.ts";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { Button } from "../../ui/button.tsx";
import { textDiff } from "./template-text.ts";

type Texts = { title: string; zh: string; en: string };

/**
 * The published versions, newest first: who published each and when, its note, and its text beside the current draft's
 * with the differences marked; any version can be restored as the draft.
 */
export function TemplateHistory(props: {
  versions: TemplateVersion[];
  draft: Texts;
  canRestore: boolean;
  onRestore: (version: TemplateVersion) => void;
}) {
  const { t, formatDateTime } = useI18n();
  const [open, setOpen] = createSignal<number>();
  return (
    <section class="template-history" aria-labelledby="template-history-title">
      <h2 id="template-history-title">{t("templates.history")}</h2>
      <Show when={props.versions.length > 0} fallback={<p class="muted">{t("templates.history.none")}</p>}>
        <ol class="template-versions">
          <For each={props.versions}>
            {(version) => (
              <li class="card" data-version={version.version}>
                <div class="row">
                  <strong>{t("templates.history.version", { version: version.version })}</strong>
                  <span class="muted">
                    {t("templates.history.by", {
                      who: actorName(version.publishedBy, t),
                      at: formatDateTime(version.publishedAt),
                    })}
                  </span>
                  <Show when={version.restoredFrom !== null}>
                    <span class="badge badge-muted">
                      {t("templates.history.restoredFrom", { version: version.restoredFrom ?? 0 })}
                    </span>
                  </Show>
                  <span class="spacer" />
                  <Button
                    class="btn-small"
                    aria-expanded={open() === version.version}
                    onClick={() => setOpen(open() === version.version ? undefined : version.version)}
                  >
                    {t("templates.history.compare")}
                  </Button>
                  <Show when={props.canRestore}>
                    <Button class="btn-small" onClick={() => props.onRestore(version)}>
                      {t("templates.restore")}
                    </Button>
                  </Show>
                </div>
                <Show when={version.note}>
                  <p class="template-note">{version.note}</p>
                </Show>
                <Show when={open() === version.version}>
                  <VersionComparison version={version} draft={props.draft} />
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}

/** A version's text and the draft's side by side, per language, with what the draft removed and added marked. */
function VersionComparison(props: { version: TemplateVersion; draft: Texts }) {
  const { t } = useI18n();
  return (
    <div class="template-compare">
      <For each={["zh", "en"] as const}>
        {(language) => {
          const parts = () => textDiff(props.version[language], props.draft[language]);
          const same = () => props.version[language] === props.draft[language];
          return (
            <div class="compare-language" data-compare={language}>
              <h3>{t(language === "zh" ? "templates.lang.zh" : "templates.lang.en")}</h3>
              <Show when={!same()} fallback={<p class="muted">{t("templates.history.same")}</p>}>
                <div class="compare-sides">
                  <div>
                    <h4>{t("templates.history.thisVersion", { version: props.version.version })}</h4>
                    <p class="compare-text">
                      <For each={parts().filter((part) => part.kind !== "added")}>
                        {(part) =>
                          part.kind === "removed" ? (
                            <del title={t("templates.history.removed")}>{part.text}</del>
                          ) : (
                            part.text
                          )
                        }
                      </For>
                    </p>
                  </div>
                  <div>
                    <h4>{t("templates.history.draft")}</h4>
                    <p class="compare-text">
                      <For each={parts().filter((part) => part.kind !== "removed")}>
                        {(part) =>
                          part.kind === "added" ? (
                            <ins title={t("templates.history.added")}>{part.text}</ins>
                          ) : (
                            part.text
                          )
                        }
                      </For>
                    </p>
                  </div>
                </div>
              </Show>
            </div>
          );
        }}
      </For>
    </div>
  );
}
