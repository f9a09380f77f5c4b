import { createResource, createSignal, For, Show } from "solid-js";
import type { ApiKey, CreatedApiKey } from "../../../shared/access.ts";
import { api, call } from "../../api.ts";
import { businessNow } from "../../business-zone.ts";
import { useI18n } from "../../i18n/index.tsx";
import { actorName } from "../../ui/actor-name.ts";
import { Button } from "../../ui/button.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { problemText } from "../../ui/problem-text.ts";
import { ResourceList } from "../../ui/resource-list.tsx";
import { Empty } from "../../ui/states.tsx";
import { useToast } from "../../ui/toast.tsx";
import { CreateKeyDialog } from "./create-key-dialog.tsx";
import { NewKeyDialog } from "./new-key-dialog.tsx";
import { scopeName } from "./scope-texts.ts";
import "./api-keys.css";
import { FormError } from "../../ui/field.tsx";

type KeyStatus = "active" | "expired" | "revoked";
const statusOf = (key: ApiKey, now: number): KeyStatus =>
  key.revokedAt ? "revoked" : key.expiresAt && Date.parse(key.expiresAt) <= now ? "expired" : "active";

/**
 * API keys (administrators only): the systems that ask for decisions or manage rules. Each key's
 * rights in words, where it may be used, when it expires and was last used; creating one (shown
 * once) and revoking one.
 */
export function ApiKeysPage() {
  const { t, formatDateTime, ruleSetName } = useI18n();
  const toast = useToast();
  const [keys, { refetch }] = createResource(async () => (await call(api["api-keys"].$get())).apiKeys as ApiKey[]);
  const [ruleSets] = createResource(async () =>
    (await call(api["rule-sets"].$get())).ruleSets.map((r) => ({ key: r.key, name: r.name })),
  );
  const [creating, setCreating] = createSignal(false);
  const [created, setCreated] = createSignal<CreatedApiKey>();
  const [revoking, setRevoking] = createSignal<ApiKey>();
  const [revokeError, setRevokeError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const closeRevoke = () => {
    setRevoking(undefined);
    setRevokeError(undefined);
  };
  const revoke = async () => {
    const key = revoking()!;
    setBusy(true);
    try {
      await call(api["api-keys"][":id"].$delete({ param: { id: key.id } }));
      toast("success", t("keys.revoke.done", { name: key.name }));
      closeRevoke();
      await refetch();
    } catch (e) {
      setRevokeError(problemText(e, t));
    } finally {
      setBusy(false);
    }
  };
  const statusText = {
    active: "keys.status.active",
    expired: "keys.status.expired",
    revoked: "keys.status.revoked",
  } as const;
  const statusBadge = { active: "badge-ok", expired: "badge-warn", revoked: "badge-muted" } as const;

  return (
    <main class="page api-keys-page" id="main">
      <div class="row page-head">
        <h1>{t("keys.title")}</h1>
        <span class="spacer" />
        <Button variant="primary" onClick={() => setCreating(true)}>
          {t("keys.create.open")}
        </Button>
      </div>
      <p class="intro">{t("keys.intro")}</p>
      <ResourceList resource={keys} retry={refetch} empty={<Empty>{t("keys.none")}</Empty>}>
        {(list) => (
          <div class="table-card">
            <table class="data keys-table">
              <thead>
                <tr>
                  <th scope="col">{t("keys.col.name")}</th>
                  <th scope="col">{t("keys.col.scopes")}</th>
                  <th scope="col">{t("keys.col.ruleSets")}</th>
                  <th scope="col">{t("keys.col.expiresAt")}</th>
                  <th scope="col">{t("keys.col.lastUsedAt")}</th>
                  <th scope="col">{t("keys.col.createdBy")}</th>
                  <th scope="col">{t("keys.col.status")}</th>
                  <th scope="col" class="actions-col">
                    <span class="visually-hidden">{t("keys.col.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={list()}>
                  {(key) => (
                    <tr
                      data-key-id={key.id}
                      data-status={statusOf(key, businessNow().getTime())}
                      classList={{ "key-inactive": statusOf(key, businessNow().getTime()) !== "active" }}
                    >
                      <th scope="row">{key.name}</th>
                      <td>
                        <ul class="key-scope-list">
                          <For each={key.scopes}>
                            {(scope) => <li title={scope}>{scopeName(scope) ? t(scopeName(scope)!) : scope}</li>}
                          </For>
                        </ul>
                      </td>
                      <td>
                        <Show when={key.ruleSets} fallback={<span class="muted nowrap">{t("keys.allRuleSets")}</span>}>
                          {(names) => (
                            <ul class="key-rule-set-names">
                              <For each={names()}>{(k) => <li title={k}>{ruleSetName(k, k)}</li>}</For>
                            </ul>
                          )}
                        </Show>
                      </td>
                      <td class="nowrap">
                        {key.expiresAt ? (
                          formatDateTime(key.expiresAt)
                        ) : (
                          <span class="muted">{t("keys.neverExpires")}</span>
                        )}
                      </td>
                      <td class="nowrap">
                        {key.lastUsedAt ? (
                          formatDateTime(key.lastUsedAt)
                        ) : (
                          <span class="muted">{t("keys.neverUsed")}</span>
                        )}
                      </td>
                      <td>
                        {actorName(key.createdBy, t)}
                        <span class="muted key-created-at">{formatDateTime(key.createdAt)}</span>
                      </td>
                      <td>
                        <span class={`badge ${statusBadge[statusOf(key, businessNow().getTime())]}`}>
                          {t(statusText[statusOf(key, businessNow().getTime())])}
                        </span>
                        <Show when={key.revokedAt}>
                          <span class="muted key-created-at">{formatDateTime(key.revokedAt!)}</span>
                        </Show>
                      </td>
                      <td class="row-actions">
                        <Show when={!key.revokedAt}>
                          <Button class="btn-small" variant="danger" onClick={() => setRevoking(key)}>
                            {t("keys.revoke.open")}
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
      <CreateKeyDialog
        open={creating()}
        ruleSets={ruleSets() ?? []}
        onClose={() => setCreating(false)}
        onCreated={(key) => {
          setCreated(key);
          void refetch();
        }}
      />
      <NewKeyDialog created={created()} onClose={() => setCreated(undefined)} />
      <Dialog
        open={revoking() !== undefined}
        title={t("keys.revoke.title", { name: revoking()?.name ?? "" })}
        onClose={closeRevoke}
        actions={
          <ConfirmActions
            onCancel={closeRevoke}
            onConfirm={revoke}
            confirmLabel={t("keys.revoke.confirm")}
            busy={busy()}
            variant="danger"
          />
        }
      >
        <p>{t("keys.revoke.explain")}</p>
        <FormError error={revokeError()} />
      </Dialog>
    </main>
  );
}
