import { createResource, createSignal, For, Show } from "solid-js";
import type { User } from "../../../shared/access.ts";
import { api, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { Button } from "../../ui/button.tsx";
import { ResourceList } from "../../ui/resource-list.tsx";
import { problemText } from "../../ui/problem-text.ts";
import { useToast } from "../../ui/toast.tsx";
import { roleName, roleTexts } from "./roles.ts";
import { CreateUserDialog, DisableDialog, RenameDialog, ResetPasswordDialog, RoleDialog } from "./user-dialogs.tsx";
import "./users.css";
import { FormError } from "../../ui/field.tsx";

/**
 * The admin's users (administrators only): who may do what, when they last signed in; adding a
 * user, changing a role, disabling or enabling, setting a new password. The server refuses an
 * admin demoting or disabling themselves and losing the last admin; the dialogs say so.
 */
export function UsersPage() {
  const { t, formatDateTime } = useI18n();
  const auth = useAuth();
  const toast = useToast();
  const [users, { refetch }] = createResource(async () => (await call(api.users.$get())).users as User[]);
  const [creating, setCreating] = createSignal(false);
  const [roleOf, setRoleOf] = createSignal<User>();
  const [renameOf, setRenameOf] = createSignal<User>();
  const [resetOf, setResetOf] = createSignal<User>();
  const [disableOf, setDisableOf] = createSignal<User>();
  const [enabling, setEnabling] = createSignal<string>();
  const [refused, setRefused] = createSignal<string>();
  const me = () => auth.user()?.username;

  const enable = async (user: User) => {
    setEnabling(user.username);
    setRefused(undefined);
    try {
      await call(api.users[":username"].$patch({ param: { username: user.username }, json: { disabled: false } }));
      toast("success", t("users.enabledDone", { name: user.username }));
      await refetch();
    } catch (e) {
      setRefused(problemText(e, t));
    } finally {
      setEnabling(undefined);
    }
  };

  return (
    <main class="page users-page" id="main">
      <div class="row page-head">
        <h1>{t("users.title")}</h1>
        <span class="spacer" />
        <Button variant="primary" onClick={() => setCreating(true)}>
          {t("users.create.open")}
        </Button>
      </div>
      <p class="intro">{t("users.intro")}</p>
      <ul class="role-legend" aria-label={t("users.roles")}>
        <For each={roleTexts}>
          {(role) => (
            <li>
              <span class={`role-badge role-${role.role}`}>{t(role.name)}</span>
              <span class="muted">{t(role.description)}</span>
            </li>
          )}
        </For>
      </ul>
      <FormError error={refused()} />
      <ResourceList resource={users} retry={refetch}>
        {(list) => (
          <div class="table-card">
            <table class="data users-table">
              <thead>
                <tr>
                  <th scope="col">{t("users.col.username")}</th>
                  <th scope="col">{t("users.col.displayName")}</th>
                  <th scope="col">{t("users.col.role")}</th>
                  <th scope="col">{t("users.col.createdAt")}</th>
                  <th scope="col">{t("users.col.lastSignIn")}</th>
                  <th scope="col">{t("users.col.status")}</th>
                  <th scope="col" class="actions-col">
                    <span class="visually-hidden">{t("users.col.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(user) => (
                    <tr data-username={user.username} classList={{ "user-disabled": user.disabled }}>
                      <th scope="row">
                        {user.username}
                        <Show when={user.username === me()}>
                          <span class="muted">{t("users.you")}</span>
                        </Show>
                      </th>
                      <td class="user-display-name">
                        {user.displayName ?? <span class="muted">{t("users.displayName.none")}</span>}
                      </td>
                      <td>
                        <span class={`role-badge role-${user.role}`}>
                          {roleName(user.role) ? t(roleName(user.role)!) : user.role}
                        </span>
                      </td>
                      <td class="nowrap">{formatDateTime(user.createdAt)}</td>
                      <td class="nowrap">
                        {user.lastSignInAt ? (
                          formatDateTime(user.lastSignInAt)
                        ) : (
                          <span class="muted">{t("users.neverSignedIn")}</span>
                        )}
                      </td>
                      <td>
                        <span class={`badge ${user.disabled ? "badge-muted" : "badge-ok"}`}>
                          {user.disabled ? t("users.status.disabled") : t("users.status.active")}
                        </span>
                      </td>
                      <td class="row-actions">
                        <Button
                          class="btn-small"
                          aria-label={t("users.rename.openFor", { name: user.username })}
                          onClick={() => setRenameOf(user)}
                        >
                          {t("users.rename.open")}
                        </Button>
                        <Button
                          class="btn-small"
                          aria-label={t("users.role.openFor", { name: user.username })}
                          onClick={() => setRoleOf(user)}
                        >
                          {t("users.role.open")}
                        </Button>
                        <Button
                          class="btn-small"
                          aria-label={t("users.reset.openFor", { name: user.username })}
                          onClick={() => setResetOf(user)}
                        >
                          {t("users.reset.open")}
                        </Button>
                        <Show
                          when={user.disabled}
                          fallback={
                            <Button
                              class="btn-small"
                              variant="danger"
                              aria-label={t("users.disable.openFor", { name: user.username })}
                              onClick={() => setDisableOf(user)}
                            >
                              {t("users.disable.open")}
                            </Button>
                          }
                        >
                          <Button
                            class="btn-small"
                            busy={enabling() === user.username}
                            aria-label={t("users.enable.openFor", { name: user.username })}
                            onClick={() => enable(user)}
                          >
                            {t("users.enable.open")}
                          </Button>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </ResourceList>
      <CreateUserDialog open={creating()} onClose={() => setCreating(false)} onDone={() => void refetch()} />
      <RenameDialog user={renameOf()} onClose={() => setRenameOf(undefined)} onDone={() => void refetch()} />
      <RoleDialog user={roleOf()} me={me()} onClose={() => setRoleOf(undefined)} onDone={() => void refetch()} />
      <ResetPasswordDialog user={resetOf()} onClose={() => setResetOf(undefined)} />
      <DisableDialog
        user={disableOf()}
        me={me()}
        onClose={() => setDisableOf(undefined)}
        onDone={() => void refetch()}
      />
    </main>
  );
}
