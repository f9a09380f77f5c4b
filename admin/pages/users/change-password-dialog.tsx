import { createSignal, Show } from "solid-js";
import type { Problem } from "../../../shared/api.ts";
import { api, ApiError, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { useToast } from "../../ui/toast.tsx";
import { PasswordField, passwordProblem } from "./password-field.tsx";
import "./users.css";
import { FormError } from "../../ui/field.tsx";
import { problemText } from "../../ui/problem-text.ts";

type Outcome = "changed" | "wrong-current" | "too-many" | { problem: ApiError };

/**
 * POST /session/password, read by hand rather than through `call()`: a wrong current password
 * answers 401, which `call()` takes for an ended session and signs the user out. Whether the
 * session really ended is asked afterwards (GET /session, through `call()`).
 */
async function changeOwnPassword(currentPassword: string, newPassword: string): Promise<Outcome> {
  const response = await api.session.password.$post({ json: { currentPassword, newPassword } });
  // typed from the route's one success (204); the failures come from the shared error handler
  const status: number = response.status;
  if (response.ok) return "changed";
  if (status === 429) return "too-many";
  const problem = (await response.json().catch(() => undefined)) as Problem | undefined;
  if (status === 401) {
    await call(api.session.$get()); // throws, and signs out, if the session is gone
    return "wrong-current";
  }
  return {
    problem: new ApiError(
      problem ?? { type: "about:blank", title: response.statusText, status, detail: response.statusText },
    ),
  };
}

/** "修改我的密码" in the header: the current password, a new one (≥ 12 characters) twice. */
export function ChangePasswordButton() {
  const { t } = useI18n();
  const auth = useAuth();
  const [open, setOpen] = createSignal(false);
  return (
    <Show when={auth.user()}>
      <Button variant="ghost" onClick={() => setOpen(true)}>
        {t("password.change.open")}
      </Button>
      <ChangePasswordDialog open={open()} onClose={() => setOpen(false)} />
    </Show>
  );
}

export function ChangePasswordDialog(props: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [current, setCurrent] = createSignal("");
  const [next, setNext] = createSignal("");
  const [again, setAgain] = createSignal("");
  const [tried, setTried] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const problems = () => ({
    current: current() === "" ? t("password.change.currentRequired") : undefined,
    next: passwordProblem(next(), t) ?? (next() === current() ? t("password.change.same") : undefined),
    again: again() !== next() ? t("password.change.mismatch") : undefined,
  });
  const shown = () => (tried() ? problems() : { current: undefined, next: undefined, again: undefined });

  const close = () => {
    setCurrent("");
    setNext("");
    setAgain("");
    setTried(false);
    setError(undefined);
    props.onClose();
  };
  const save = async () => {
    setTried(true);
    const p = problems();
    if (p.current || p.next || p.again) return;
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await changeOwnPassword(current(), next());
      if (outcome === "changed") {
        toast("success", t("password.change.done"));
        close();
      } else if (outcome === "wrong-current") setError(t("password.change.wrongCurrent"));
      else if (outcome === "too-many") setError(t("password.change.tooMany"));
      else setError(problemText(outcome.problem, t));
    } catch {
      setError(t("error.network"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      title={t("password.change.title")}
      onClose={close}
      actions={
        <ConfirmActions onCancel={close} onConfirm={save} confirmLabel={t("password.change.confirm")} busy={busy()} />
      }
    >
      <form
        class="password-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <PasswordField
          label={t("password.change.current")}
          value={current()}
          onInput={setCurrent}
          autocomplete="current-password"
          error={shown().current}
        />
        <PasswordField
          label={t("password.change.new")}
          value={next()}
          onInput={setNext}
          autocomplete="new-password"
          hint
          error={shown().next}
        />
        <PasswordField
          label={t("password.change.again")}
          value={again()}
          onInput={setAgain}
          autocomplete="new-password"
          error={shown().again}
        />
        <p class="hint">{t("password.change.explain")}</p>
        <button type="submit" hidden />
      </form>
      <FormError error={error()} />
    </Dialog>
  );
}
