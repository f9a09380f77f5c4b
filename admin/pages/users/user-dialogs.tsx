import { createSignal, createUniqueId, For, Show } from "solid-js";
import { DisplayName, Username, type User } from "../../../shared/access.ts";
import type { Role } from "../../../shared/scopes.ts";
import { api, call } from "../../api.ts";
import { useI18n } from "../../i18n/index.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { isProblem, problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import { PasswordField, passwordProblem } from "./password-field.tsx";
import { roleTexts } from "./roles.ts";
import { FormError } from "../../ui/field.tsx";
import { loadActorNames } from "../../ui/actor-name.ts";

/** The display name as typed: empty means none; otherwise it must pass the shared schema (1–50 characters). */
const displayNameProblem = (typed: string, t: ReturnType<typeof useI18n>["t"]): string | undefined =>
  typed.trim() === "" || DisplayName.safeParse(typed).success ? undefined : t("users.displayName.invalid");

/** The display name field of the create and rename dialogs. */
function DisplayNameField(props: { value: string; onInput: (value: string) => void; error: string | undefined }) {
  const { t } = useI18n();
  const hintId = `user-display-name-${createUniqueId()}`;
  return (
    <>
      <label class="field">
        <span>{t("users.col.displayName")}</span>
        <input
          value={props.value}
          autocomplete="off"
          maxLength={100}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={hintId}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      </label>
      <Show
        when={props.error}
        fallback={
          <p class="hint" id={hintId}>
            {t("users.displayName.hint")}
          </p>
        }
      >
        <p class="field-error" id={hintId}>
          {props.error}
        </p>
      </Show>
    </>
  );
}

/** The four roles as radio buttons, each with what it may do. */
function RolePicker(props: { value: Role; onChange: (role: Role) => void }) {
  const { t } = useI18n();
  return (
    <fieldset class="role-picker">
      <legend>{t("users.col.role")}</legend>
      <For each={roleTexts}>
        {(role) => (
          <label class="role-option">
            <input
              type="radio"
              name="role"
              value={role.role}
              checked={props.value === role.role}
              onChange={() => props.onChange(role.role)}
            />
            <span>
              <strong>{t(role.name)}</strong>
              <span class="muted">{t(role.description)}</span>
            </span>
          </label>
        )}
      </For>
    </fieldset>
  );
}

