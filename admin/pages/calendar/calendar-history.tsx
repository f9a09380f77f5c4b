import { createSignal, For, Show } from "solid-js";
import type { CalendarVersionSummary } from "../../../shared/calendar.ts";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { FormError } from "../../ui/field.tsx";
import { problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";

/** A year's versions, newest first, each restorable (as a new version) by whoever may edit the calendar. */
export function CalendarHistory(props: {
  year: number;
  versions: readonly CalendarVersionSummary[];
  editable: boolean;
  onRestored: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const toast = useToast();
  const [restoring, setRestoring] = createSignal<CalendarVersionSummary>();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const close = () => {
    setRestoring(undefined);
    setError(undefined);
  };
  const restore = async () => {
    const version = restoring()!;
    setBusy(true);
    try {
      const restored = await call(
        api.calendar[":year"].restore.$post({
          param: { year: String(props.year) },
          json: { version: version.version },
        }),
      );
      toast("success", t("calendar.restored", { version: version.version, next: restored.version }));
      close();
      props.onRestored();
    } catch (e) {
      setError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="calendar-history" aria-labelledby="calendar-history-title">
      <h2 id="calendar-history-title">{t("calendar.history")}</h2>
      <Show when={props.versions.length > 0} fallback={<p class="muted">{t("calendar.historyNone")}</p>}>
        <ol class="calendar-versions">
          <For each={props.versions}>
            {(version, index) => (
              <li data-version={version.version}>
                <div class="row">
                  <strong>{t("calendar.version", { version: version.version })}</strong>
                  <Show when={index() === 0}>
                    <span class="badge badge-ok">{t("calendar.current")}</span>
                  </Show>
                  <Show when={version.restoredFrom !== null}>
                    <span class="badge badge-muted">
                      {t("calendar.restoredFrom", { version: version.restoredFrom ?? 0 })}
                    </span>
                  </Show>
                  <span class="spacer" />
                  <Show when={props.editable && index() > 0}>
                    <Button variant="ghost" onClick={() => setRestoring(version)}>
                      {t("calendar.restore")}
                    </Button>
                  </Show>
                </div>
                <div class="muted">
                  {t("calendar.savedBy", { who: actorName(version.savedBy, t), at: formatDateTime(version.savedAt) })}
                  {" · "}
                  {t("calendar.counts", { holidays: version.holidays, workdays: version.workdays })}
                </div>
                <Show when={version.note}>
                  <p class="calendar-version-note">{version.note}</p>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Dialog
        open={restoring() !== undefined}
        title={t("calendar.restoreTitle", { year: props.year, version: restoring()?.version ?? 0 })}
        onClose={close}
        actions={
          <ConfirmActions
            onCancel={close}
            onConfirm={() => void restore()}
            confirmLabel={t("calendar.restore")}
            busy={busy()}
          />
        }
      >
        <p>{t("calendar.restoreBody", { version: restoring()?.version ?? 0 })}</p>
        <FormError error={error()} />
      </Dialog>
    </section>
  );
}
