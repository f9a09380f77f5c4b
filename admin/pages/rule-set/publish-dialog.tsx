import { createSignal, Show } from "solid-js";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { businessNow } from "../../business-zone.ts";
import { DateTimeInput } from "../../ui/datetime-input.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { Field, FormError, NoteField } from "../../ui/field.tsx";
import { isProblem, problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import { useRuleSet } from "./rule-set-context.tsx";
import { createTestRun, TestRunSummary } from "./review-test-run.tsx";

type Mode = "now" | "later";

/**
 * Publishing the saved draft (approved by another publisher when four-eyes is on): at once, or
 * from a start time; either way optionally until an end time, when the version active before
 * comes back. The test cases run first; the server refuses too while one fails.
 */
export function PublishDialog(props: { open: boolean; onClose: () => void }) {
  const { t, formatDateTime } = useI18n();
  const state = useRuleSet();
  const toast = useToast();
  const [note, setNote] = createSignal("");
  const [mode, setMode] = createSignal<Mode>("now");
  const [startsAt, setStartsAt] = createSignal<string>();
  const [endsAt, setEndsAt] = createSignal<string>();
  // a start or end typed as no time blocks publishing: the value kept is not the one shown
  const [startValid, setStartValid] = createSignal(true);
  const [endValid, setEndValid] = createSignal(true);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const tests = createTestRun(state.key, () => props.open);
  const detail = () => state.detail();
  const approvedBy = () =>
    detail()?.fourEyes && detail()?.review?.status === "approved"
      ? actorName(detail()!.review!.reviewedBy, t)
      : undefined;

  /** The schedule's problem in words, checked here because the server treats a past start as "now". */
  const windowProblem = (): { field: "start" | "end"; text: string } | undefined => {
    const now = businessNow().getTime();
    const start = mode() === "later" ? startsAt() : undefined;
    // a start typed as no time says why at its field already
    if (mode() === "later" && !start && startValid()) return { field: "start", text: t("publish.when.startRequired") };
    if (start && Date.parse(start) <= now) return { field: "start", text: t("publish.when.startPast") };
    const end = endsAt();
    if (end && Date.parse(end) <= (start ? Date.parse(start) : now))
      return { field: "end", text: t("publish.when.endBeforeStart") };
    return undefined;
  };
  const [touched, setTouched] = createSignal(false);
  const shownProblem = () => (touched() ? windowProblem() : undefined);

  const close = () => {
    setError(undefined);
    setTouched(false);
    props.onClose();
  };

  const publish = async () => {
    setTouched(true);
    if (windowProblem() || !endValid() || (mode() === "later" && !startValid())) return;
    setBusy(true);
    setError(undefined);
    const activateAt = mode() === "later" ? startsAt() : undefined;
    try {
      const result = await call(
        api["rule-sets"][":key"].publish.$post({
          param: { key: state.key() },
          json: { note: note().trim() || undefined, activateAt, until: endsAt() || undefined },
        }),
      );
      setNote("");
      setMode("now");
      setStartsAt(undefined);
      setEndsAt(undefined);
      close();
      if (result.unchanged) toast("info", t("publish.unchanged", { version: result.version }));
      else if (activateAt && result.scheduled)
        toast(
          "success",
          t("publish.scheduledDone", { version: result.version, when: formatDateTime(result.scheduled.startsAt) }),
        );
      else toast("success", t("publish.done", { version: result.version }));
      await state.refetch();
    } catch (e) {
      setError(isProblem(e, 409, "review_required") ? t("publish.reviewRequired") : problemText(e, t));
      if (isProblem(e, 422)) void tests.refetch();
      if (isProblem(e, 409)) void state.refetch();
    } finally {
      setBusy(false);
    }
  };

  const activeVersion = () => detail()?.activeVersion ?? null;

  return (
    <Dialog
      open={props.open}
      title={t("publish.title")}
      onClose={close}
      actions={
        <ConfirmActions
          onCancel={close}
          onConfirm={publish}
          confirmLabel={t("publish.confirm")}
          busy={busy()}
          disabled={tests.blocks()}
        />
      }
    >
      <Show when={approvedBy()}>
        <p class="review-approved-by">{t("publish.approvedBy", { who: approvedBy()! })}</p>
      </Show>
      <TestRunSummary run={tests.run} retry={tests.refetch} ruleSetKey={state.key()} onLeave={close} />
      <div class="field">
        <span class="field-label" id="publish-when-label">
          {t("publish.when")}
        </span>
        <fieldset class="segmented publish-when" aria-labelledby="publish-when-label">
          <button type="button" class="btn btn-small" aria-pressed={mode() === "now"} onClick={() => setMode("now")}>
            {t("publish.when.now")}
          </button>
          <button
            type="button"
            class="btn btn-small"
            aria-pressed={mode() === "later"}
            onClick={() => setMode("later")}
          >
            {t("publish.when.later")}
          </button>
        </fieldset>
      </div>
      <Show when={mode() === "later"}>
        <Field
          label={t("publish.when.start")}
          error={shownProblem()?.field === "start" ? shownProblem()!.text : undefined}
        >
          {(control) => (
            <DateTimeInput
              id={control.id}
              aria-describedby={control.describedBy}
              value={startsAt()}
              onChange={setStartsAt}
              onValidity={setStartValid}
              aria-invalid={shownProblem()?.field === "start" ? "true" : undefined}
            />
          )}
        </Field>
      </Show>
      <Field
        label={t("publish.when.end")}
        hint={
          activeVersion() === null
            ? t("publish.when.endHintNone")
            : t("publish.when.endHint", { version: activeVersion()! })
        }
        error={shownProblem()?.field === "end" ? shownProblem()!.text : undefined}
      >
        {(control) => (
          <DateTimeInput
            id={control.id}
            aria-describedby={control.describedBy}
            value={endsAt()}
            onChange={setEndsAt}
            onValidity={setEndValid}
            end
            aria-invalid={shownProblem()?.field === "end" ? "true" : undefined}
          />
        )}
      </Field>
      <NoteField
        label={t("publish.note")}
        value={note()}
        onInput={setNote}
        placeholder={t("publish.notePlaceholder")}
      />
      <FormError error={error()} />
    </Dialog>
  );
}