/** A new user: name, initial password (≥ 12 characters, checked here with the shared schema), role. */
export function CreateUserDialog(props: { open: boolean; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [username, setUsername] = createSignal("");
  const [displayName, setDisplayName] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [role, setRole] = createSignal<Role>("editor");
  const [tried, setTried] = createSignal(false);
  const [taken, setTaken] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const usernameProblem = () =>
    taken() === username()
      ? t("users.error.exists", { name: username() })
      : Username.safeParse(username()).success
        ? undefined
        : t("users.username.invalid");

  const close = () => {
    setUsername("");
    setDisplayName("");
    setPassword("");
    setRole("editor");
    setTried(false);
    setError(undefined);
    props.onClose();
  };
  const create = async () => {
    setTried(true);
    if (usernameProblem() || passwordProblem(password(), t) || displayNameProblem(displayName(), t)) return;
    setBusy(true);
    setError(undefined);
    try {
      const named = displayName().trim();
      const user = await call(
        api.users.$post({
          json: { username: username(), password: password(), role: role(), ...(named ? { displayName: named } : {}) },
        }),
      );
      if (named) void loadActorNames();
      toast("success", t("users.created", { name: user.displayName ?? user.username }));
      close();
      props.onDone();
    } catch (e) {
      if (isProblem(e, 409)) setTaken(username());
      else setError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      title={t("users.create.title")}
      onClose={close}
      actions={
        <ConfirmActions onCancel={close} onConfirm={create} confirmLabel={t("users.create.confirm")} busy={busy()} />
      }
    >
      <label class="field">
        <span>{t("users.col.username")}</span>
        <input
          value={username()}
          autocomplete="off"
          spellcheck={false}
          aria-invalid={tried() && usernameProblem() ? "true" : undefined}
          onInput={(e) => setUsername(e.currentTarget.value.trim())}
        />
      </label>
      <Show when={tried() && usernameProblem()}>
        <p class="field-error">{usernameProblem()}</p>
      </Show>
      <DisplayNameField
        value={displayName()}
        onInput={setDisplayName}
        error={tried() ? displayNameProblem(displayName(), t) : undefined}
      />
      <PasswordField
        label={t("users.create.password")}
        value={password()}
        onInput={setPassword}
        forSomeoneElse
        hint
        autocomplete="new-password"
        error={tried() ? passwordProblem(password(), t) : undefined}
      />
      <RolePicker value={role()} onChange={setRole} />
      <FormError error={error()} />
    </Dialog>
  );
}

/** Why the server refused a change to `user`, in words: yourself, the last admin, or its own detail. */
function refusal(
  error: unknown,
  user: User,
  me: string | undefined,
  what: "role" | "disable",
  t: ReturnType<typeof useI18n>["t"],
): string {
  if (isProblem(error, 403) && user.username === me)
    return t(what === "role" ? "users.error.selfDemote" : "users.error.selfDisable");
  if (isProblem(error, 409)) return t("users.error.lastAdmin", { name: user.username });
  return problemText(error, t);
}

/** A user's role, changed after seeing what each role may do. */
export function RoleDialog(props: {
  user: User | undefined;
  me: string | undefined;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [role, setRole] = createSignal<Role>();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const chosen = () => role() ?? props.user?.role ?? "viewer";
  const close = () => {
    setRole(undefined);
    setError(undefined);
    props.onClose();
  };
  const save = async () => {
    const user = props.user!;
    setBusy(true);
    setError(undefined);
    try {
      await call(api.users[":username"].$patch({ param: { username: user.username }, json: { role: chosen() } }));
      toast("success", t("users.roleChanged", { name: user.username }));
      close();
      props.onDone();
    } catch (e) {
      setError(refusal(e, user, props.me, "role", t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={props.user !== undefined}
      title={t("users.role.title", { name: props.user?.username ?? "" })}
      onClose={close}
      actions={
        <ConfirmActions
          onCancel={close}
          onConfirm={save}
          confirmLabel={t("action.save")}
          busy={busy()}
          disabled={chosen() === props.user?.role}
        />
      }
    >
      <RolePicker value={chosen()} onChange={setRole} />
      <FormError error={error()} />
    </Dialog>
  );
}

/** A user's display name (王芳), changed or taken away: the history and the audit log show it instead of the username. */
export function RenameDialog(props: { user: User | undefined; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [typed, setTyped] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const value = () => typed() ?? props.user?.displayName ?? "";
  const unchanged = () => (value().trim() || null) === (props.user?.displayName ?? null);
  const close = () => {
    setTyped(undefined);
    setError(undefined);
    props.onClose();
  };
  const save = async () => {
    if (displayNameProblem(value(), t)) return;
    const user = props.user!;
    setBusy(true);
    setError(undefined);
    try {
      const changed = await call(
        api.users[":username"].$patch({
          param: { username: user.username },
          json: { displayName: value().trim() || null },
        }),
      );
      await loadActorNames();
      toast("success", t("users.renamed", { name: changed.displayName ?? changed.username }));
      close();
      props.onDone();
    } catch (e) {
      setError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={props.user !== undefined}
      title={t("users.rename.title", { name: props.user?.username ?? "" })}
      onClose={close}
      actions={
        <ConfirmActions
          onCancel={close}
          onConfirm={save}
          confirmLabel={t("action.save")}
          busy={busy()}
          disabled={unchanged() || displayNameProblem(value(), t) !== undefined}
        />
      }
    >
      <DisplayNameField value={value()} onInput={setTyped} error={displayNameProblem(value(), t)} />
      <FormError error={error()} />
    </Dialog>
  );
}

/** An admin sets a new password for a user who forgot theirs; the user's sessions end. */
export function ResetPasswordDialog(props: { user: User | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [password, setPassword] = createSignal("");
  const [tried, setTried] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const close = () => {
    setPassword("");
    setTried(false);
    setError(undefined);
    props.onClose();
  };
  const reset = async () => {
    setTried(true);
    if (passwordProblem(password(), t)) return;
    const user = props.user!;
    setBusy(true);
    try {
      await call(
        api.users[":username"].password.$post({ param: { username: user.username }, json: { password: password() } }),
      );
      toast("success", t("users.passwordReset", { name: user.username }));
      close();
    } catch (e) {
      setError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={props.user !== undefined}
      title={t("users.reset.title", { name: props.user?.username ?? "" })}
      onClose={close}
      actions={
        <ConfirmActions onCancel={close} onConfirm={reset} confirmLabel={t("users.reset.confirm")} busy={busy()} />
      }
    >
      <p>{t("users.reset.explain")}</p>
      <PasswordField
        label={t("users.reset.password")}
        value={password()}
        onInput={setPassword}
        forSomeoneElse
        hint
        autocomplete="new-password"
        error={tried() ? passwordProblem(password(), t) : undefined}
      />
      <FormError error={error()} />
    </Dialog>
  );
}

/** Disabling a user, confirmed: they are signed out at once and cannot sign in until enabled again. */
export function DisableDialog(props: {
  user: User | undefined;
  me: string | undefined;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const close = () => {
    setError(undefined);
    props.onClose();
  };
  const disable = async () => {
    const user = props.user!;
    setBusy(true);
    try {
      await call(api.users[":username"].$patch({ param: { username: user.username }, json: { disabled: true } }));
      toast("success", t("users.disabledDone", { name: user.username }));
      close();
      props.onDone();
    } catch (e) {
      setError(refusal(e, user, props.me, "disable", t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open={props.user !== undefined}
      title={t("users.disable.title", { name: props.user?.username ?? "" })}
      onClose={close}
      actions={
        <ConfirmActions
          onCancel={close}
          onConfirm={disable}
          confirmLabel={t("users.disable.confirm")}
          busy={busy()}
          variant="danger"
        />
      }
    >
      <p>{t("users.disable.explain")}</p>
      <FormError error={error()} />
    </Dialog>
  );
}
