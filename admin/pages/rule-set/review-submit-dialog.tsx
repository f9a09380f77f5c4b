import { createSignal } from "solid-js";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { isProblem, problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import { useRuleSet } from "./rule-set-context.tsx";
import { createTestRun, TestRunSummary } from "./review-test-run.tsx";
import { FormError, NoteField } from "../../ui/field.tsx";

/**
 * Four-eyes, step one: the saved draft goes to review with a note for the reviewer. The test
 * cases run first; the server refuses a draft that fails one, so the dialog does too.
 */
export function SubmitDialog(props: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const state = useRuleSet();
  const toast = useToast();
  const [note, setNote] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const tests = createTestRun(state.key, () => props.open);

  const close = () => {
    setError(undefined);
    props.onClose();
  };

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await call(api["rule-sets"][":key"].submit.$post({ param: { key: state.key() }, json: { note: note().trim() } }));
      setNote("");
      close();
      toast("success", t("review.submit.done"));
      await state.refetch();
    } catch (e) {
      setError(problemText(e, t));
      if (isProblem(e, 422)) void tests.refetch();
      if (isProblem(e, 409)) void state.refetch();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      title={t("review.submit.title")}
      onClose={close}
      actions={
        <ConfirmActions
          onCancel={close}
          onConfirm={submit}
          confirmLabel={t("review.submit.confirm")}
          busy={busy()}
          disabled={tests.blocks()}
        />
      }
    >
      <p>{t("review.submit.explain")}</p>
      <TestRunSummary run={tests.run} retry={tests.refetch} ruleSetKey={state.key()} onLeave={close} />
      <NoteField
        label={t("review.submit.note")}
        value={note()}
        onInput={setNote}
        placeholder={t("review.submit.notePlaceholder")}
      />
      <FormError error={error()} />
    </Dialog>
  );
}
