import { createSignal, For, Show } from "solid-js";
import type { CreatedApiKey } from "../../../shared/access.ts";
import type { Scope } from "../../../shared/scopes.ts";
import { api, call } from "../../api.ts";
import { useAuth } from "../../auth.tsx";
import { useI18n } from "../../i18n/index.tsx";
import { businessNow } from "../../business-zone.ts";
import { DateTimeInput } from "../../ui/datetime-input.tsx";
import { ConfirmActions, Dialog } from "../../ui/dialog.tsx";
import { Field, FormError } from "../../ui/field.tsx";
import { isProblem, problemText } from "../../ui/problem-text.ts";
import { canGrant, scopeTexts } from "./scope-texts.ts";

type RuleSetChoice = { key: string; name: string };

/**
 * A new API key: a name people recognise, what it may do (each scope explained), optionally only
 * some rule sets and an expiry. The created key goes to `onCreated`, which shows it once.
 */
export function CreateKeyDialog(props: {
  open: boolean;
  ruleSets: readonly RuleSetChoice[];
  onClose: () => void;
  onCreated: (created: CreatedApiKey) => void;
}) {
  const { t, ruleSetName } = useI18n();
  const auth = useAuth();
  const [name, setName] = createSignal("");
  const [chosen, setChosen] = createSignal<Scope[]>([]);
  const [limited, setLimited] = createSignal(false);
  const [ruleSets, setRuleSets] = createSignal<string[]>([]);
  const [expiresAt, setExpiresAt] = createSignal<string>();
  const [expiryValid, setExpiryValid] = createSignal(true);
  const [tried, setTried] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const problems = () => ({
    name: name().trim() === "" ? t("keys.create.nameRequired") : undefined,
    scopes: chosen().length === 0 ? t("keys.create.scopesRequired") : undefined,
    ruleSets: limited() && ruleSets().length === 0 ? t("keys.create.ruleSetsRequired") : undefined,
    expiresAt:
      expiresAt() && Date.parse(expiresAt()!) <= businessNow().getTime() ? t("keys.create.expiryPast") : undefined,
  });
  const shown = (field: keyof ReturnType<typeof problems>) => (tried() ? problems()[field] : undefined);
  const toggle = <T,>(list: T[], item: T, on: boolean) =>
    on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);

  const close = () => {
    setName("");
    setChosen([]);
    setLimited(false);
    setRuleSets([]);
    setExpiresAt(undefined);
    setTried(false);
    setError(undefined);
    props.onClose();
  };
  const create = async () => {
    setTried(true);
    if (Object.values(problems()).some((p) => p !== undefined) || !expiryValid()) return;
    setBusy(true);
    setError(undefined);
    try {
      // the scopes in the form's order, so the list reads the same everywhere
      const scopes = scopeTexts.map((s) => s.scope).filter((s) => chosen().includes(s));
      const created = await call(
        api["api-keys"].$post({
          json: {
            name: name().trim(),
            scopes,
            ruleSets: limited() ? ruleSets() : null,
            expiresAt: expiresAt() ?? null,
          },
        }),
      );
      close();
      props.onCreated(created);
    } catch (e) {
      setError(isProblem(e, 409) ? t("keys.create.nameTaken", { name: name().trim() }) : problemText(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      wide
      title={t("keys.create.title")}
      onClose={close}
      actions={
        <ConfirmActions onCancel={close} onConfirm={create} confirmLabel={t("keys.create.confirm")} busy={busy()} />
      }
    >
      <Field label={t("keys.col.name")} error={shown("name")}>
        {(control) => (
          <input
            id={control.id}
            aria-describedby={control.describedBy}
            value={name()}
            maxLength={100}
            autocomplete="off"
            placeholder={t("keys.create.namePlaceholder")}
            aria-invalid={shown("name") ? "true" : undefined}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        )}
      </Field>
      <fieldset class="key-scopes">
        <legend>{t("keys.col.scopes")}</legend>
        <For each={scopeTexts}>
          {(scope) => (
            <label class="key-scope" classList={{ "key-scope-off": !canGrant(scope.scope, auth.can) }}>
              <input
                type="checkbox"
                value={scope.scope}
                checked={chosen().includes(scope.scope)}
                disabled={!canGrant(scope.scope, auth.can)}
                onChange={(e) => setChosen(toggle(chosen(), scope.scope, e.currentTarget.checked))}
              />
              <span>
                <strong>{t(scope.name)}</strong> <code class="muted">{scope.scope}</code>
                <span class="key-scope-description">
                  {t(scope.description)}
                  <Show when={!canGrant(scope.scope, auth.can)}> {t("keys.create.notGrantable")}</Show>
                </span>
              </span>
            </label>
          )}
        </For>
        <Show when={shown("scopes")}>
          <span class="field-error">{shown("scopes")}</span>
        </Show>
      </fieldset>
      <fieldset class="key-rule-sets">
        <legend>{t("keys.col.ruleSets")}</legend>
        <div class="key-choice-row">
          <label class="key-choice">
            <input type="radio" name="key-rule-sets" checked={!limited()} onChange={() => setLimited(false)} />{" "}
            {t("keys.create.allRuleSets")}
          </label>
          <label class="key-choice">
            <input type="radio" name="key-rule-sets" checked={limited()} onChange={() => setLimited(true)} />{" "}
            {t("keys.create.someRuleSets")}
          </label>
        </div>
        <Show when={limited()}>
          <div class="key-choice-row key-rule-set-list">
            <For each={props.ruleSets}>
              {(ruleSet) => (
                <label class="key-choice">
                  <input
                    type="checkbox"
                    value={ruleSet.key}
                    checked={ruleSets().includes(ruleSet.key)}
                    onChange={(e) => setRuleSets(toggle(ruleSets(), ruleSet.key, e.currentTarget.checked))}
                  />{" "}
                  {ruleSetName(ruleSet.key, ruleSet.name)} <code class="muted">{ruleSet.key}</code>
                </label>
              )}
            </For>
          </div>
          <Show when={shown("ruleSets")}>
            <span class="field-error">{shown("ruleSets")}</span>
          </Show>
        </Show>
      </fieldset>
      <Field label={t("keys.create.expiresAt")} hint={t("keys.create.expiresHint")} error={shown("expiresAt")}>
        {(control) => (
          <DateTimeInput
            id={control.id}
            aria-describedby={control.describedBy}
            value={expiresAt()}
            onChange={setExpiresAt}
            onValidity={setExpiryValid}
            end
            aria-invalid={shown("expiresAt") ? "true" : undefined}
          />
        )}
      </Field>
      <FormError error={error()} />
    </Dialog>
  );
}
