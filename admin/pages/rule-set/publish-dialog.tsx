import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { api, ApiError, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { Dialog } from "../../ui/dialog.tsx";
import { Loading } from "../../ui/states.tsx";
import { useToast } from "../../ui/toast.tsx";
import { useRuleSet } from "./rule-set-context.tsx";

type RunResult = { name: string; passed: boolean; mismatches: { field: string; expected: unknown; actual: unknown }[] };

/**
 * Publishing the saved draft: the dialog runs the test cases first and shows their result; the
 * server refuses too while one fails. On success the new version decides at once.
 */
export function PublishButton() {
  const { t } = useI18n();
  const state = useRuleSet();
  const toast = useToast();
  const [open, setOpen] = createSignal(false);
  const [note, setNote] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [run, { refetch }] = createResource(open, async () => (await call(api["rule-sets"][":key"]["test-cases"].run.$post({ param: { key: state.key() } }))) as { passed: boolean; results: RunResult[] });
  const failures = () => run()?.results.filter((r) => !r.passed) ?? [];

  const publish = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await call(api["rule-sets"][":key"].publish.$post({ param: { key: state.key() }, json: { note: note() || undefined } }));
      setOpen(false);
      setNote("");
      toast("success", result.unchanged ? t("publish.unchanged", { version: result.version }) : t("publish.done", { version: result.version }));
      await state.refetch();
    } catch (e) {
      setError(e instanceof ApiError ? e.problem.detail : String(e));
      if (e instanceof ApiError && e.status === 422) void refetch();
    } finally {
      setBusy(false);
    }
  };

  const blockedReason = () => (state.dirty() ? t("publish.saveFirst") : !state.detail()?.draftDiffers ? t("publish.nothingToPublish") : undefined);

  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)} disabled={blockedReason() !== undefined} title={blockedReason()}>
        {t("publish.open")}
      </Button>
      <Show when={blockedReason()}>
        <span class="muted">{blockedReason()}</span>
      </Show>
      <Dialog
        open={open()}
        title={t("publish.title")}
        onClose={() => setOpen(false)}
        actions={
          <>
            <Button onClick={() => setOpen(false)}>{t("action.cancel")}</Button>
            <Button variant="primary" busy={busy()} disabled={run.loading || failures().length > 0} onClick={publish}>
              {t("publish.confirm")}
            </Button>
          </>
        }
      >
        <Show when={!run.loading} fallback={<Loading />}>
          <Show
            when={failures().length === 0}
            fallback={
              <div class="publish-failures" role="alert">
                <p>{t("publish.testsFail", { failed: failures().length, total: run()?.results.length ?? 0 })}</p>
                <ul>
                  <For each={failures()}>{(failure) => <li>{failure.name}</li>}</For>
                </ul>
                <A href={`/rule-sets/${state.key()}/tests`} onClick={() => setOpen(false)}>
                  {t("publish.goToTests")}
                </A>
              </div>
            }
          >
            <p class="publish-ok">{t("publish.testsPass", { total: run()?.results.length ?? 0 })}</p>
          </Show>
        </Show>
        <label class="field">
          <span>{t("publish.note")}</span>
          <textarea value={note()} onInput={(e) => setNote(e.currentTarget.value)} placeholder={t("publish.notePlaceholder")} />
        </label>
        <Show when={error()}>
          <p class="form-error" role="alert">
            {error()}
          </p>
        </Show>
      </Dialog>
    </>
  );
}
