import { useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal } from "solid-js";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { FormError } from "../../ui/field.tsx";
import { isProblem, problemText } from "../../ui/problem-text.ts";

export function SignInPage() {
  const { t } = useI18n();
  const auth = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams<{ next?: string }>();
  const [username, setUsername] = createSignal("admin");
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await auth.signIn(username(), password());
      const next = params.next;
      navigate(next?.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
    } catch (e) {
      // the sign-in form's own words: the generic text of these codes speaks of sessions and throttling in general
      if (isProblem(e, 401, "unauthenticated")) setError(t("signIn.wrong"));
      else if (isProblem(e, 429, "rate_limited")) setError(t("signIn.throttled"));
      else setError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <form class="card sign-in-card" onSubmit={submit} aria-describedby="sign-in-hint">
        <h1>{t("signIn.title")}</h1>
        <label class="field">
          <span>{t("signIn.username")}</span>
          <input
            name="username"
            autocomplete="username"
            required
            value={username()}
            onInput={(e) => setUsername(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>{t("signIn.password")}</span>
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            autofocus
            value={password()}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <FormError error={error()} />
        <Button type="submit" variant="primary" busy={busy()}>
          {busy() ? t("signIn.submitting") : t("signIn.submit")}
        </Button>
        <p class="hint" id="sign-in-hint">
          {t("signIn.hint")}
        </p>
      </form>
    </main>
  );
}
