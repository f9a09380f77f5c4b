import { A, useBeforeLeave, useParams } from "@solidjs/router";
import { createEffect, createMemo, createResource, createSignal, on, onCleanup, onMount, Show } from "solid-js";
import {
  parseTemplate,
  sampleValues,
  type PlaceholderName,
  type TemplateDetail,
  type TemplateVersion,
} from "../../../shared/reply-templates.ts";
import { api, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { Field, FormError, NoteField } from "../../ui/field.tsx";
import { isProblem, problemText } from "../../ui/problem-text.ts";
import { Failure, Loading } from "../../ui/states.tsx";
import { useToast } from "../../ui/toast.tsx";
import { holdUnsaved } from "../../unsaved.ts";
import { LanguagePanel, SamplesTable } from "./language-panel.tsx";
import { TemplateHistory } from "./template-history.tsx";
import "./templates.css";

type Texts = { title: string; zh: string; en: string };

/**
 * One reply template: its title and both texts edited beside their live previews, saved as a draft on its revision,
 * published with a confirmation, and its history with each version beside the draft and a restore.
 */
export function TemplateEditorPage() {
  const params = useParams();
  const { t, formatDateTime } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const key = () => params.key ?? "";
  const [detail, { mutate, refetch }] = createResource(key, async (k) =>
    call(api["reply-templates"][":key"].$get({ param: { key: k } })),
  );
  const [versions, { refetch: refetchVersions }] = createResource(
    key,
    async (k) => (await call(api["reply-templates"][":key"].versions.$get({ param: { key: k } }))).versions,
  );
  const [texts, setTexts] = createSignal<Texts>({ title: "", zh: "", en: "" });
  const [samples, setSamples] = createSignal({ zh: sampleValues("zh"), en: sampleValues("en") });
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [publishing, setPublishing] = createSignal(false);
  const [note, setNote] = createSignal("");
  const [restoring, setRestoring] = createSignal<TemplateVersion>();

  const fromServer = (template: TemplateDetail) =>
    setTexts({ title: template.draft.title, zh: template.draft.zh, en: template.draft.en });
  // the working copy follows the server's draft whenever a new one arrives (load, save, publish, restore)
  createEffect(
    on(
      () => detail.latest,
      (template) => template && fromServer(template),
    ),
  );

  const dirty = createMemo(() => {
    const draft = detail.latest?.draft;
    const now = texts();
    return draft !== undefined && (draft.title !== now.title || draft.zh !== now.zh || draft.en !== now.en);
  });
  const flawed = createMemo(() => parseTemplate(texts().zh).flaws.length + parseTemplate(texts().en).flaws.length > 0);
  const canWrite = () => auth.can("rules:write");
  const canPublish = () => auth.can("rules:publish");

  useBeforeLeave((event) => {
    if (dirty() && !window.confirm(t("unsaved.leave"))) event.preventDefault();
  });
  const beforeUnload = (event: BeforeUnloadEvent) => {
    if (dirty()) event.preventDefault();
  };
  onMount(() => window.addEventListener("beforeunload", beforeUnload));
  onCleanup(() => window.removeEventListener("beforeunload", beforeUnload));
  holdUnsaved({
    what: () => t("unsaved.template", { name: detail.latest?.draft.title ?? key() }),
    dirty,
    discard: () => {
      const template = detail.latest;
      if (template) fromServer(template);
    },
  });

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(async () => {
      const saved = await call(
        api["reply-templates"][":key"].draft.$put({
          param: { key: key() },
          json: { revision: detail.latest!.draft.revision, ...texts() },
        }),
      );
      mutate(saved);
      toast("success", t("templates.saved"));
    });
  const publish = () =>
    run(async () => {
      const published = await call(
        api["reply-templates"][":key"].publish.$post({
          param: { key: key() },
          json: { revision: detail.latest!.draft.revision, ...(note().trim() ? { note: note().trim() } : {}) },
        }),
      );
      mutate(published);
      setPublishing(false);
      setNote("");
      toast("success", t("templates.publish.done", { version: published.published?.version ?? 0 }));
      await refetchVersions();
    });
  const restore = () =>
    run(async () => {
      const version = restoring()!;
      const restored = await call(
        api["reply-templates"][":key"].restore.$post({
          param: { key: key() },
          json: { version: version.version, revision: detail.latest!.draft.revision },
        }),
      );
      setRestoring(undefined);
      mutate(restored);
      toast("success", t("templates.restore.done", { version: version.version }));
    });
  const nextVersion = () => (detail.latest?.published?.version ?? 0) + 1;
  const publishBlocked = () =>
    dirty() ? t("templates.publish.saveFirst") : detail.latest?.changed ? undefined : t("templates.publish.nothing");

  return (
    <main class="page template-editor" id="main">
      <A href="/templates" class="back-link">
        {t("templates.back")}
      </A>
      <Show when={!detail.error} fallback={<Failure error={detail.error} retry={refetch} />}>
        <Show when={detail.latest} fallback={<Loading />}>
          {(template) => (
            <>
              <div class="row page-head">
                <h1>{template().draft.title}</h1>
                <code class="muted">{template().key}</code>
                <span class="spacer" />
                <Show when={canWrite()}>
                  <Button disabled={!dirty()} onClick={() => fromServer(template())}>
                    {t("templates.reset")}
                  </Button>
                  <Button variant="primary" busy={busy()} disabled={!dirty() || flawed()} onClick={() => void save()}>
                    {t("templates.save")}
                  </Button>
                </Show>
                <Show when={canPublish()}>
                  <Button
                    variant="primary"
                    disabled={publishBlocked() !== undefined}
                    title={publishBlocked()}
                    onClick={() => setPublishing(true)}
                  >
                    {t("templates.publish")}
                  </Button>
                </Show>
              </div>
              <p class="muted template-status">
                {t("templates.draftInfo", {
                  revision: template().draft.revision,
                  who: actorName(template().draft.updatedBy, t),
                  at: formatDateTime(template().draft.updatedAt),
                })}
                {" · "}
                {template().published
                  ? t("templates.publishedInfo", {
                      version: template().published!.version,
                      who: actorName(template().published!.publishedBy, t),
                      at: formatDateTime(template().published!.publishedAt),
                    })
                  : t("templates.unpublished")}
              </p>
              <Show when={isProblem(error(), 409)}>
                <p class="form-error" role="alert">
                  {t("templates.conflict")}{" "}
                  <Button class="btn-small" onClick={() => void refetch()}>
                    {t("templates.reload")}
                  </Button>
                </p>
              </Show>
              <Show when={!publishing() && !restoring() && !isProblem(error(), 409)}>
                <FormError error={error() === undefined ? undefined : problemText(error(), t)} />
              </Show>
              <Field label={t("templates.field.title")} class="template-title">
                {(control) => (
                  <input
                    id={control.id}
                    value={texts().title}
                    maxLength={100}
                    readOnly={!canWrite()}
                    onInput={(event) => setTexts({ ...texts(), title: event.currentTarget.value })}
                  />
                )}
              </Field>
              <LanguagePanel
                language="zh"
                text={texts().zh}
                onInput={(zh) => setTexts({ ...texts(), zh })}
                samples={samples().zh}
                readOnly={!canWrite()}
              />
              <LanguagePanel
                language="en"
                text={texts().en}
                onInput={(en) => setTexts({ ...texts(), en })}
                samples={samples().en}
                readOnly={!canWrite()}
              />
              <SamplesTable
                samples={samples()}
                onChange={(language, name: PlaceholderName, value) =>
                  setSamples({ ...samples(), [language]: { ...samples()[language], [name]: value } })
                }
              />
              <Show when={versions.latest}>
                {(list) => (
                  <TemplateHistory
                    versions={list()}
                    draft={texts()}
                    canRestore={canWrite()}
                    onRestore={(version) => {
                      setError(undefined);
                      setRestoring(version);
                    }}
                  />
                )}
              </Show>
            </>
          )}
        </Show>
      </Show>
      <Dialog
        open={publishing()}
        title={t("templates.publish.title", { title: detail.latest?.draft.title ?? "" })}
        onClose={() => setPublishing(false)}
        actions={
          <ConfirmActions
            onCancel={() => setPublishing(false)}
            onConfirm={() => void publish()}
            confirmLabel={t("templates.publish")}
            busy={busy()}
          />
        }
      >
        <p>{t("templates.publish.body", { version: nextVersion() })}</p>
        <NoteField
          label={t("templates.publish.note")}
          value={note()}
          onInput={setNote}
          placeholder={t("templates.publish.notePlaceholder")}
        />
        <FormError error={error() === undefined ? undefined : problemText(error(), t)} />
      </Dialog>
      <Dialog
        open={restoring() !== undefined}
        title={t("templates.restore.title", { version: restoring()?.version ?? 0 })}
        onClose={() => setRestoring(undefined)}
        actions={
          <ConfirmActions
            onCancel={() => setRestoring(undefined)}
            onConfirm={() => void restore()}
            confirmLabel={t("templates.restore")}
            busy={busy()}
            variant={dirty() ? "danger" : "primary"}
          />
        }
      >
        <p>{t("templates.restore.body", { version: restoring()?.version ?? 0 })}</p>
        <Show when={dirty()}>
          <p class="form-error">{t("templates.restore.dirty")}</p>
        </Show>
        <FormError error={error() === undefined ? undefined : problemText(error(), t)} />
      </Dialog>
    </main>
  );
}
