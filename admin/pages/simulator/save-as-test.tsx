import { createSignal, Show } from "solid-js";
import { api, ApiError, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { useToast } from "../../ui/toast.tsx";
import { useRuleSet } from "../rule-set/rule-set-context.tsx";
import { FormError } from "../../ui/field.tsx";

/**
 * Keeps a simulated case as a test case, expecting what the draft decided: the quickest way from
 * "this is right" to a case that guards it in every later publish.
 */
export function SaveAsTestButton(props: { facts: unknown; decision: Record<string, unknown> | undefined }) {
  const { t } = useI18n();
  const state = useRuleSet();
  const toast = useToast();
  const [open, setOpen] = createSignal(false);
  const [name, setName] = createSignal("");
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  let opener: Element | null = null;
  const close = () => {
    setOpen(false);
    if (opener instanceof HTMLElement) opener.focus();
  };

  const save = async () => {
    const chosen = name().trim();
    if (!chosen) return setError(t("tests.nameRequired"));
    setBusy(true);
    setError(undefined);
    try {
      const param = { key: state.key() };
      const { testCases } = await call(api["rule-sets"][":key"]["test-cases"].$get({ param }));
      if (testCases.some((c) => c.name === chosen)) return setError(t("tests.nameTaken"));
      const added = {
        name: chosen,
        facts: structuredClone(props.facts),
        expect: structuredClone(props.decision ?? {}),
      };
      await call(api["rule-sets"][":key"]["test-cases"].$put({ param, json: { testCases: [...testCases, added] } }));
      close();
      setName("");
      toast("success", t("sim.savedAsTest", { name: chosen }));
    } catch (e) {
      setError(
        e instanceof ApiError
          ? [e.problem.detail, ...(e.problem.errors ?? []).map((p) => `${p.path}: ${p.message}`)].join("\n")
          : String(e),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        disabled={props.decision === undefined}
        title={props.decision === undefined ? t("sim.saveAsTestHint") : undefined}
        onClick={() => {
          opener = document.activeElement;
          setOpen(true);
        }}
      >
        {t("sim.saveAsTest")}
      </Button>
      {/* mounted only while open: ui/dialog.tsx does not notice a dialog that starts closed being opened */}
      <Show when={open()}>
        <Dialog
          open
          title={t("sim.saveAsTest")}
          onClose={close}
          actions={<ConfirmActions onCancel={close} onConfirm={save} confirmLabel={t("action.save")} busy={busy()} />}
        >
          <p class="muted">{t("sim.saveAsTestIntro")}</p>
          <label class="field">
            <span>{t("tests.name")}</span>
            <input
              value={name()}
              onInput={(e) => setName(e.currentTarget.value)}
              aria-invalid={error() ? "true" : undefined}
            />
          </label>
          <FormError error={error()} />
        </Dialog>
      </Show>
    </>
  );
}
